const SERVER_TEXT_LIMIT = 300

/**
 * The server's own words, one line: `error` or `message` from a JSON body, the `<title>` of an HTML
 * page, or the plain text, trimmed.
 */
export function serverText(body: string): string {
  let text = body.trim()
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    if (parsed !== null && typeof parsed === 'object') {
      const said = [parsed.error, parsed.message].find(value => typeof value === 'string' && value.trim() !== '')
      if (typeof said === 'string') text = said
    }
  } catch {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)
    if (title) text = title[1]
    else if (text.startsWith('<')) text = text.replace(/<[^>]*>/g, ' ')
  }
  text = text.replace(/\s+/g, ' ').trim()
  return text.length > SERVER_TEXT_LIMIT ? `${text.slice(0, SERVER_TEXT_LIMIT - 1)}…` : text
}
