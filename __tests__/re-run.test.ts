/**
 * "Re-run failed jobs" in `runTestPlan` against the simulator: the previous run read, the re-run sent once, the
 * chain's counts, and the full run (with its reason) whenever the re-run cannot be shown to be right.
 */
import { PreparedPlan, runTestPlan } from '../src/action.js'
import type { Config } from '../src/config.js'
import type { ReRunContext } from '../src/re-run.js'
import type { StepDeps } from '../src/step.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-rerun-44'
const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
})
afterEach(async () => sim.close())

const configFor = (overrides: Partial<Config> = {}): Config =>
  stepConfig(sim, API_KEY, { testPlanId: '4096', ...overrides })
const depsFor = (overrides: Partial<StepDeps> = {}) => stepDeps(sim, API_KEY, overrides)
/** What runTestPlan is given on attempt 2: run `runId` of attempt 1, found in the pull-request comment. */
const attempt2 = (runId = '337', extra: Partial<ReRunContext> = {}): PreparedPlan => ({
  reRun: {
    attempt: 2,
    sha: SHA,
    previous: { runId, attempt: 1, sha: SHA, source: 'the pull-request comment' },
    ...extra
  }
})

/** Attempt 1: the plan's run, to its end (FAILURE, 3 passed, 1 failed, 1 aborted of 5). */
async function firstAttempt(): Promise<void> {
  const report = await runTestPlan(configFor(), depsFor().deps)
  expect(report.state).toMatchObject({ runId: '337', result: 'FAILURE' })
}

