/**
 * End to end: dist/index.js in a child process on a pull_request event, against the Testsigma simulator
 * and the GitHub fake (as a GitHub Enterprise Server under /api/v3). Checks the annotations in the log,
 * the comment that lands, and that octokit's chunk is loaded only for a comment. Runs on this process's
 * node (Node 20 here, the action's runtime), which shows octokit's dependencies work there.
 */
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import { scratchDir } from '../../sim/scratch.js'
import { BUNDLE, BundleResult, runBundle } from '../../sim/run-bundle.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { GitHubFake, pullRequestRunEnv } from '../../sim/github-fake.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { commentMarker, plansCommentMarker } from '../../src/github/pr-comment.js'

const API_KEY = 'tsk-e2e-pr-51b2'
const TOKEN = 'ghs_e2eToken0123456789'
const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
const REPO = 'octo/shop'

let sim: TestsigmaSimulator
let github: GitHubFake
let prEnv: Record<string, string>

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [
      finishedOnFirstRead(failedTestsPlan({ id: '4096', tests: 14, failures: 12 })),
      finishedOnFirstRead(failedTestsPlan({ id: '4097', name: 'Search', tests: 3, failures: 1 })),
      finishedOnFirstRead(passingPlan('2048'))
    ]
  })
  github = await GitHubFake.start({ token: TOKEN, basePath: '/api/v3' })
  prEnv = pullRequestRunEnv({
    headSha: SHA,
    repository: REPO,
    apiUrl: github.apiUrl,
    serverUrl: 'https://github.example',
    runId: '777'
  })
})
afterEach(async () => {
  await sim.close()
  await github.close()
})

function run(inputs: Record<string, string>, env: Record<string, string> = {}, bundle?: string): Promise<BundleResult> {
  return runBundle({
    bundle,
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '4096',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'pr-comment': 'true',
      'github-token': TOKEN,
      ...inputs
    },
    env: { ...prEnv, ...env }
  })
}

function lines(result: BundleResult, prefix: string): string[] {
  return result.stdout.split(/\r?\n/).filter(line => line.startsWith(prefix))
}

