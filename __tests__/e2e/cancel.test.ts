/**
 * Cancellation and timeout of the real process: signals to dist/index.js mid-poll, as the runner sends
 * them when a job is cancelled. Real time, because the subject is a real process; each test takes a few seconds.
 */
import { once } from 'node:events'
import { BundleRun, startBundle } from '../../sim/run-bundle.js'
import { neverFinishingPlan } from '../../sim/quick-plans.js'
import { TestsigmaSimulator } from '../../sim/simulator.js'
import { TestsigmaClient } from '../../src/testsigma/client.js'

const API_KEY = 'tsk-cancel-51e2'
const endless = neverFinishingPlan()
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [endless] })
})
afterEach(async () => sim.close())

function start(inputs: Record<string, string> = {}): Promise<BundleRun> {
  return startBundle({
    inputs: { 'api-key': API_KEY, 'test-plan-id': '55', 'base-url': sim.url, 'poll-interval-seconds': '1', ...inputs }
  })
}

/** Resolves once the simulator has answered `count` status requests. */
async function statusRequests(count: number): Promise<void> {
  for (let i = 0; i < 200 && sim.requestsTo('status').length < count; i++) {
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  expect(sim.requestsTo('status').length).toBeGreaterThanOrEqual(count)
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s mid-poll', signal => {
  it('stops the Testsigma run, only that one, sets the outputs known so far and exits non-zero within 5 s', async () => {
    // Somebody else's run of another plan, active on the same Testsigma: a stop without canStopAll: false stops it too.
    sim.addPlan({ ...endless, id: '56', name: 'Someone else' })
    const other = await new TestsigmaClient({
      baseUrl: sim.url,
      apiKey: API_KEY,
      userAgent: 'test',
      requestTimeoutMs: 2000
    }).triggerRun({ testPlanId: '56' }, 'cloud')
    const bundle = await start()
    await statusRequests(2)
    const signalledAt = performance.now()
    bundle.child.kill(signal)
    const result = await bundle.result
    const exitMs = performance.now() - signalledAt

    expect(exitMs).toBeLessThan(5000)
    expect(result.exitCode).toBe(1)
    expect(sim.requestsTo('stop')).toHaveLength(1)
    expect(sim.requestsTo('stop')[0]).toMatchObject({
      path: '/api/v1/execution_results/338',
      json: { result: 'STOPPED', canStopAll: false }
    })
    expect(sim.runs.get(Number(other.runId))?.stoppedAt).toBeUndefined()
    expect(result.stdout).toContain(`::warning::${signal} received: the job is being cancelled`)
    expect(result.stdout).toContain('Run 338 stopped')
    expect(result.stdout).toMatch(
      /::error::Test plan "Endless" run 338: the job was cancelled \(last seen running: 1\/4 done \(1 passed\)\)/
    )
    expect(result.outputs).toMatchObject({ 'run-id': '338', status: 'STATUS_IN_PROGRESS', 'passed-count': '1' })
    expect(result.summary).toContain('🛑')
  })
})

it('exits at once on a second signal, even while the stop request hangs', async () => {
  sim.injectFault('stop', { type: 'hang' })
  const bundle = await start()
  await statusRequests(1)
  bundle.child.kill('SIGINT')
  for (let i = 0; i < 200 && sim.requestsTo('stop').length === 0; i++)
    await new Promise(resolve => setTimeout(resolve, 10))
  const secondAt = performance.now()
  bundle.child.kill('SIGTERM')
  const result = await bundle.result
  expect(performance.now() - secondAt).toBeLessThan(1000)
  expect(result.exitCode).toBe(1)
  expect(result.stdout).toContain('SIGTERM again: exiting now')
})

it('does not stop the run on cancel when stop-on-cancel is false', async () => {
  const bundle = await start({ 'stop-on-cancel': 'false' })
  await statusRequests(1)
  bundle.child.kill('SIGINT')
  const result = await bundle.result
  expect(result.exitCode).toBe(1)
  expect(sim.requestsTo('stop')).toHaveLength(0)
})

it('on timeout, stops the run and fails naming the timeout, the last state and the link', async () => {
  const bundle = await start({ 'timeout-minutes': '0.03' })
  const [exitCode] = (await once(bundle.child, 'exit')) as [number]
  const result = await bundle.result
  expect(exitCode).toBe(1)
  expect(sim.requestsTo('stop')).toHaveLength(1)
  expect(result.stdout).toContain(
    `::error::Test plan "Endless" run 337 did not finish within the timeout of 1.8 s (last seen running: ` +
      `1/4 done (1 passed)). The Testsigma run was stopped. If it needs longer, raise timeout-minutes. — ` +
      `${sim.url}/ui/td/runs/337`
  )
  expect(result.summary).toContain('### ⏱️ Testsigma: Endless did not finish in 1.8 s')
  expect(result.summary).toContain('**1 of 4 done** (1 passed), 3 not finished')
})

it('with a timeout shorter than the poll interval, still reads the status once and says where the run stood', async () => {
  const bundle = await start({ 'timeout-minutes': '0.05', 'poll-interval-seconds': '10' })
  const result = await bundle.result
  expect(result.exitCode).toBe(1)
  // Read before the end of timeout-minutes (3 s), which ends every request: a read at the end itself cannot be sent.
  expect(sim.requestsTo('status')).toHaveLength(1)
  expect(result.stdout).toContain(
    '::error::Test plan "Endless" run 337 did not finish within the timeout of 3 s (last seen running: 1/4 done ' +
      '(1 passed)). The Testsigma run was stopped. If it needs longer, raise timeout-minutes.'
  )
  expect(result.outputs).toMatchObject({ status: 'STATUS_IN_PROGRESS', 'passed-count': '1', 'total-count': '4' })
})

describe('SIGINT while the trigger is in flight', () => {
  /** Resolves once the trigger request has reached the simulator. */
  async function triggerArrived(): Promise<void> {
    for (let i = 0; i < 200 && sim.requestsTo('trigger').length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    expect(sim.requestsTo('trigger')).toHaveLength(1)
  }

  it('stops the run when the trigger still answers within the grace period', async () => {
    sim.injectFault('trigger', { type: 'delay', ms: 400 })
    const bundle = await start()
    await triggerArrived()
    bundle.child.kill('SIGINT')
    const result = await bundle.result
    expect(result.exitCode).toBe(1)
    expect(result.outputs['run-id']).toBe('337')
    expect(sim.requestsTo('stop')).toHaveLength(1)
    expect(result.stdout).toContain('Run 337 stopped')
    expect(result.stdout).toMatch(
      /::error::Test plan 55 run 337: the job was cancelled[^\n]*The Testsigma run was stopped\./
    )
    expect(sim.requestsTo('status')).toHaveLength(0)
  })

  it('says a run may have started, with the runs link, when no answer comes', async () => {
    sim.injectFault('trigger', { type: 'hang' })
    const bundle = await start()
    await triggerArrived()
    const signalledAt = performance.now()
    bundle.child.kill('SIGINT')
    const result = await bundle.result
    expect(performance.now() - signalledAt).toBeLessThan(5000)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      '::warning::The job was cancelled while the trigger was in flight, and no answer came: a run may have started. ' +
        `Check the runs of test plan 55 at ${sim.url}/ui/td/plans/55/details`
    )
    expect(result.summary).toContain('a run may have started')
    expect(sim.requestsTo('stop')).toHaveLength(0)
  })
})
