/**
 * `npm run pictures`: the job summary and the pull-request comment as GitHub shows them, for the README. The pages
 * come from real runs of dist/index.js (scripts/picture-pages.ts); each page's markdown is rendered as
 * GitHub-flavoured markdown with GitHub's CSS and photographed in headless Chromium. Writes docs/images/*.png and
 * docs/images/pictures.json (the sha256 of each picture's markdown, which the tests compare with what the code writes
 * today, and of its PNG), and prints each markdown, so the pictures can be checked against the text.
 *
 * Needs Debian's `chromium` (CHROMIUM_PATH names another Chromium) and `fonts-noto-color-emoji`, without which ✅ and
 * ❌ render as empty boxes: `apt-get install -y chromium fonts-noto-color-emoji`. Checked before anything runs.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { removeScratchDirs } from '../sim/scratch.js'
import { PICTURES_DIR, PICTURES_RECORD, PictureHashes, picturePages, sha256 } from './picture-pages.js'
import { CHROMIUM, githubPage, renderGfm, screenshotPages } from './render-markdown.js'

const EMOJI_FONT = 'Noto Color Emoji'

/** What the pictures need from the machine and is not there, each with the Debian package that brings it. */
function missingTools(): string[] {
  const missing: string[] = []
  try {
    accessSync(CHROMIUM, constants.X_OK)
  } catch {
    missing.push(`Chromium at ${CHROMIUM} (Debian's package chromium; CHROMIUM_PATH names another Chromium)`)
  }
  const fonts = spawnSync('fc-list', [`:family=${EMOJI_FONT}`, 'family'], { encoding: 'utf8' })
  if (fonts.error !== undefined || !fonts.stdout.includes(EMOJI_FONT)) {
    missing.push(
      `the ${EMOJI_FONT} font (Debian's package fonts-noto-color-emoji): without it ✅ and ❌ are empty boxes`
    )
  }
  return missing
}

const missing = missingTools()
if (missing.length > 0) {
  console.error(`npm run pictures needs ${missing.join(', and ')}.`)
  console.error('Install them with: apt-get install -y chromium fonts-noto-color-emoji (as root, or with sudo)')
  process.exit(1)
}

try {
  const pages = await picturePages()
  mkdirSync(PICTURES_DIR, { recursive: true })
  for (const page of pages) console.log(`── ${PICTURES_DIR}/${page.png}\n${page.markdown}`)
  await screenshotPages(
    pages.map(page => ({ html: githubPage(renderGfm(page.markdown), page.title), png: `${PICTURES_DIR}/${page.png}` }))
  )
  const record: Record<string, PictureHashes> = Object.fromEntries(
    pages.map(page => [
      page.png,
      { markdown: sha256(page.markdown), png: sha256(readFileSync(`${PICTURES_DIR}/${page.png}`)) }
    ])
  )
  writeFileSync(PICTURES_RECORD, `${JSON.stringify(record, null, 2)}\n`)
  console.log(`Wrote ${pages.length} pictures to ${PICTURES_DIR}/ and their markdown's hashes to ${PICTURES_RECORD}.`)
  console.log('Look at them before you commit them.')
} finally {
  removeScratchDirs()
}