describe('dist/index.js on a pull request', () => {
  it('annotates failed tests (capped, with a notice), writes the comment, and stays red', async () => {
    const result = await run({})
    expect(result.exitCode).toBe(1)

    // 12 tests failed on both devices: 9 annotated (each with its two devices), the 10th error is the verdict, then
    // one notice.
    const errors = lines(result, '::error')
    expect(errors).toHaveLength(10)
    expect(errors[0]).toBe(
      '::error title=Failed%3A TC-103 Add to cart (Chrome 120 on Windows 11%2C Safari 17 on macOS 14)::' +
        'Chrome 120 on Windows 11: Step 5 "Navigate to https://shop.example.com/checkout": "Page "Checkout" did not ' +
        'load: net::ERR_CONNECTION_RESET"; Safari 17 on macOS 14: Step 5 "Click on Pay now button": "Element "Pay now" ' +
        '(#pay-button) was not found within 30 s"'
    )
    expect(errors.slice(0, 9).every(line => line.startsWith('::error title=Failed%3A TC-'))).toBe(true)
    expect(errors[9]).toMatch(/^::error::Test plan "Checkout flow" run 337 FAILURE: /)
    expect(lines(result, '::notice')).toEqual([
      '::notice title=3 more failed tests::12 tests failed; 9 are annotated (GitHub shows 10 errors per step). ' +
        `The others are in the job summary and the Testsigma run ${sim.url}/ui/td/runs/337.`
    ])

    // The comment, through GITHUB_API_URL's /api/v3.
    expect(github.requestLines()).toEqual([
      'GET /repos/octo/shop/issues/42/comments',
      'POST /repos/octo/shop/issues/42/comments'
    ])
    const [comment] = github.commentsOn(REPO, 42)
    expect(comment.body.split('\n')[0]).toBe(commentMarker('4096'))
    expect(comment.body).toContain('### ❌ Testsigma: Checkout flow failed')
    expect(comment.body).toContain('| 28 | 4 | 24 | 0 | 0 | 0 |')
    // 12 tests failed on both devices: one row each, with both devices; the title says both units.
    expect(comment.body).toContain('#### Failed tests (12 tests, 24 test results on 2 devices)')
    expect(comment.body).toContain(
      '**Devices:** Chrome 120 on Windows 11: 2 passed, 12 failed · Safari 17 on macOS 14: 2 passed, 12 failed'
    )
    expect(comment.body).toContain(`**Commit:** [\`0a1b2c3\`](https://github.example/octo/shop/pull/42/commits/${SHA})`)
    expect(comment.body).toContain(
      `**24 of 28 failed** on 2 devices · [Open run 337 in Testsigma](${sim.url}/ui/td/runs/337)`
    )
    expect(result.stdout).toContain(`Pull-request comment created: ${comment.html_url}`)

    // The summary has the failed tests too; the token is masked and shown nowhere.
    expect(result.summary).toContain('#### Failed tests (12 tests, 24 test results on 2 devices)')
    expect(result.summary).toContain('- **Safari 17 on macOS 14:** 14 tests: 2 passed, 12 failed')
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`)
    const log = result.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    const shown = [...log, result.stderr, result.summary, comment.body]
    expect(shown.join('\n')).not.toContain(TOKEN)
    expect(shown.join('\n')).not.toContain(API_KEY)
  })

  it('comments once for a set of plans, updated in place, beside the single plan comments', async () => {
    await run({ 'test-plan-id': '4097' })
    await run({ 'test-plan-id': '4097, 2048' })
    const [, set] = github.commentsOn(REPO, 42)
    // The same set, written in another order, is the same comment.
    const result = await run({ 'test-plan-id': '2048\n4097' })
    const comments = github.commentsOn(REPO, 42)
    expect(comments.map(c => c.body.split('\n')[0])).toEqual([
      commentMarker('4097'),
      plansCommentMarker(['2048', '4097'])
    ])
    expect(comments[1].id).toBe(set.id)
    expect(github.requestLines().filter(line => !line.startsWith('GET'))).toEqual([
      'POST /repos/octo/shop/issues/42/comments',
      'POST /repos/octo/shop/issues/42/comments',
      `PATCH /repos/octo/shop/issues/comments/${set.id}`
    ])
    const body = comments[1].body
    expect(body).toContain('### ❌ Testsigma: 1 of 2 test plans passed')
    expect(body).toMatch(/\| Checkout flow \(2048\) \| ✅ Passed \|/)
    expect(body).toMatch(/\| Search \(4097\) \| ❌ Failed \|/)
    expect(body).toContain('#### Failed tests (1 test, 2 test results on 2 devices) in Search (4097)')
    expect(body).toContain('**Test plans:** 2048, 4097')
    expect(result.exitCode).toBe(1)
    const log = result.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect([...log, result.summary, body].join('\n')).not.toContain(TOKEN)
  })

  it('annotates the failed tests as warnings when the step stays green (fail-on-failure: false)', async () => {
    const result = await run({ 'fail-on-failure': 'false' })
    expect(result.exitCode).toBe(0)
    expect(lines(result, '::error')).toEqual([])
    const warnings = lines(result, '::warning')
    expect(warnings).toHaveLength(10)
    expect(warnings[0]).toMatch(/^::warning title=Failed%3A TC-103 Add to cart/)
    expect(warnings[9]).toMatch(/^::warning title=Test plan "Checkout flow" did not pass/)
    expect(lines(result, '::notice')[0]).toMatch(/^::notice title=3 more failed tests::/)
  })

  it('updates its comment on the next push, and another test plan gets its own', async () => {
    await run({})
    const [first] = github.commentsOn(REPO, 42)
    await run({})
    await run({ 'test-plan-id': '4097' })
    const comments = github.commentsOn(REPO, 42)
    expect(comments.map(c => c.body.split('\n')[0])).toEqual([commentMarker('4096'), commentMarker('4097')])
    expect(comments[0].id).toBe(first.id)
    expect(github.requestLines().filter(line => !line.startsWith('GET'))).toEqual([
      'POST /repos/octo/shop/issues/42/comments',
      `PATCH /repos/octo/shop/issues/comments/${first.id}`,
      'POST /repos/octo/shop/issues/42/comments'
    ])
  })

  it("leaves a person's comment that starts with the marker alone, and pings no one from test names", async () => {
    const forged = github.addComment(REPO, 42, `${commentMarker('4096')}\n### ✅ All green, merge away`, 'mallory')
    sim.addPlan(
      finishedOnFirstRead(
        failedTestsPlan({ id: '4098', name: 'Ping @octo/qa-team', devices: ['@octocat phone'], tests: 2, failures: 1 })
      )
    )
    const result = await run({ 'test-plan-id': '4098' })
    expect(result.exitCode).toBe(1)
    await run({ 'test-plan-id': '4096' })
    const comments = github.commentsOn(REPO, 42)
    expect(comments.find(c => c.id === forged.id)?.body).toBe(`${commentMarker('4096')}\n### ✅ All green, merge away`)
    expect(comments.map(c => c.user.login)).toEqual(['mallory', 'github-actions[bot]', 'github-actions[bot]'])
    const mine = comments[1].body
    expect(mine).toContain('Ping @&#8203;octo/qa-team')
    expect(mine).toContain('@&#8203;octocat phone')
    expect(mine).not.toMatch(/@[a-z]/i)
    expect(result.summary).not.toMatch(/@[a-z]/i)
  })

  it('warns, naming the permission, and keeps the verdict when GitHub answers 403', async () => {
    github.refuse(403)
    const result = await run({ 'test-plan-id': '2048' })
    expect(result.exitCode).toBe(0)
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(/^::warning::Could not write the pull-request comment \(HTTP 403: .*`pull-requests: write`/)
    ])
    expect(lines(result, '::error')).toEqual([])
  })

  it('logs one line and calls no GitHub API on a push event', async () => {
    const result = await run({}, { GITHUB_EVENT_NAME: 'push' })
    expect(github.requests).toEqual([])
    expect(result.stdout).toContain(
      'pr-comment is on, but this is a push event, not pull_request or pull_request_target: no comment'
    )
  })
})

