/**
 * The soak's sixth promise, and the rendered-markdown test's check: no link, image, HTML tag or mention in the job
 * summary or the pull-request comment comes from server text (and no server text crashes their rendering). The markdown is rendered as GitHub renders it
 * (sim/gfm.ts) and the HTML is read for what the action never writes itself:
 * - a tag outside the few the action writes (an image is one), or one of those opened and closed unevenly;
 * - a link that goes neither to the action's own places (the Testsigma server, GitHub) nor shows its own address
 *   (a URL in a message stays a link, as GitHub makes it one, but then it reads as where it goes);
 * - a mention (`@name`, `@org/team`) outside code and links, which would notify people;
 * - an HTML comment, which would hide what follows (but the comment's own marker, its hidden first line).
 */
import { commentMarker } from '../../src/github/pr-comment.js'
import { renderGfm } from '../gfm.js'
import { SOAK_PLAN_ID } from './case.js'

/** What the check reads of a soak case (a part of invariants.ts's `CaseRecord`). */
export interface RenderedPages {
  /** The step's log: a crash while rendering shows there ("The action failed unexpectedly"). */
  stdout: string
  /** The simulator's address: the action's own links to Testsigma start with it. */
  baseUrl: string
  summary: string
  /** The bodies of the comments the action sent to GitHub. */
  commentBodies: string[]
}

/** The tags the action's own markdown renders to (the raw `<details>` and `<summary>` included). */
const OWN_TAGS = new Set([
  'h3',
  'h4',
  'p',
  'strong',
  'a',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'details',
  'summary'
])

/** What in `html` the action did not write, each kind once, in words (empty: nothing). `ownLinks`: its links' prefixes. */
export function foreignMarkup(html: string, ownLinks: readonly string[]): string[] {
  const problems: string[] = []
  if (html.includes('<!--')) problems.push('an HTML comment')
  const balance = new Map<string, number>()
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*>/g)) {
    const tag = name.toLowerCase()
    if (!OWN_TAGS.has(tag)) problems.push(`an HTML tag <${tag}>`)
    else balance.set(tag, (balance.get(tag) ?? 0) + (closing === '' ? 1 : -1))
  }
  for (const [tag, open] of balance) if (open !== 0) problems.push(`<${tag}> opened ${open} more times than closed`)
  for (const [, href, inner] of html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    const address = decodeEntities(href)
    const text = visible(inner)
    if (!ownLinks.some(prefix => address.startsWith(prefix)) && !showsItsAddress(text, address)) {
      problems.push(`a link to ${address} named ${JSON.stringify(text)}`)
    }
  }
  const prose = visible(html.replace(/<code>[\s\S]*?<\/code>|<a\s[\s\S]*?<\/a>/g, ' '))
  for (const [mention] of prose.matchAll(/(?<![\w`@])@[A-Za-z0-9][\w-]*(\/[\w-]+)?/g)) {
    problems.push(`a mention ${mention}`)
  }
  return [...new Set(problems)]
}

/** The markup invariant on one soak case: the summary and every comment body the action sent. */
export function markupFromServer(record: RenderedPages): { invariant: 'markup'; ok: boolean; detail?: string } {
  // Server words that crash the rendering leave no summary at all ("constructor" as a result did).
  const crash = record.stdout.split('\n').find(line => line.includes('The action failed unexpectedly'))
  if (crash !== undefined) return { invariant: 'markup', ok: false, detail: `no summary: ${crash}` }
  const ownLinks = [`${record.baseUrl}/`, 'https://github.com/']
  // The comment's hidden first line, which finds it again, is the one HTML comment the action writes.
  const marker = `${commentMarker(SOAK_PLAN_ID)}\n`
  const pages = [
    { place: 'summary', markdown: record.summary },
    ...record.commentBodies.map(body => ({
      place: 'pull-request comment',
      markdown: body.startsWith(marker) ? body.slice(marker.length) : body
    }))
  ]
  for (const { place, markdown } of pages) {
    const problems = foreignMarkup(renderGfm(markdown), ownLinks)
    if (problems.length > 0) return { invariant: 'markup', ok: false, detail: `${place}: ${problems.join('; ')}` }
  }
  return { invariant: 'markup', ok: true }
}

/** An autolink: its text is its address (GFM adds `http://` to `www.` links and `mailto:` to e-mail addresses). */
function showsItsAddress(text: string, address: string): boolean {
  const candidates = [address, safeDecodeUri(address)]
  return candidates.some(
    candidate => candidate === text || candidate === `http://${text}` || candidate === `mailto:${text}`
  )
}

function safeDecodeUri(text: string): string {
  try {
    return decodeURI(text)
  } catch {
    return text
  }
}

/** The text a reader sees: tags dropped, entities decoded. */
function visible(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
