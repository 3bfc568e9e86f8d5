/** Plain-text helpers shared by the log, the messages and the reports. */

// Every character the runner's line reader ends a line at (\n, \r), and the ones that other readers of
// the log (browsers, editors) break on: vertical tab, form feed, NEL, line and paragraph separators.
const LINE_BREAKS = /[\n\v\f\r\u0085\u2028\u2029]+/g

/** Server text on one line, so it can never start a log line (and so never a `::workflow-command`). */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').trim()
}

/** At most `limit` characters (UTF-16 units), ending in "…" when cut; never splits a surrogate pair. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text
  let end = Math.max(0, limit - 1)
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

/** `text` without the slashes it ends with, counted from the end (a pattern anchored there retries from each one). */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === '/') end -= 1
  return text.slice(0, end)
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

/** What a secret is replaced with: what the runner's own mask shows. */
export const SCRUBBED = '***'

/**
 * The spellings of a secret that text can carry it in: as it is, percent-encoded (a URL or a form), inside
 * a JSON string, and as `escapeMarkdown` writes it (HTML entities, backslashes before punctuation). The
 * runner masks only the first, so the others must never reach it.
 */
export function secretSpellings(secret: string): string[] {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const spellings = [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    html,
    html.replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
  ]
  return [...new Set(spellings)].filter(spelling => spelling !== '')
}

/** `text` with every spelling of every secret replaced by `***`. Longer spellings first, so none is half-replaced. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const spellings = secrets.flatMap(secretSpellings).sort((a, b) => b.length - a.length)
  let scrubbed = text
  for (const spelling of spellings) scrubbed = scrubbed.replaceAll(spelling, SCRUBBED)
  return scrubbed
}

// C0 controls and DEL, tab aside: never useful in a log line, and the runner trims U+001C–U+001F as white
// space before it looks for `::`, which JavaScript's trim() does not.
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const CONTROLS = /[\x00-\x08\x0e-\x1f\x7f]/g

/**
 * One line of the step's log, made inert for the GitHub runner, which reads every line of a step's output
 * for workflow commands (actions/runner, ActionCommandManager.TryProcessCommand):
 * - `::name …::data` when the line starts with `::` after leading white space (ActionCommand.TryParseV2),
 *   including `::stop-commands::TOKEN`, after which only `::TOKEN::` is obeyed;
 * - the legacy `##[name …]data` anywhere in the line (ActionCommand.TryParse).
 * So: secrets scrubbed, controls and line breaks made spaces, a leading `::` becomes `: :`, and every `##[`
 * becomes `## [`. The text stays readable; nothing else changes. Every message the action prints goes
 * through this (main.ts wraps the core object), so server text cannot forge a command whatever route it
 * takes to the log.
 */
export function logLine(text: string, secrets: readonly string[] = []): string {
  const line = oneLine(scrubSecrets(text, secrets).replace(CONTROLS, ' '))
  return line.replace(/^::/, ': :').replaceAll('##[', '## [')
}
