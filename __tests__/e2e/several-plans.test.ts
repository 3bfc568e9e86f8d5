/**
 * Several test plans in one step (`test-plan-id: 2048, 4096`), end to end: dist/index.js as the runner runs it,
 * against the simulator. Real time (the subject is a real process) with a 1 s poll interval.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { rssProbe } from '../../bench/processes.js'
import { scratchDir } from '../../sim/scratch.js'
import { BundleResult, runBundle, startBundle } from '../../sim/run-bundle.js'
import { finishedOnFirstRead, neverFinishingPlan } from '../../sim/quick-plans.js'
import { failingPlan, passingPlan, reRunPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { triggerElsewhere } from '../helpers/step.js'

const API_KEY = 'tsk-plans-e2e-93c1'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [finishedOnFirstRead(passingPlan('2048', 'Web')), finishedOnFirstRead(failingPlan('4096', 'Mobile'))]
  })
})
afterEach(async () => sim.close())

const inputsFor = (ids: string, inputs: Record<string, string> = {}): Record<string, string> => ({
  'api-key': API_KEY,
  'test-plan-id': ids,
  'base-url': sim.url,
  'poll-interval-seconds': '1',
  ...inputs
})

function run(ids: string, inputs: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({ inputs: inputsFor(ids, inputs) })
}

function runsOf(result: BundleResult): Array<Record<string, unknown>> {
  return JSON.parse(result.outputs.runs) as Array<Record<string, unknown>>
}

it('two plans, one failing: both triggers in flight at once, one red answer with a row per plan', async () => {
  // Each trigger is answered after 1 s: the second arrives before the first is answered only if they overlap.
  sim.injectFault('trigger', { type: 'delay', ms: 1000 })
  sim.injectFault('trigger', { type: 'delay', ms: 1000 })
  const result = await run('2048, 4096', { 'junit-report': 'reports/testsigma.xml' })

  const triggers = sim.requestsTo('trigger')
  expect(triggers.map(request => request.json)).toEqual([
    expect.objectContaining({ executionId: 2048 }),
    expect.objectContaining({ executionId: 4096 })
  ])
  expect(triggers[1].at - triggers[0].at).toBeLessThan(500)
  expect(result.exitCode).toBe(1)
  expect(result.stdout).toMatch(/::error::1 of 2 test plans passed\. Test plan "Mobile" run 338 FAILURE: /)
  expect(result.summary.split('\n')[0]).toBe('### ❌ Testsigma: 1 of 2 test plans passed')
  expect(result.summary).toMatch(/\| Web \(2048\) \| ✅ Passed \| 5 \| 5 \| 0 \| 0 \| 1 \| 2 min 5 s \| \[337\]/)
  expect(result.summary).toMatch(/\| Mobile \(4096\) \| ❌ Failed \| 5 \| 3 \| 1 \| 1 \| 1 \| 1 min 39 s \| \[338\]/)
  expect(result.summary).toContain('#### Tests that did not pass (2) in Mobile (4096)')
  expect(result.outputs).toMatchObject({
    'run-id': '337',
    'run-url': `${sim.url}/ui/td/runs/337`,
    result: 'FAILURE',
    'total-count': '10',
    'passed-count': '8',
    'failed-count': '1',
    'junit-report': 'reports/testsigma.xml'
  })
  expect(runsOf(result).map(entry => [entry.testPlanId, entry.runId, entry.result, entry.finalRunId])).toEqual([
    ['2048', '337', 'SUCCESS', '337'],
    ['4096', '338', 'FAILURE', '338']
  ])
  const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
  expect(xml).toMatch(/<testsuite id="0" name="Web \(2048\) · Chrome 120 on Windows 11" tests="5" failures="0"/)
  expect(xml).toMatch(/<testsuite id="1" name="Mobile \(4096\) · Chrome 120 on Windows 11" tests="5" failures="1"/)
  // The failed tests, each entry with its plan.
  expect(JSON.parse(result.outputs['failed-tests'])).toEqual([
    expect.objectContaining({ testPlanId: '4096', name: 'Test case 4' }),
    expect.objectContaining({ testPlanId: '4096', name: 'Test case 5' })
  ])
  // Failed tests are annotated with their plan.
  expect(result.stdout).toMatch(
    /::error title=Failed%3A Mobile \(4096\)%3A Test case 4 \(Chrome 120 on Windows 11\)::Step 5/
  )
  expect(result.stdout).toMatch(/::error title=Aborted%3A Mobile \(4096\)%3A Test case 5/)
})

it('one unknown plan and one that passes: the passing one runs and is reported, the step is red naming the other', async () => {
  const result = await run('999, 2048')
  expect(result.exitCode).toBe(1)
  expect(sim.requestsTo('trigger')).toHaveLength(2)
  expect(result.stdout).toMatch(/::error::1 of 2 test plans passed\. Test plan 999: Testsigma answered the trigger/)
  expect(result.summary).toMatch(/\| Test plan 999 \| ⚠️ Could not start: [^|]+\| — \|/)
  expect(result.summary).toMatch(/\| Web \(2048\) \| ✅ Passed \|/)
  expect(result.outputs['run-id']).toBeUndefined()
  expect(result.outputs).toMatchObject({ result: 'NOT_EXECUTED', 'passed-count': '5', 'total-count': '5' })
  expect(runsOf(result)).toEqual([
    expect.objectContaining({ testPlanId: '999', runId: null, outcome: 'failed' }),
    expect.objectContaining({ testPlanId: '2048', runId: '337', result: 'SUCCESS' })
  ])
})

it('cancelled with three runs in flight: stops exactly those three', async () => {
  for (const id of ['55', '56', '57', '58']) sim.addPlan(neverFinishingPlan(id))
  // Somebody else's run on the same server, which must go on.
  const other = await triggerElsewhere(sim, API_KEY, '58')
  const bundle = await startBundle({ inputs: inputsFor('55, 56, 57') })
  for (let i = 0; i < 400 && sim.requestsTo('status').length < 3; i++) {
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  bundle.child.kill('SIGINT')
  const result = await bundle.result
  expect(result.exitCode).toBe(1)
  const ours = runsOf(result).map(entry => `/api/v1/execution_results/${String(entry.runId)}`)
  expect(ours).toHaveLength(3)
  expect(
    sim
      .requestsTo('stop')
      .map(request => request.path)
      .sort()
  ).toEqual(ours.sort())
  expect(sim.requestsTo('stop').every(request => (request.json as { canStopAll?: boolean }).canStopAll === false)).toBe(
    true
  )
  expect(sim.runs.get(Number(other.runId))?.stoppedAt).toBeUndefined()
  expect(result.stdout).toMatch(/::error::0 of 3 test plans passed\./)
  expect(result.summary).toContain('🛑 Was cancelled')
})

it('a plan with a re-run chain next to one without: each followed to its own end', async () => {
  sim.addPlan(reRunPlan('5120', { name: 'Flaky' }))
  const result = await run('5120, 2048')
  expect(result.exitCode).toBe(0)
  expect(runsOf(result)).toEqual([
    expect.objectContaining({ testPlanId: '5120', runId: '337', finalRunId: '339', result: 'SUCCESS' }),
    expect.objectContaining({ testPlanId: '2048', runId: '338', finalRunId: '338', result: 'SUCCESS' })
  ])
  expect(result.outputs).toMatchObject({ result: 'SUCCESS', 're-run-count': '1', 'final-run-id': '339' })
  expect(result.summary).toMatch(/\| Flaky \(5120\) \| ✅ Passed \(re-run 1\) \|.*\| \[337 → 339\]\(/)
  expect(result.stdout).toContain('[plan 5120] Re-run 1 of run 337 appeared: run 339')
  expect(result.stdout).toContain('2 of 2 test plans passed')
})

it('a 429 to one plan holds every plan for its Retry-After: one backoff per server', async () => {
  sim.addPlan(passingPlan('6001', 'Slow A'))
  sim.addPlan(passingPlan('6002', 'Slow B'))
  sim.injectFault('status', { type: 'status', status: 429, headers: { 'retry-after': '2' } })
  const result = await run('6001, 6002')
  expect(result.exitCode).toBe(0)
  const reads = sim.requestsTo('status')
  const refusedAt = reads[0].at
  // Nobody reads again until the server's two seconds are over (timers may fire a few ms early).
  expect(reads.slice(1).every(read => read.at >= refusedAt + 1950)).toBe(true)
  expect(new Set(reads.slice(1, 3).map(read => read.path)).size).toBe(2)
})

it('twenty plans: every one reported, memory as flat as for one plan', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => String(3000 + i))
  for (const id of ids) sim.addPlan(finishedOnFirstRead(passingPlan(id, `Plan ${id}`)))
  const probe = await rssProbe(process.execPath, scratchDir('plans-rss'))
  const peakOf = async (testPlanIds: string): Promise<{ result: BundleResult; peakKib: number }> => {
    const { run: started, peakKib } = await probe.start({
      inputs: inputsFor(testPlanIds, { 'junit-report': 'all.xml' })
    })
    return { result: await started.result, peakKib: (await peakKib) ?? NaN }
  }
  const one = await peakOf(ids[0])
  const twenty = await peakOf(ids.join(', '))
  expect(one.result.exitCode).toBe(0)
  expect(twenty.result.exitCode).toBe(0)
  expect(runsOf(twenty.result)).toHaveLength(20)
  expect(twenty.result.summary.split('\n')[0]).toBe('### ✅ Testsigma: 20 of 20 test plans passed')
  // Within 10 MiB of one plan's peak.
  expect(twenty.peakKib - one.peakKib).toBeLessThan(10 * 1024)
})