describe("octokit's chunk", () => {
  /** dist/index.js and its package.json, without the chunk files beside them. */
  function bundleWithoutChunks(): string {
    const dir = scratchDir('bundle-only')
    copyFileSync(BUNDLE, path.join(dir, 'index.js'))
    copyFileSync(path.join(path.dirname(BUNDLE), 'package.json'), path.join(dir, 'package.json'))
    return path.join(dir, 'index.js')
  }

  it('is not loaded by a plain run, nor by pr-comment on another event', async () => {
    const bundle = bundleWithoutChunks()
    const plain = await run({ 'test-plan-id': '2048', 'pr-comment': '' }, {}, bundle)
    expect(plain.exitCode).toBe(0)
    expect(plain.stderr).toBe('')
    const push = await run({ 'test-plan-id': '2048' }, { GITHUB_EVENT_NAME: 'push' }, bundle)
    expect(push.exitCode).toBe(0)
    expect(lines(push, '::warning')).toEqual([])
  })

  it('is what writes the comment: without it, only a warning, and the verdict stands', async () => {
    const result = await run({ 'test-plan-id': '2048' }, {}, bundleWithoutChunks())
    expect(result.exitCode).toBe(0)
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(/^::warning::Could not write the pull-request comment \(Cannot find module .*\.index\.js/)
    ])
    expect(github.requests).toEqual([])
  })
})
