/**
 * Markdown as GitHub shows it: GitHub-flavoured markdown rendered to HTML (micromark with its GFM
 * extension, which follows the cmark-gfm spec GitHub uses), styled with GitHub's own markdown CSS
 * (github-markdown-css), and photographed in headless Chromium from Debian's packages.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

export { renderGfm } from '../sim/gfm.js'

const require = createRequire(import.meta.url)
const GITHUB_CSS = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')

/** A page laid out like a job summary or a comment body on github.com: the markdown body, 800 px wide. */
export function githubPage(html: string, title: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${title.replace(/</g, '&lt;')}</title>`,
    `<style>${GITHUB_CSS}</style>`,
    '<style>body{margin:0;background:#f6f8fa}.frame{width:800px;margin:16px;padding:16px 24px;background:#fff;',
    'border:1px solid #d0d7de;border-radius:6px}.label{font:600 12px -apple-system,sans-serif;color:#57606a;',
    'margin:0 0 12px}</style></head><body>',
    `<div class="frame"><p class="label">${title.replace(/</g, '&lt;')}</p>`,
    `<article class="markdown-body">${html}</article></div></body></html>`
  ].join('')
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Screenshots each page (HTML text) into its PNG path, the frame only, with `<details>` opened as given. */
export async function screenshotPages(pages: Array<{ html: string; png: string }>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update']
  })
  try {
    const page = await browser.newPage({ viewport: { width: 860, height: 600 }, deviceScaleFactor: 1 })
    for (const { html, png } of pages) {
      await page.setContent(html, { waitUntil: 'load' })
      await page.locator('.frame').screenshot({ path: png })
    }
  } finally {
    await browser.close()
  }
}
