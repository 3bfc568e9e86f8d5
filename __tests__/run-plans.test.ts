import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from '../src/config.js'
import type { StepDeps } from '../src/step.js'
import { oneAtATime, runTestPlans } from '../src/run-plans.js'
import type { JunitReader } from '../src/report/junit-reader.js'
import { BackoffGate } from '../src/testsigma/backoff-gate.js'
import { TestsigmaClient } from '../src/testsigma/client.js'
import { neverFinishingPlan } from '../sim/quick-plans.js'
import { scratchDir } from '../sim/scratch.js'
import { failingPlan, passingPlan, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { FakeClock } from './helpers/fake-clock.js'
import { stepConfig, stepDeps, triggerElsewhere } from './helpers/step.js'
import { trackedClient, VirtualClock } from './helpers/virtual-clock.js'

const API_KEY = 'ts-key-plans-4k2'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [passingPlan('2048', 'Web'), failingPlan('4096', 'Mobile'), reRunPlan('5120', { name: 'Flaky' })]
  })
})
afterEach(async () => sim.close())

/** The simulator's client and a clock on which the plans' waits overlap as they would in real time. */
const depsFor = (overrides: Partial<StepDeps> & { clock?: VirtualClock } = {}) => {
  const clock = overrides.clock ?? new VirtualClock()
  const made = stepDeps(sim, API_KEY, { ...overrides, clock })
  made.deps.client = trackedClient(made.deps.client, clock)
  return made
}

const configFor = (ids: string[], overrides: Partial<Config> = {}): Config =>
  stepConfig(sim, API_KEY, { testPlanId: ids[0], testPlanIds: ids, ...overrides })

describe('runTestPlans against the simulator', () => {
  it('starts every plan once, follows them together and reports each in the order given', async () => {
    const { deps, log } = depsFor()
    const started: string[] = []
    const report = await runTestPlans(configFor(['4096', '2048']), {
      ...deps,
      onRunStarted: (id, url) => started.push(`${id} ${url}`)
    })
    expect(report.plans.map(plan => [plan.testPlanId, plan.outcome, plan.state?.result])).toEqual([
      ['4096', 'finished', 'FAILURE'],
      ['2048', 'finished', 'SUCCESS']
    ])
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      expect.objectContaining({ executionId: 4096 }),
      expect.objectContaining({ executionId: 2048 })
    ])
    // Only the first plan's run is published as run-id and run-url while the step goes on.
    expect(started).toEqual([`337 ${sim.url}/ui/td/runs/337`])
    // Each line says whose it is; groups, which cannot interleave, are lines.
    expect(log.lines.every(line => line.level !== 'group')).toBe(true)
    expect(log.messages('info')).toContain('[plan 2048] [00:52] passed: 5/5 done (5 passed)')
    expect(log.messages('info')).toContain('[plan 4096] [00:45] failed: 5/5 done (3 passed, 1 failed, 1 aborted)')
  })

  it('spreads the status reads over the interval, no plan reading more often than alone', async () => {
    const clock = new VirtualClock()
    const { deps } = depsFor({ clock })
    const reads: Array<[string, number]> = []
    const client = deps.client
    const start = clock.now()
    deps.client = Object.assign(Object.create(client) as TestsigmaClient, {
      getRun: (...args: Parameters<TestsigmaClient['getRun']>) => {
        reads.push([args[0], clock.now() - start])
        return client.getRun(...args)
      }
    })
    await runTestPlans(configFor(['2048', '4096', '5120']), deps)
    const firstReads = ['337', '338', '339'].map(run => reads.find(([id]) => id === run)?.[1])
    // 15 s apart for each plan, offset by a third of the interval from plan to plan.
    expect(firstReads).toEqual([15_000, 20_000, 25_000])
    expect(reads.filter(([id]) => id === '337')).toHaveLength(3)
    expect(reads.filter(([id]) => id === '338')).toHaveLength(3)
  })

  it('follows a re-run chain for one plan next to a plan without one', async () => {
    const { deps } = depsFor()
    const report = await runTestPlans(configFor(['5120', '2048']), deps)
    expect(report.plans[0]).toMatchObject({ outcome: 'finished', state: { reRuns: 1, result: 'SUCCESS' } })
    expect(report.plans[0].state?.finalRunId).not.toBe(report.plans[0].runId)
    expect(report.plans[1]).toMatchObject({ outcome: 'finished', state: { reRuns: 0, result: 'SUCCESS' } })
  })

  it('reports a plan that cannot start and runs the others', async () => {
    const { deps } = depsFor()
    const report = await runTestPlans(configFor(['999', '2048']), deps)
    expect(report.plans[0]).toMatchObject({ testPlanId: '999', outcome: 'failed' })
    expect(report.plans[0].runId).toBeUndefined()
    expect(report.plans[0].error).toMatch(/999/)
    expect(report.plans[1]).toMatchObject({ testPlanId: '2048', outcome: 'finished', state: { passed: true } })
    expect(sim.requestsTo('trigger')).toHaveLength(2)
  })

  it('on cancel, stops every run it started and only those', async () => {
    for (const id of ['55', '56', '57', '58']) sim.addPlan(neverFinishingPlan(id))
    const other = await triggerElsewhere(sim, API_KEY, '58')
    const cancellation = new AbortController()
    const clock = new (class extends VirtualClock {
      override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        if (this.time >= 1_000_000 + 60_000) cancellation.abort()
        return super.sleep(ms, signal)
      }
    })()
    const { deps } = depsFor({ clock, signal: cancellation.signal })
    const report = await runTestPlans(configFor(['55', '56', '57']), deps)
    expect(report.plans.map(plan => plan.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    const stopped = sim.requestsTo('stop').map(request => request.path)
    const ours = report.plans.map(plan => `/api/v1/execution_results/${plan.runId}`)
    expect(stopped.sort()).toEqual(ours.sort())
    expect(ours).not.toContain(`/api/v1/execution_results/${other.runId}`)
    expect(report.plans.every(plan => plan.stop?.stopped === true)).toBe(true)
  })

  it('writes one JUnit file with every plan suites, named by plan', async () => {
    const workspace = scratchDir('plans-junit')
    const { deps } = depsFor()
    const target = { path: 'reports/all.xml', absolutePath: path.join(workspace, 'reports/all.xml'), workspace }
    const report = await runTestPlans(configFor(['2048', '4096'], { junitReport: target }), deps)
    expect(report.junitReportPath).toBe('reports/all.xml')
    const xml = readFileSync(target.absolutePath, 'utf8')
    expect(xml).toContain('<testsuite id="0" name="Web (2048) · Chrome 120 on Windows 11" tests="5" failures="0"')
    expect(xml).toContain('<testsuite id="1" name="Mobile (4096) · Chrome 120 on Windows 11" tests="5" failures="1"')
  })

  it('times out every plan at the one deadline of the step and stops each run', async () => {
    for (const id of ['55', '56']) sim.addPlan(neverFinishingPlan(id))
    const clock = new VirtualClock()
    const { deps } = depsFor({ clock })
    const start = clock.now()
    const report = await runTestPlans(configFor(['55', '56'], { timeoutMs: 120_000 }), deps)
    expect(report.plans.map(plan => plan.outcome)).toEqual(['timed-out', 'timed-out'])
    expect(sim.requestsTo('stop')).toHaveLength(2)
    expect(clock.now() - start).toBeLessThanOrEqual(120_000)
  })
})

