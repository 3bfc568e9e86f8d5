/**
 * End to end (issue 17, "Files and bounds"): dist/index.js as the runner runs it. A started run is still followed
 * or stopped when the step's outputs cannot be written, and timeout-minutes bounds the whole step, the stop and
 * the pull-request comment included, within its stated margin (src/step-bounds.ts).
 */
import { GitHubFake, pullRequestRunEnv } from '../../sim/github-fake.js'
import { finishedOnFirstRead, neverFinishingPlan } from '../../sim/quick-plans.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { PAST_TIMEOUT_MS } from '../../src/step-bounds.js'
import { lastError } from '../helpers/bundle-log.js'

const API_KEY = 'tsk-e2e-bounds-0c4d'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [finishedOnFirstRead(passingPlan('2048')), neverFinishingPlan('55')]
  })
})
afterEach(async () => sim.close())

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({
    inputs: { 'api-key': API_KEY, 'base-url': sim.url, 'poll-interval-seconds': '1', ...inputs },
    env,
    killAfterMs: 45_000
  })
}

describe('outputs the runner refuses', () => {
  it('leave no run running: the run is followed to its timeout and stopped, and the step says why it is red', async () => {
    // GITHUB_OUTPUT names a folder: the runner's file command cannot append to it (even as root).
    const result = await run({ 'test-plan-id': '55', 'timeout-minutes': '0.05' }, { GITHUB_OUTPUT: '/' })
    expect(result.stdout).toContain("::warning::The step's output run-id could not be written (")
    expect(sim.requestsTo('status').length).toBeGreaterThan(0)
    expect(sim.requestsTo('stop').map(request => request.path)).toEqual(['/api/v1/execution_results/337'])
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toContain('did not finish within the timeout')
    expect(lastError(result)).toContain("The step's outputs could not be written (run-id, run-url,")
  })

  it('do not hide the verdict of a run that passed, and make the step red', async () => {
    const result = await run({ 'test-plan-id': '2048' }, { GITHUB_OUTPUT: '/' })
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toMatch(/^::error::Test plan "Checkout flow" run 337 SUCCESS: 5 passed of 5 — /)
    expect(lastError(result)).toContain("so later steps cannot read them: check the runner's GITHUB_OUTPUT file")
    expect(sim.runs.size).toBe(1)
  })
})

describe('timeout-minutes bounds the whole step', () => {
  it(`ends within ${PAST_TIMEOUT_MS / 1000} s past it when the stop and the pull-request comment never answer`, async () => {
    const github = await GitHubFake.start({ token: 'ghs_bounds*Token' })
    try {
      github.hang()
      sim.injectFault('stop', { type: 'hang' })
      const timeoutMs = 6000
      const result = await run(
        {
          'test-plan-id': '55',
          'timeout-minutes': String(timeoutMs / 60_000),
          'pr-comment': 'true',
          'github-token': 'ghs_bounds*Token'
        },
        pullRequestRunEnv({
          number: 42,
          headSha: '0123456789abcdef0123456789abcdef01234567',
          repository: 'octo/shop',
          apiUrl: github.apiUrl
        })
      )
      expect(result.exitCode).toBe(1)
      expect(sim.requestsTo('stop')).toHaveLength(1)
      expect(lastError(result)).toContain('The Testsigma run could not be stopped')
      expect(result.elapsedMs).toBeLessThanOrEqual(timeoutMs + PAST_TIMEOUT_MS)
    } finally {
      await github.close()
    }
  })
})