describe('runTestPlan on a later attempt', () => {
  it('re-runs the 2 tests of run 337 that did not pass, and reports the chain as Testsigma shows it', async () => {
    await firstAttempt()
    const { deps, log } = depsFor()
    const report = await runTestPlan(configFor(), deps, attempt2())
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      { executionId: 4096 },
      { executionId: 4096, executionResultId: 337, isReRun: true, reRunType: 'ONLY_FAILED_TESTS' }
    ])
    expect(report).toMatchObject({
      outcome: 'finished',
      runId: '338',
      reRunOf: { runId: '337', attempt: 1, firstRunId: '337', notPassed: 2, runUrl: `${sim.url}/ui/td/runs/337` },
      state: { result: 'SUCCESS', passed: true, counts: { total: 5, passed: 5, failed: 0, aborted: 0 } }
    })
    expect(log.messages('info').slice(0, 3)).toEqual([
      `Starting Testsigma test plan 4096 at ${sim.url}`,
      'Attempt 2 of this workflow run: re-running only the 2 tests of run 337 (attempt 1) that did not pass, not the ' +
        'whole plan (rerun-failed-tests: true)',
      `Run 338 started: ${sim.url}/ui/td/runs/338`
    ])
  })

  it("re-runs a re-run that failed again in attempt 3, counting from the chain's first run", async () => {
    await firstAttempt()
    const plan = sim.runs.get(337)?.plan
    if (plan === undefined) throw new Error('run 337 is missing')
    // Attempt 2's re-run: of the 2 tests, 1 passes and 1 fails again.
    plan.manualReRun = {
      frames: [
        {
          status: 'STATUS_COMPLETED',
          result: 'FAILURE',
          counts: { total: 2, passed: 1, failed: 1, aborted: 0, stopped: 0, notExecuted: 0 }
        }
      ]
    }
    const second = await runTestPlan(configFor(), depsFor().deps, attempt2())
    expect(second).toMatchObject({
      runId: '338',
      state: { result: 'FAILURE', counts: { total: 5, passed: 4, failed: 1 } }
    })
    plan.manualReRun = undefined
    const { deps, log } = depsFor()
    const third = await runTestPlan(configFor(), deps, {
      reRun: {
        attempt: 3,
        sha: SHA,
        previous: { runId: '338', rootRunId: '337', attempt: 2, sha: SHA, source: 'the pull-request comment' }
      }
    })
    expect(sim.requestsTo('trigger').at(-1)?.json).toEqual({
      executionId: 4096,
      executionResultId: 338,
      isReRun: true,
      reRunType: 'ONLY_FAILED_TESTS'
    })
    // As Testsigma's UI adds a chain: the first run's 3 passes and the last re-run's 1 (§4.2: the one in between is
    // not read), of the first run's 5.
    expect(third).toMatchObject({
      runId: '339',
      reRunOf: { runId: '338', attempt: 2, firstRunId: '337', notPassed: 1 },
      state: { passed: true, counts: { total: 5, passed: 4, failed: 0 } }
    })
    expect(log.messages('info')[1]).toBe(
      'Attempt 3 of this workflow run: re-running only the 1 test of run 338 (attempt 2) that did not pass, not the ' +
        'whole plan (rerun-failed-tests: true)'
    )
  })

  it('says nothing and runs in full on a first attempt, or without a context', async () => {
    const { deps, log } = depsFor()
    await runTestPlan(configFor(), deps, { reRun: { attempt: 1, sha: SHA } })
    await runTestPlan(configFor(), deps)
    expect(log.text()).not.toContain('Attempt')
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      { executionId: 4096 },
      { executionId: 4096 }
    ])
  })

  it('runs in full when the previous run cannot be read, and says why', async () => {
    const { deps, log } = depsFor()
    const report = await runTestPlan(configFor(), deps, attempt2('999'))
    expect(report).toMatchObject({ outcome: 'finished', runId: '337' })
    expect(report.reRunOf).toBeUndefined()
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([{ executionId: 4096 }])
    expect(log.messages('info')[1]).toMatch(
      /^Attempt 2 of this workflow run: running test plan 4096 in full, because run 999 \(attempt 1\) could not be read from Testsigma \(Testsigma answered the status request for run 999 with HTTP 404/
    )
  })

  it('runs in full when the previous run belongs to another plan, without re-running it', async () => {
    await runTestPlan(configFor({ testPlanId: '2048' }), depsFor().deps)
    const { deps, log } = depsFor()
    await runTestPlan(configFor(), deps, attempt2('337'))
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      { executionId: 2048 },
      { executionId: 4096 }
    ])
    expect(log.messages('info')[1]).toMatch(
      /in full, because run 337 \(attempt 1\) could not be read from Testsigma \(Testsigma answered the status request for run 337 with a run of test plan 2048/
    )
  })

  it('never sends a re-run to the open-source dialect, nor reads the previous run there', async () => {
    const { deps, log } = depsFor()
    await runTestPlan(configFor({ apiDialect: 'open-source' }), deps, attempt2()).catch(() => undefined)
    expect(sim.requestsTo('status')).toHaveLength(0)
    expect(log.messages('info')[1]).toBe(
      "Attempt 2 of this workflow run: running test plan 4096 in full, because the open-source server's API cannot " +
        're-run failed tests (its trigger ignores the re-run fields and would start the whole plan)'
    )
  })

  it('sends the re-run once: a dropped answer is a failure that may have started a re-run, never a full run', async () => {
    await firstAttempt()
    sim.injectFault('trigger', { type: 'drop' })
    const { deps } = depsFor()
    const report = await runTestPlan(configFor(), deps, attempt2())
    expect(sim.requestsTo('trigger')).toHaveLength(2)
    expect(report.outcome).toBe('failed')
    expect(report.errorBrief).toContain('(a re-run may have started)')
    expect(report.error).toContain("It was not sent again, because a run may have started: check the plan's runs")
  })

  it('follows a re-run that names another parent, with a warning, and its own counts', async () => {
    await firstAttempt()
    const answer = { id: 900, executionId: 4096, status: 'STATUS_CREATED', result: 'QUEUED', reRunParentId: 1 }
    const body = JSON.stringify({ ...answer, totalCount: 2, passedCount: 0 })
    sim.injectFault('trigger', { type: 'status', status: 200, contentType: 'application/json', body })
    const { deps, log } = depsFor()
    const report = await runTestPlan(configFor({ wait: false }), deps, attempt2())
    expect(log.messages('warning')).toEqual([
      'Run 900 started as the re-run of the failed tests of run 337, but it names run 1 as its parent: its counts ' +
        'are shown as its own'
    ])
    // Not the chain's 5 of run 337 with its 3 passes: the re-run's own.
    expect(report).toMatchObject({ outcome: 'triggered', runId: '900', state: { counts: { total: 2, passed: 0 } } })
  })
})
