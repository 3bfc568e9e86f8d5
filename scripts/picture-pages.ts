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
import { FINISHED, PlanScript, SimStep, SimTestCase, TestsigmaSimulator } from '../sim/simulator.js'

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

// The failed run's JSON results, as Testsigma's would read: a step that failed on both devices, one that failed on
// one and was aborted on the other, a data-driven test that failed on one data set, tests that were not executed.
const [CHROME, SAFARI] = DEVICES
const step = (action: string, result: string, message: string): SimStep => ({ action, result, message })
const ok = (action: string): SimStep => step(action, 'SUCCESS', 'Step executed successfully')
const failingAt = (before: string[], failed: SimStep): SimStep[] => [...before.map(ok), failed]
const PAY_WITH_CARD = failingAt(
  ['Navigate to https://shop.example.com/cart', 'Click on Checkout', 'Enter 4111 1111 1111 1111 in the Card field'],
  step(
    'Select the radio button Mobile Number Radio Button',
    'FAILURE',
    'Unable to perform click/check action on element, Element is not displayed.'
  )
)
const passed = (name: string, device: string): SimTestCase => ({ name, device, result: 'SUCCESS' })
const FAILED_RUN: SimTestCase[] = [CHROME, SAFARI].flatMap(device => [
  passed('TC-101 Log in with email', device),
  passed('TC-102 Search for a product', device),
  passed('TC-103 Add to cart', device),
  passed('TC-104 Apply coupon', device),
  { name: 'TC-105 Pay with card', device, result: 'FAILURE', steps: PAY_WITH_CARD },
  passed('TC-106 Track the order', device),
  device === CHROME
    ? {
        name: 'TC-107 Change the address',
        device,
        result: 'FAILURE',
        steps: failingAt(
          ['Click on Account', 'Click on Addresses'],
          step('Enter 221B Baker Street in the Street field', 'FAILURE', 'Element Street is disabled.')
        )
      }
    : {
        name: 'TC-107 Change the address',
        device,
        result: 'ABORTED',
        steps: failingAt(['Click on Account'], step('Click on Addresses', 'ABORTED', 'The browser session was lost.'))
      },
  {
    name: 'TC-108 Pay with PayPal',
    device,
    result: 'FAILURE',
    iterations: [
      { setName: 'paypal-eur', result: 'SUCCESS' },
      { setName: 'paypal-gbp', result: 'FAILURE' }
    ],
    steps: failingAt(
      ['Click on Checkout', 'Click on PayPal'],
      step('Verify that the Total contains 108.00', 'FAILURE', 'Expected 108.00 but found 118.00.')
    )
  },
  device === CHROME
    ? passed('TC-109 Cancel the order', device)
    : {
        name: 'TC-109 Cancel the order',
        device,
        result: 'FAILURE',
        steps: failingAt(
          ['Click on Orders'],
          step('Click on Cancel order', 'FAILURE', 'Element Cancel order is not clickable at point (512, 640).')
        )
      },
  { name: 'TC-110 Leave a review', device, result: 'NOT_EXECUTED' }
])

const failing: PlanScript = {
  ...passing,
  id: '4096',
  durationMs: 498_000,
  testCases: FAILED_RUN,
  frames: [
    { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 20, passed: 8, failed: 2 } },
    {
      status: FINISHED,
      result: 'FAILURE',
      counts: { total: 20, passed: 11, failed: 6, aborted: 1, stopped: 0, notExecuted: 2 }
    }
  ]
}

// A run that fails as `failing` does, on a plan of its own: a re-run of its job re-runs only its failed tests.
const flaky: PlanScript = { ...failing, id: '6144', name: 'Checkout flow' }

const endless: PlanScript = {
  id: '5120',
  name: 'Nightly regression',
  frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 50, passed: 20, failed: 3 } }]
}

/**
 * The pages the pictures show, in order: five job summaries (passed, failed, timed out, not started, several test
 * plans) and three pull-request comments (failed, timed out, and a failed run's job re-run: "Re-run failed jobs").
 * Runs the bundle seven times (about 17 s). The caller removes the scratch folders (sim/scratch.ts) when it is done.
 */
export async function picturePages(): Promise<PicturePage[]> {
  const sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passing, failing, endless, flaky] })
  const github = await GitHubFake.start({ token: TOKEN })
  try {
    const env = pullRequestRunEnv({ headSha: '9f8e7d6c5b4a3928', apiUrl: github.apiUrl })
    const run = (inputs: Record<string, string>, attempt: Record<string, string> = {}): Promise<BundleResult> =>
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
        env: { ...env, ...attempt }
      })

    const cases = [
      { name: 'passed', result: await run({ 'test-plan-id': passing.id }) },
      { name: 'failed', result: await run({ 'test-plan-id': failing.id, 'junit-report': 'reports/testsigma.xml' }) },
      { name: 'timed-out', result: await run({ 'test-plan-id': endless.id, 'timeout-minutes': '0.05' }) },
      { name: 'not-started', result: await run({ 'test-plan-id': passing.id, 'api-key': 'a-revoked-key' }) },
      // Last, so that the runs above keep their ids: several plans in one step, one of them unknown.
      { name: 'plans', result: await run({ 'test-plan-id': `${passing.id}, ${failing.id}, 7777` }) }
    ]
    // Attempt 1 of a workflow run fails; "Re-run failed jobs" makes attempt 2, which re-runs only the failed tests.
    const commit = { GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432' }
    await run({ 'test-plan-id': flaky.id }, { ...commit, GITHUB_RUN_ATTEMPT: '1' })
    await run({ 'test-plan-id': flaky.id }, { ...commit, GITHUB_RUN_ATTEMPT: '2' })
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
      { png: 'comment-timed-out.png', title: 'Pull-request comment: timed out', markdown: shown(comment(endless.id)) },
      {
        png: 'comment-rerun.png',
        title: 'Pull-request comment: the failed tests re-run',
        markdown: shown(comment(flaky.id))
      }
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
