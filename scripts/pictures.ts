/**
 * `npm run pictures`: the job summary and the pull-request comment as GitHub shows them, for the README. Each
 * picture comes from a real run of dist/index.js (as the runner runs it) against the Testsigma simulator and the
 * GitHub fake; the markdown it wrote is rendered as GitHub-flavoured markdown with GitHub's CSS and photographed in
 * headless Chromium (Debian's `chromium` package; CHROMIUM_PATH overrides). Writes docs/images/*.png and prints
 * each markdown, so the pictures can be checked against the text. The simulator's loopback address is shown as
 * https://testsigma.example.com, a self-hosted server's address as a reader's links would have it.
 */
import { mkdirSync } from 'node:fs'
import { GitHubFake, pullRequestRunEnv } from '../sim/github-fake.js'
import { BundleResult, runBundle } from '../sim/run-bundle.js'
import { removeScratchDirs } from '../sim/scratch.js'
import { FINISHED, PlanScript, TestsigmaSimulator } from '../sim/simulator.js'
import { githubPage, renderGfm, screenshotPages } from './render-markdown.js'

const API_KEY = 'pictures-api-key'
const TOKEN = 'ghs_picturesToken'
const OUT = 'docs/images'
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
    { name: 'not-started', result: await run({ 'test-plan-id': passing.id, 'api-key': 'a-revoked-key' }) }
  ]
  const comments = github.commentsOn('octo/shop', 42)
  const comment = (plan: string): string =>
    (comments.find(c => c.body.startsWith(`<!-- testsigma-test-plan-action:plan=${plan} -->`))?.body ?? '').replace(
      /^<!--.*-->\n/,
      ''
    )

  mkdirSync(OUT, { recursive: true })
  const shown = (markdown: string): string => markdown.split(sim.url).join('https://testsigma.example.com')
  const pages = [
    ...cases.map(({ name, result }) => ({
      markdown: shown(result.summary),
      title: `Job summary: ${name.replace('-', ' ')}`,
      png: `${OUT}/summary-${name}.png`
    })),
    { markdown: shown(comment(failing.id)), title: 'Pull-request comment: failed', png: `${OUT}/comment-failed.png` },
    {
      markdown: shown(comment(endless.id)),
      title: 'Pull-request comment: timed out',
      png: `${OUT}/comment-timed-out.png`
    }
  ]
  for (const page of pages) console.log(`── ${page.png}\n${page.markdown}`)
  await screenshotPages(pages.map(page => ({ html: githubPage(renderGfm(page.markdown), page.title), png: page.png })))
  console.log(`Wrote ${pages.length} pictures to ${OUT}/`)
} finally {
  await sim.close()
  await github.close()
  removeScratchDirs()
}
