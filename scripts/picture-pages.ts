/**
 * What the pictures in docs/images show: each page's markdown, from a real run of dist/index.js (as the runner runs
 * it) against the Testsigma simulator and the GitHub fake. `npm run pictures` photographs these pages, and records
 * a hash of each page's markdown in docs/images/pictures.json; `__tests__/e2e/pictures.test.ts` makes the same
 * pages and compares, so a picture that no longer shows what the code writes fails the tests. The simulator's
 * loopback address is shown as https://testsigma.example.com, a self-hosted server's address as a reader's links
 * would have it.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { GitHubFake, pullRequestRunEnv } from '../sim/github-fake.js'
import { BundleResult, runBundle } from '../sim/run-bundle.js'
import { FINISHED, PlanScript, TestsigmaSimulator } from '../sim/simulator.js'

export const PICTURES_DIR = 'docs/images'
/** Each picture's name → the sha256 of the markdown it was made from and of the PNG (`PictureHashes`). */
export const PICTURES_RECORD = `${PICTURES_DIR}/pictures.json`

export interface PicturePage {
  /** The PNG's file name in docs/images. */
  png: string
  /** The label above the page. */
  title: string
  markdown: string
}

const API_KEY = 'pictures-api-key'
const TOKEN = 'ghs_picturesToken'
const DEVICES = ['Chrome 120 on Windows 11', 'Safari 17 on macOS 14']

// Each test twice in a row: the report deals test cases to the devices in turn, so each test runs on both.
const TESTS = [
  'TC-101 Log in with email',
  'TC-102 Search for a product',
  'TC-103 Add to cart',
  'TC-104 Apply coupon',
  'TC-105 Pay with card',
  'TC-106 Track the order',
  'TC-107 Change the address',
  'TC-108 Pay with PayPal',
  'TC-109 Cancel the order',
  'TC-110 Leave a review'
].flatMap(name => [name, name])

const passing: PlanScript = {
  id: '2048',
  name: 'Checkout flow',
  durationMs: 312_000,
  devices: DEVICES,
  caseNames: TESTS,
  frames: [
    { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 20, passed: 0 } },
    { status: FINISHED, result: 'SUCCESS', counts: { total: 20, passed: 20, failed: 0, stopped: 0, notExecuted: 0 } }
  ]
}

const failing: PlanScript = {
  ...passing,
  id: '4096',
  durationMs: 498_000,
  frames: [
    { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 20, passed: 8, failed: 2 } },
    {
      status: FINISHED,
      result: 'FAILURE',
      counts: { total: 20, passed: 12, failed: 6, stopped: 0, notExecuted: 2 }
    }
  ]
}

const endless: PlanScript = {
  id: '5120',
  name: 'Nightly regression',
  frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 50, passed: 20, failed: 3 } }]
}

/**
 * The pages the pictures show, in order: five job summaries (passed, failed, timed out, not started, several test
 * plans) and two pull-request comments (failed, timed out). Runs the bundle five times (about 12 s). The caller removes the
 * scratch folders (sim/scratch.ts) when it is done.
 */
export async function picturePages(): Promise<PicturePage[]> {
  const sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passing, failing, endless] })
  const github = await GitHubFake.start({ token: TOKEN })
  try {
    const env = pullRequestRunEnv({ headSha: '9f8e7d6c5b4a3928', apiUrl: github.apiUrl })
    const run = (inputs: Record<string, string>): Promise<BundleResult> =>
      runBundle({
        inputs: {
          'api-key': API_KEY,
          'base-url': sim.url,
          'poll-interval-seconds': '1',
          'build-number': '1.4.2',
          'pr-comment': 'true',
          'github-token': TOKEN,
          ...inputs
        },
        env
      })

    const cases = [
      { name: 'passed', result: await run({ 'test-plan-id': passing.id }) },
      { name: 'failed', result: await run({ 'test-plan-id': failing.id, 'junit-report': 'reports/testsigma.xml' }) },
      { name: 'timed-out', result: await run({ 'test-plan-id': endless.id, 'timeout-minutes': '0.05' }) },
      { name: 'not-started', result: await run({ 'test-plan-id': passing.id, 'api-key': 'a-revoked-key' }) },
      // Last, so that the runs above keep their ids: several plans in one step, one of them unknown.
      { name: 'plans', result: await run({ 'test-plan-id': `${passing.id}, ${failing.id}, 7777` }) }
    ]
    const comments = github.commentsOn('octo/shop', 42)
    const comment = (plan: string): string =>
      (comments.find(c => c.body.startsWith(`<!-- testsigma-test-plan-action:plan=${plan} -->`))?.body ?? '').replace(
        /^<!--.*-->\n/,
        ''
      )
    const shown = (markdown: string): string => markdown.split(sim.url).join('https://testsigma.example.com')
    return [
      ...cases.map(({ name, result }) => ({
        png: `summary-${name}.png`,
        title: name === 'plans' ? 'Job summary: several test plans' : `Job summary: ${name.replace('-', ' ')}`,
        markdown: shown(result.summary)
      })),
      { png: 'comment-failed.png', title: 'Pull-request comment: failed', markdown: shown(comment(failing.id)) },
      { png: 'comment-timed-out.png', title: 'Pull-request comment: timed out', markdown: shown(comment(endless.id)) }
    ]
  } finally {
    await sim.close()
    await github.close()
  }
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** What docs/images/pictures.json holds for one picture: the sha256 of its markdown and of the PNG made from it. */
export interface PictureHashes {
  markdown: string
  png: string
}

export function readPictureRecord(file = PICTURES_RECORD): Record<string, PictureHashes> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, PictureHashes>
}

/**
 * Each picture that is not what the code writes today, as a line saying what to do; empty when every picture is
 * current. A picture is current when its record's markdown hash is that of today's page, and the PNG in
 * docs/images is the one written with that record (`pngHash`: the sha256 of the PNG file, undefined when absent).
 */
export function stalePictures(
  recorded: Record<string, PictureHashes>,
  pages: PicturePage[],
  pngHash: (png: string) => string | undefined
): string[] {
  const todo = 'run `npm run pictures`, look at the pictures, and commit them with docs/images/pictures.json'
  const problem = (page: PicturePage): string | undefined => {
    const record = recorded[page.png] as PictureHashes | undefined
    if (record === undefined) return 'not recorded'
    if (record.markdown !== sha256(page.markdown)) return 'made from other markdown than the code writes today'
    const png = pngHash(page.png)
    if (png === undefined) return 'recorded, but the PNG is missing'
    if (png !== record.png) return 'the PNG is not the one npm run pictures wrote with this record'
    return undefined
  }
  const made = new Set(pages.map(page => page.png))
  return [
    ...pages.flatMap(page => {
      const found = problem(page)
      return found === undefined ? [] : [`${page.png}: ${found}: ${todo}`]
    }),
    ...Object.keys(recorded)
      .filter(png => !made.has(png))
      .map(png => `${png}: recorded, but no page makes it any more: remove it and its record`)
  ]
}
