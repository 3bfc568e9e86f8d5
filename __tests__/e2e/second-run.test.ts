/**
 * End to end (issue 17, "A second run must not start"): dist/index.js against a simulator behind a proxy that
 * forwarded the trigger, so the run started, and then lost the answer: an empty or HTML 404, a 503, a 429. Each
 * trigger is sent once; the step says a run may have started and links the plan's runs.
 */
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { Fault, passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { lastError } from '../helpers/bundle-log.js'

const API_KEY = 'tsk-e2e-second-run'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [finishedOnFirstRead(passingPlan('2048'))] })
})
afterEach(async () => sim.close())

function run(inputs: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'timeout-minutes': '0.2',
      ...inputs
    },
    killAfterMs: 30_000
  })
}

describe('a trigger whose answer a proxy lost after the run started', () => {
  it.each<[string, Fault]>([
    ['an empty 404', { type: 'after-acting', status: 404, body: '' }],
    [
      'an HTML 404',
      { type: 'after-acting', status: 404, body: '<html><body><h1>404 Not Found</h1>nginx</body></html>' }
    ]
  ])(
    'api-dialect auto: %s is no proof that the path is missing, so the open-source trigger is not sent',
    async (_, fault) => {
      sim.injectFault('trigger', fault)
      const result = await run()
      expect(sim.requestsTo('trigger').map(request => request.path)).toEqual(['/api/v1/execution_results'])
      expect(sim.runs.size).toBe(1)
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        "The cloud path's HTTP 404 is not the server's answer for a path it does not have (a JSON body that names " +
          "the path), so the open-source server's trigger was not sent"
      )
      expect(lastError(result)).toContain(
        `a run may have started: check the plan's runs at ${sim.url}/ui/td/plans/2048/details`
      )
    }
  )

  it.each([503, 429])('a %s is not sent again: one trigger, one run, "a run may have started"', async status => {
    sim.injectFault('trigger', { type: 'after-acting', status, body: '<html><body>Service Unavailable</body></html>' })
    const result = await run()
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(sim.runs.size).toBe(1)
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toContain(`HTTP ${status}`)
    expect(lastError(result)).toContain(`a run may have started: check the plan's runs at ${sim.url}/ui/td/plans/2048`)
  })
})

describe('on the self-hosted open-source server, which lists a plan’s runs', () => {
  it('finds the run a lost trigger started by its build number and follows it: green, one trigger, one run', async () => {
    await sim.close()
    sim = await TestsigmaSimulator.start({
      apiKey: API_KEY,
      dialect: 'open-source',
      plans: [finishedOnFirstRead(passingPlan('2048'))]
    })
    // api-dialect auto: the cloud's path answers the framework's 404 as it is; the open-source trigger's answer is lost.
    sim.injectFault('trigger', { type: 'delay', ms: 0 })
    sim.injectFault('trigger', { type: 'after-acting', status: 503, body: '<html>Service Unavailable</html>' })
    const result = await run({ 'build-number': '1.4.2' })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('trigger').map(request => request.path)).toEqual([
      '/api/v1/execution_results',
      '/api/v1/test_plan_results'
    ])
    expect(sim.runs.size).toBe(1)
    expect(result.outputs).toMatchObject({ 'run-id': '337', result: 'SUCCESS' })
    expect(result.stdout).toContain("::warning::The trigger's answer was lost (Testsigma answered HTTP 503")
  })
})
