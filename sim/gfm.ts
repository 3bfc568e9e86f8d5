/**
 * Markdown to HTML as GitHub renders it: GitHub-flavoured markdown through micromark with its GFM extension, which
 * follows the cmark-gfm spec GitHub uses. Shared by `npm run pictures` (scripts/render-markdown.ts), the rendering
 * tests and the fault soak's check that no markup in the summary or the comment comes from server text.
 */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/**
 * GFM to HTML. Raw HTML is kept (GitHub keeps `<details>`, `<summary>`, `<br>`…; its sanitizer drops
 * scripts and event handlers, which our markdown never holds because server text is escaped).
 */
export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}