describe('the backoff shared by the plans', () => {
  it('holds every plan after a 429 to one of them, for its Retry-After', async () => {
    const clock = new FakeClock()
    const gate = new BackoffGate(clock)
    const client = new TestsigmaClient({
      baseUrl: sim.url,
      apiKey: API_KEY,
      userAgent: 'test',
      requestTimeoutMs: 2000,
      gate
    })
    const first = await client.triggerRun({ testPlanId: '2048' }, 'cloud')
    const second = await client.triggerRun({ testPlanId: '4096' }, 'cloud')
    sim.injectFault('status', { type: 'status', status: 429, headers: { 'retry-after': '20' } })
    await expect(client.getRun(first.runId, 'cloud')).rejects.toThrow(/429/)
    expect(gate.closedForMs()).toBe(20_000)
    const before = clock.now()
    await client.getRun(second.runId, 'cloud')
    expect(clock.now() - before).toBe(20_000)
    // The stop never waits.
    sim.injectFault('status', { type: 'status', status: 429, headers: { 'retry-after': '20' } })
    await expect(client.getRun(first.runId, 'cloud')).rejects.toThrow(/429/)
    const beforeStop = clock.now()
    await client.stopRun(first.runId, 'cloud')
    expect(clock.now()).toBe(beforeStop)
  })

  it('without Retry-After, pauses for a doubling backoff that ends with the streak', () => {
    const clock = new FakeClock()
    const gate = new BackoffGate(clock)
    gate.answered(503, undefined)
    expect(gate.closedForMs()).toBe(500)
    gate.answered(503, undefined)
    expect(gate.closedForMs()).toBe(1000)
    gate.answered(200, undefined)
    gate.answered(429, undefined)
    expect(gate.closedForMs()).toBe(1000)
  })
})

describe('oneAtATime', () => {
  it('reads one report at a time', async () => {
    let reading = 0
    let most = 0
    const reader: JunitReader = {
      prepare: () => undefined,
      read: async () => {
        reading += 1
        most = Math.max(most, reading)
        await new Promise(resolve => setTimeout(resolve, 5))
        reading -= 1
        return []
      }
    }
    const queued = oneAtATime(reader)
    const limits = { timeLimitMs: 1000, signal: new AbortController().signal }
    await Promise.all([1, 2, 3].map(() => queued.read('<x/>', {}, limits)))
    expect(most).toBe(1)
  })
})
