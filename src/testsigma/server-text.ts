import { clip } from '../text.js'

const SERVER_TEXT_LIMIT = 300
// An error's words are at the start of its body; a longer body is an HTML page or worse. Only this much is
// looked at, so a hostile body of any size costs the same.
const EXAMINED_CHARS = 4096
// An error object in JSON is a few hundred bytes; a larger JSON body is not one worth parsing for a message.
const JSON_LIMIT_CHARS = 64 * 1024

/**
 * The server's own words, one line: `error` or `message` from a JSON body, the `<title>` of an HTML
 * page, or the plain text with tags removed, trimmed and clipped. Linear in the part examined (at most the
 * first 4 KiB, or 64 KiB of JSON), whatever the body holds.
 */
export function serverText(body: string): string {
  const said = jsonMessage(body) ?? htmlText(body.slice(0, EXAMINED_CHARS))
  return clip(said.replace(/\s+/g, ' ').trim(), SERVER_TEXT_LIMIT)
}

function jsonMessage(body: string): string | undefined {
  if (body.length > JSON_LIMIT_CHARS) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object') return body.trim()
  const record = parsed as Record<string, unknown>
  const said = [record.error, record.message].find(value => typeof value === 'string' && value.trim() !== '')
  return typeof said === 'string' ? said.slice(0, EXAMINED_CHARS) : body.slice(0, EXAMINED_CHARS)
}

/** The `<title>`'s text when there is one, else the text with every `<…>` tag made a space; one pass each. */
function htmlText(text: string): string {
  const trimmed = text.trim()
  const lower = trimmed.toLowerCase()
  const titleAt = lower.indexOf('<title')
  if (titleAt !== -1) {
    const open = lower.indexOf('>', titleAt)
    const close = open === -1 ? -1 : lower.indexOf('</title>', open)
    if (close !== -1) return trimmed.slice(open + 1, close)
  }
  if (!trimmed.startsWith('<')) return trimmed
  let plain = ''
  let inTag = false
  for (const char of trimmed) {
    if (char === '<') inTag = true
    else if (char === '>' && inTag) {
      inTag = false
      plain += ' '
    } else if (!inTag) plain += char
  }
  return plain
}
