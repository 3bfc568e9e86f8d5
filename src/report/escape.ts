/**
 * The one way server and user text enters markdown: `escapeMarkdown` for prose and table cells, `escapeCode` inside
 * backticks. Everything the summary and the comment show from Testsigma, GitHub or the inputs goes through one of
 * them, so no text can add a link, an image, HTML, a heading or a mention the action did not write.
 */
import { oneLine } from '../text.js'

// A link GitHub finds by itself in text (GFM's autolink literals). Backslash escapes inside one break it
// (`https://x/a\_b` links to the wrong page), so such URLs are kept as they are; the characters that end one here
// are those that could start markup: whitespace, `<`, `>`, `[`, `]`, `` ` ``, `|` and `\`.
const AUTOLINK = /(https?:\/\/[^\s<>[\]`|\\]+)/

/**
 * Text from the server or the user, made inert in markdown: one line, HTML and table pipes escaped, markdown
 * punctuation backslash-escaped so a name cannot add links, emphasis or headings, and every `@name` (or
 * `@org/team`) broken by a zero-width space after the `@`, so a test name cannot notify people or teams: it still
 * reads "@name". URLs in it stay as they are, so GitHub still links them (GitHub finds no mention inside a link).
 */
export function escapeMarkdown(text: string): string {
  const escaped = oneLine(text)
    .split(AUTOLINK)
    .map((part, i) => (i % 2 === 1 ? part.replace(/&/g, '&amp;') : escapeText(part)))
    .join('')
  return escapeListMarker(escaped)
}

/**
 * A list marker at the start ("- ", "1. ", or a rule "---") would begin a list where the text starts a line (a note
 * is "- " and its text): its punctuation is escaped, and only there ("1.4.2" stays as it is). The other markers at a
 * line's start (`#`, `>`, `+`, `*`, `1)`) are escaped everywhere already.
 */
function escapeListMarker(text: string): string {
  let digits = 0
  while (digits < 10 && digits < text.length && text.charCodeAt(digits) >= 0x30 && text.charCodeAt(digits) <= 0x39) {
    digits += 1
  }
  const marker = digits > 0 ? (text[digits] === '.' ? digits : -1) : text.startsWith('-') ? 0 : -1
  if (marker === -1) return text
  const after = text.charAt(marker + 1)
  const endsMarker = after === '' || after === ' ' || after === '\t' || (digits === 0 && after === '-')
  return endsMarker ? `${text.slice(0, marker)}\\${text.slice(marker)}` : text
}

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@(?=[\p{L}\p{N}_-])/gu, '@&#8203;')
}

export function escapeCode(text: string): string {
  return oneLine(text).replace(/`/g, "'")
}
