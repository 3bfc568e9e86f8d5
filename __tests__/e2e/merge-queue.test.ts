/**
 * End to end: dist/index.js on a `merge_group` event (the payload as GitHub sends it: no `pull_request`, the queue's
 * ref names the pull request), with `pr-comment: true`, against the Testsigma simulator and the GitHub fake. The
 * run is named after the queue entry in Testsigma and in the summary, and no comment is written.
 */
import { runBundle, BundleResult } from '../../sim/run-bundle.js'
import { GitHubFake, mergeGroupRunEnv } from '../../sim/github-fake.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-queue-7c1d'
const TOKEN = 'ghs_e2eQueueToken0123456789'
const HEAD = '5e1d2c3b4a59687766554433221100ffeeddccbb'

let sim: TestsigmaSimulator
let github: GitHubFake

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [finishedOnFirstRead(passingPlan('2048')), finishedOnFirstRead(failedTestsPlan({ id: '4096' }))]
  })
  github = await GitHubFake.start({ token: TOKEN })
})
afterEach(async () => {
  await sim.close()
  await github.close()
})

function run(inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'pr-comment': 'true',
      'github-token': TOKEN,
      ...inputs
    },
    env: mergeGroupRunEnv({
      number: 123,
      baseBranch: 'main',
      headSha: HEAD,
      baseSha: '0123456789abcdef0123456789abcdef01234567',
      refSha: '89abcdef0123456789abcdef0123456789abcdef',
      repository: 'octo/shop',
      apiUrl: github.apiUrl,
      serverUrl: 'https://github.example'
    })
  })
}

describe('dist/index.js on a merge_group event', () => {
  it('names the run after the queue entry, says why it writes no comment, and calls no GitHub API', async () => {
    const result = await run({})
    expect(result.exitCode).toBe(0)

    expect(sim.requestsTo('trigger')[0].json).toEqual({ executionId: 2048, buildNo: 'merge-queue #123 5e1d2c3' })
    const log = result.stdout.split('\n')
    expect(log).toContain(
      'Merge queue: pull request #123 into main at 5e1d2c3; build-number is empty, so the run is named "merge-queue #123 5e1d2c3"'
    )
    expect(log).toContain(
      'pr-comment is on, but this is a merge_group event: no comment. The merge queue tests pull request #123 merged ' +
        "into main after the entries ahead of it (5e1d2c3), not the pull request's head, so the pull request keeps " +
        "the comment of its own run; this run's result is in the job summary"
    )
    expect(github.requests).toEqual([])
    expect(log.filter(line => line.startsWith('::warning') || line.startsWith('::error'))).toEqual([])

    expect(result.summary).toContain(
      '**Build:** merge-queue \\#123 5e1d2c3 · **Merge queue:** [#123](https://github.example/octo/shop/pull/123) ' +
        `into \`main\` at [\`5e1d2c3\`](https://github.example/octo/shop/commit/${HEAD})`
    )
  })

  it('keeps the verdict of a failed run, and sends a given build-number as it is', async () => {
    const result = await run({ 'test-plan-id': '4096', 'build-number': 'rc-7' })
    expect(result.exitCode).toBe(1)
    expect(sim.requestsTo('trigger')[0].json).toEqual({ executionId: 4096, buildNo: 'rc-7' })
    expect(result.stdout).toContain('Merge queue: pull request #123 into main at 5e1d2c3\n')
    expect(result.summary).toContain('**Merge queue:** [#123]')
    expect(github.requests).toEqual([])
  })
})
