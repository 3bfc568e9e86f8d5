/** Plain-text helpers shared by the log, the messages and the reports. */

/** Server text on one line, so it can never start a log line (and so never a `::workflow-command`). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()
}

/** At most `limit` characters (UTF-16 units), ending in "…" when cut; never splits a surrogate pair. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text
  let end = Math.max(0, limit - 1)
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

/** "1 h 2 min", "2 min 5 s", "45 s", "0.8 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const parts: string[] = []
  if (hours > 0) parts.push(`${hours} h`)
  if (minutes > 0) parts.push(`${minutes} min`)
  if (seconds > 0 && hours === 0) parts.push(`${seconds} s`)
  return parts.join(' ')
}
