/** Reading a run's per-test and per-step results against the simulator: bounded, degrading, never throwing. */
import { fetchTestResults, ResultsOutcome } from '../src/fetch-results.js'
import { failingPlan, PlanScript, TestsigmaSimulator } from '../sim/simulator.js'
import type { SimulatorOptions } from '../sim/simulator.js'
import { stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-fetch-results'
let sim: TestsigmaSimulator

afterEach(async () => sim?.close())

/** Six tests of which four did not pass, on two devices. */
const MIXED: PlanScript = {
  ...failingPlan('4096'),
  devices: ['Chrome 120 on Windows 11', 'Safari 17 on macOS'],
  frames: [
    {
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      counts: { total: 6, passed: 2, failed: 2, aborted: 1, stopped: 0, notExecuted: 1 }
    }
  ]
}

/** Starts the simulator, runs the plan to its end, and reads its results with `until` this far from now. */
async function readResults(
  options: Partial<SimulatorOptions> = {},
  budgetMs = 10_000,
  prepare: (sim: TestsigmaSimulator) => void = () => undefined
): Promise<{ outcome: ResultsOutcome; runId: string }> {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [MIXED], ...options })
  const { deps, clock } = stepDeps(sim, API_KEY)
  const { runId } = await deps.client.triggerRun({ testPlanId: '4096' }, 'cloud')
  await deps.client.getRun(runId, 'cloud')
  prepare(sim)
  return { outcome: await fetchTestResults(runId, deps, { until: clock.now() + budgetMs }), runId }
}

function read(outcome: ResultsOutcome) {
  if (outcome.kind !== 'read') throw new Error(`not read: ${outcome.reason}`)
  return outcome.results
}

describe('fetchTestResults', () => {
  it('lists every test and finds the failing step of those that failed or were aborted, not of the others', async () => {
    const { outcome } = await readResults()
    const results = read(outcome)
    expect(results.cases.map(c => c.result)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'FAILURE',
      'FAILURE',
      'ABORTED',
      'NOT_EXECUTED'
    ])
    expect(results.stepsWarning).toBeUndefined()
    const failed = results.cases[2]
    expect(results.failingSteps.get(failed.caseResultId)).toMatchObject({
      action: 'Click on Pay button',
      result: 'FAILURE'
    })
    const aborted = results.cases[4]
    expect(results.failingSteps.get(aborted.caseResultId)).toMatchObject({ result: 'ABORTED', position: 2 })
    // Three tests had steps to read; a not-executed test ran none.
    expect(sim.requestsTo('steps')).toHaveLength(3)
  })

  it('reads the steps at v1 on a server from before the move, asking v2 only until it learns', async () => {
    const { outcome } = await readResults({ results: { steps: 'v1' } })
    expect(read(outcome).failingSteps.size).toBe(3)
    const paths = sim.requestsTo('steps').map(request => request.path.split('/')[2])
    expect(paths.filter(version => version === 'v2').length).toBeLessThanOrEqual(4)
    expect(paths.filter(version => version === 'v1')).toHaveLength(3)
  })

  it('keeps the list and says once why steps are missing, when the server has none', async () => {
    const { outcome } = await readResults({ results: { steps: 'none' } })
    const results = read(outcome)
    expect(results.cases).toHaveLength(6)
    expect(results.failingSteps.size).toBe(0)
    expect(results.stepsWarning).toBe('Testsigma has no step results at this address')
  })

  it('is unavailable, and says the endpoint is missing, on a server without the case list (open-source, older)', async () => {
    const { outcome } = await readResults({ results: { caseList: false } })
    expect(outcome).toMatchObject({ kind: 'unavailable', missing: true })
  })

  it('retries a 5xx of the case list, and reads it', async () => {
    const { outcome } = await readResults({}, 10_000, s => s.injectFault('cases', { type: 'status', status: 502 }))
    expect(read(outcome).cases).toHaveLength(6)
    expect(sim.requestsTo('cases')).toHaveLength(2)
  })

  it("says why a test's steps could not be read, and keeps the others'", async () => {
    const { outcome } = await readResults({}, 10_000, s =>
      s.injectFault('steps', { type: 'status', status: 403, body: 'Forbidden' })
    )
    const results = read(outcome)
    expect(results.failingSteps.size).toBe(2)
    expect(results.stepsWarning).toContain('HTTP 403')
  })

  it('ends with its budget: a hung step page is cut, and the list stands', async () => {
    const { outcome } = await readResults({}, 1500, s => s.injectFault('steps', { type: 'hang' }, 3))
    const results = read(outcome)
    expect(results.cases).toHaveLength(6)
    expect(results.stepsWarning).toBeDefined()
  })

  it('reads nothing when no time is left', async () => {
    const { outcome } = await readResults({}, 0)
    expect(outcome).toEqual({ kind: 'unavailable', missing: false, reason: 'no time was left to read them' })
  })
})
