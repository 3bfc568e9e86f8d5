import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { runTestPlan } from '../src/action.js'
import type { StepDeps } from '../src/step.js'
import type { Config } from '../src/config.js'
import { decideVerdict } from '../src/report/verdict.js'
import { TestsigmaClient } from '../src/testsigma/client.js'
import { scratchDir } from '../sim/scratch.js'
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-Zq81'
let sim: TestsigmaSimulator
let workspace: string

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
  workspace = scratchDir('action-test')
})
afterEach(async () => sim.close())

const configFor = (overrides: Partial<Config> = {}): Config => stepConfig(sim, API_KEY, overrides)
const depsFor = (overrides: Partial<StepDeps> = {}) => stepDeps(sim, API_KEY, overrides)

/** A plan that never finishes on its own. */
const endlessPlan = (id = '55'): PlanScript => ({
  id,
  name: 'Endless',
  frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 4, passed: 1 } }]
})

describe('runTestPlan against the simulator', () => {
  it('triggers once, polls until finished, logs each change once inside a group', async () => {
    const { deps, log } = depsFor()
    const started: string[] = []
    const report = await runTestPlan(configFor(), { ...deps, onRunStarted: (id, url) => started.push(`${id} ${url}`) })
    expect(report).toMatchObject({ outcome: 'finished', runId: '337', state: { result: 'SUCCESS', passed: true } })
    expect(started).toEqual([`337 ${sim.url}/ui/td/runs/337`])
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(sim.requestsTo('status')).toHaveLength(3)
    expect(log.lines.map(line => `${line.level}: ${line.message}`)).toEqual([
      `info: Starting Testsigma test plan 2048 at ${sim.url}`,
      `info: Run 337 started: ${sim.url}/ui/td/runs/337`,
      'group: Waiting for run 337 (status every 15 s, for at most 3 h)',
      'info: [00:15] queued: 0/5 done (0 passed)',
      'info: [00:30] running: 2/5 done (2 passed)',
      'info: [00:45] passed: 5/5 done (5 passed)',
      'endgroup: ',
      "info: Tests of run 337 from Testsigma's JSON test results: 5 results, 0 did not pass"
    ])
  })

  it('does not poll with wait: false', async () => {
    const { deps } = depsFor()
    const report = await runTestPlan(configFor({ wait: false }), deps)
    expect(report).toMatchObject({ outcome: 'triggered', runId: '337' })
    expect(sim.requestsTo('status')).toHaveLength(0)
  })

  it('survives a burst of 502s, resets and HTML pages mid-poll, warning once per streak', async () => {
    const { deps, log } = depsFor()
    sim.injectFault('status', { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' })
    sim.injectFault('status', { type: 'drop' })
    sim.injectFault('status', { type: 'non-json' })
    sim.injectFault('status', { type: 'drop-mid-body' })
    const report = await runTestPlan(configFor(), deps)
    expect(report).toMatchObject({ outcome: 'finished', state: { result: 'SUCCESS' } })
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(sim.requestsTo('status')).toHaveLength(3 + 4)
    const warnings = log.messages('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Status request failed \(Testsigma answered the status request for run 337 with HTTP 502: 502 Bad Gateway\); next attempt in 1 s, retrying for up to 5 min$/
    )
    expect(log.messages('info')).toContain('Status requests answer again after 4 failed attempts')
  })

  it('sends a trigger answered 429 or 503 once: a proxy answers so after the trigger arrived too (issue 17)', async () => {
    for (const status of [429, 503]) {
      const { deps, clock } = depsFor({ random: () => 0 })
      const before = sim.runs.size
      sim.injectFault('trigger', {
        type: 'status',
        status,
        body: '{"error":"Too many requests"}',
        headers: { 'retry-after': '2' }
      })
      const report = await runTestPlan(configFor(), deps)
      expect(report.outcome).toBe('failed')
      expect(report.error).toContain(`HTTP ${status}: Too many requests`)
      expect(report.error).toContain("a run may have started: check the plan's runs at")
      expect(clock.sleeps).toEqual([])
      expect(sim.runs.size).toBe(before)
    }
    expect(sim.requestsTo('trigger')).toHaveLength(2)
  })

  it('sends a trigger answered 500 exactly once and says a run may have started', async () => {
    const { deps } = depsFor()
    sim.injectFault('trigger', {
      type: 'status',
      status: 500,
      body: '{"error":"Internal error"}',
      contentType: 'application/json'
    })
    const report = await runTestPlan(configFor(), deps)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(report.outcome).toBe('failed')
    expect(report.runId).toBeUndefined()
    expect(report.error).toContain('HTTP 500: Internal error')
    expect(report.error).toContain('a run may have started')
  })

  it('retries a trigger whose connection was refused', async () => {
    const { deps, clock } = depsFor()
    let attempts = 0
    const client = deps.client
    const flaky = Object.create(client) as TestsigmaClient
    flaky.triggerRun = async (request, dialect, signal) => {
      attempts += 1
      if (attempts === 1) {
        const refused = new TestsigmaClient({
          baseUrl: 'http://127.0.0.1:9',
          apiKey: API_KEY,
          userAgent: 'test',
          requestTimeoutMs: 2000
        })
        return refused.triggerRun(request, dialect, signal)
      }
      return client.triggerRun(request, dialect, signal)
    }
    const report = await runTestPlan(configFor(), { ...deps, client: flaky })
    expect(report.outcome).toBe('finished')
    expect(attempts).toBe(2)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(clock.sleeps[0]).toBe(1000)
  })

  it('gives up on a trigger that keeps being refused after a minute, saying no run started', async () => {
    const { deps, clock, log } = depsFor({
      client: new TestsigmaClient({
        baseUrl: 'http://127.0.0.1:9',
        apiKey: API_KEY,
        userAgent: 'test',
        requestTimeoutMs: 2000
      })
    })
    const start = clock.now()
    const report = await runTestPlan(configFor(), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toMatch(/ECONNREFUSED.*No run was started/)
    expect(report.errorBrief).toBe('Testsigma could not be reached')
    expect(clock.now() - start).toBeLessThanOrEqual(60_000)
    expect(clock.now() - start).toBeGreaterThan(30_000)
    // One warning when the refusals start, then a line per attempt saying when the next is and for how long.
    const warnings = log.messages('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Trigger failed \(.*ECONNREFUSED.*\); next attempt in 1 s, retrying for up to 1 min$/)
    const again = log.messages('info').filter(line => line.startsWith('Trigger failed again'))
    expect(again.length).toBeGreaterThan(2)
    expect(again[0]).toMatch(
      /^Trigger failed again \(attempt 2: .*ECONNREFUSED.*\); next attempt in 2 s, retrying for up to 59 s$/
    )
  })

  it('says every five minutes that a run still stands still, with the time since it started', async () => {
    sim.addPlan(endlessPlan('56'))
    const { deps, log } = depsFor()
    await runTestPlan(configFor({ testPlanId: '56', pollIntervalMs: 60_000, timeoutMs: 10 * 60_000 }), deps)
    expect(log.messages('info').filter(line => line.includes('no change for'))).toEqual([
      '[06:00] running: 1/4 done (1 passed); no change for 5 min'
    ])
  })

  it('fails at once on a refused key', async () => {
    const { deps } = depsFor({
      client: new TestsigmaClient({ baseUrl: sim.url, apiKey: 'bad', userAgent: 'test', requestTimeoutMs: 2000 })
    })
    const report = await runTestPlan(configFor(), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toContain('Testsigma refused the API key')
    expect(report.errorBrief).toBe('the API key was refused')
    expect(sim.requests).toHaveLength(1)
  })

  it('retries a hung status request after its time limit', async () => {
    const { deps, log } = depsFor({
      client: new TestsigmaClient({ baseUrl: sim.url, apiKey: API_KEY, userAgent: 'test', requestTimeoutMs: 250 })
    })
    sim.injectFault('status', { type: 'hang' })
    const report = await runTestPlan(configFor(), deps)
    expect(report).toMatchObject({ outcome: 'finished', state: { result: 'SUCCESS' } })
    expect(sim.requestsTo('status')).toHaveLength(4)
    expect(log.messages('warning')[0]).toContain('did not answer the status request for run 337 within 0.25 s')
  })

  it('fails after five minutes of nothing but faults, naming the last one', async () => {
    const { deps, clock } = depsFor()
    sim.injectFault('status', { type: 'status', status: 503, body: 'maintenance', contentType: 'text/plain' }, 100)
    const start = clock.now()
    const report = await runTestPlan(configFor(), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toMatch(/HTTP 503: maintenance \(after \d+ retries\)/)
    expect(clock.now() - start).toBeLessThan(15_000 + 5 * 60_000 + 1)
  })

  it('times out: stops the run, keeps the last state', async () => {
    sim.addPlan(endlessPlan())
    const { deps, clock, log } = depsFor()
    const start = clock.now()
    const report = await runTestPlan(configFor({ testPlanId: '55', timeoutMs: 60_000 }), deps)
    expect(report).toMatchObject({
      outcome: 'timed-out',
      stop: { stopped: true },
      state: { status: 'STATUS_IN_PROGRESS' }
    })
    // The last read, 5 s before the end of timeout-minutes, so that it can be answered within it.
    expect(clock.now() - start).toBe(55_000)
    expect(sim.requestsTo('stop')).toHaveLength(1)
    expect(sim.requestsTo('stop')[0].json).toEqual({ result: 'STOPPED', canStopAll: false })
    expect(log.messages('info')).toContain('Run 337 stopped')
  })

  it('still follows and stops a run whose id could not be published (issue 17)', async () => {
    sim.addPlan(endlessPlan())
    const onRunStarted = (): void => {
      throw new Error('EISDIR: illegal operation on a directory')
    }
    const { deps, log } = depsFor({ onRunStarted })
    const report = await runTestPlan(configFor({ testPlanId: '55', timeoutMs: 60_000 }), deps)
    expect(report).toMatchObject({ outcome: 'timed-out', stop: { stopped: true, runId: '337' } })
    expect(log.messages('warning')).toContain(
      'Could not publish run 337 (EISDIR: illegal operation on a directory); following it anyway'
    )
  })

  it('times out without stopping when stop-on-cancel is false', async () => {
    sim.addPlan(endlessPlan())
    const { deps } = depsFor()
    const report = await runTestPlan(configFor({ testPlanId: '55', timeoutMs: 60_000, stopOnCancel: false }), deps)
    expect(report.outcome).toBe('timed-out')
    expect(report.stop).toBeUndefined()
    expect(sim.requestsTo('stop')).toHaveLength(0)
  })

  it('turns a failed stop into a warning', async () => {
    sim.addPlan(endlessPlan())
    sim.injectFault('stop', {
      type: 'status',
      status: 500,
      body: '{"error":"Cannot stop"}',
      contentType: 'application/json'
    })
    const { deps, log } = depsFor()
    const report = await runTestPlan(configFor({ testPlanId: '55', timeoutMs: 30_000 }), deps)
    expect(report.stop).toEqual({
      stopped: false,
      runId: '337',
      detail: 'Testsigma answered the stop request for run 337 with HTTP 500: Cannot stop'
    })
    expect(log.messages('warning')).toContain(
      'Could not stop Testsigma run 337: Testsigma answered the stop request for run 337 with HTTP 500: Cannot stop'
    )
  })

  it('stops the run when the job is cancelled', async () => {
    sim.addPlan(endlessPlan())
    const controller = new AbortController()
    const { deps } = depsFor({ signal: controller.signal })
    const client = deps.client
    const cancelling = Object.create(client) as TestsigmaClient
    cancelling.getRun = async (runId, signal) => {
      const state = await client.getRun(runId, signal)
      if (sim.requestsTo('status').length === 2) controller.abort()
      return state
    }
    const report = await runTestPlan(configFor({ testPlanId: '55' }), { ...deps, client: cancelling })
    expect(report).toMatchObject({ outcome: 'cancelled', stop: { stopped: true } })
    expect(sim.requestsTo('stop')).toHaveLength(1)
  })

  it('writes the JUnit report after the run finished', async () => {
    const { deps } = depsFor()
    const absolutePath = path.join(workspace, 'reports', 'ts.xml')
    const report = await runTestPlan(
      configFor({ testPlanId: '4096', junitReport: { path: 'reports/ts.xml', absolutePath, workspace } }),
      deps
    )
    expect(report).toMatchObject({
      outcome: 'finished',
      junitReportPath: 'reports/ts.xml',
      state: { result: 'FAILURE' }
    })
    // The action's own file, from Testsigma's JSON results: a suite per device, the failing step's message.
    const xml = readFileSync(absolutePath, 'utf8')
    expect(xml).toContain('<testsuite id="0" name="Chrome 120 on Windows 11" tests="5" failures="1" errors="1"')
    expect(xml).toContain(
      '<failure message="Unable to perform click/check action on element, Element is not displayed."'
    )
    expect(sim.requestsTo('junit')).toHaveLength(0)
  })
})

/** A step against the simulator's failing plan (4096) unless told otherwise. */
async function runPlan(overrides: Partial<Config> = {}) {
  const { deps, log } = depsFor()
  const report = await runTestPlan(configFor({ testPlanId: '4096', ...overrides }), deps)
  return { report, log }
}

describe('the JUnit report of a finished run', () => {
  // A server without Testsigma's JSON results (an older one): the JUnit report is the source of the tests.
  beforeEach(async () => {
    await sim.close()
    sim = await TestsigmaSimulator.start({
      apiKey: API_KEY,
      plans: [passingPlan('2048'), failingPlan('4096')],
      results: { caseList: false }
    })
  })

  it('is read without a junit-report input: the failed tests, no file, no warning', async () => {
    const { report, log } = await runPlan()
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report.junitReportPath).toBeUndefined()
    expect(report.reportWarning).toBeUndefined()
    expect(report.testCases?.map(c => `${c.outcome} ${c.name}`)).toEqual([
      'passed Test case 1',
      'passed Test case 2',
      'passed Test case 3',
      'not-passed Test case 4',
      'not-passed Test case 5'
    ])
    expect(report.testCases?.[3]).toEqual({
      device: 'Chrome 120 on Windows 11',
      name: 'Test case 4',
      outcome: 'not-passed',
      failureMessage: 'Step 2 failed: element "#pay-button" was not found within 30 s',
      timeSeconds: 17.375,
      deviceTimeSeconds: 71.805
    })
    // Aborted, with no message ("null" in Testsigma's text).
    expect(report.testCases?.[4].failureMessage).toBeUndefined()
    // The simulator's timings hold together: no device took longer than the run (98.5 s).
    const deviceSeconds = (report.testCases ?? []).map(c => c.deviceTimeSeconds ?? 0)
    expect(Math.max(...deviceSeconds) * 1000).toBeLessThanOrEqual(report.state?.durationMs ?? 0)
    expect(log.messages('warning')).toEqual([])
  })

  it('is fetched once for both the file and the failed tests', async () => {
    const absolutePath = path.join(workspace, 'reports', 'ts.xml')
    const { report } = await runPlan({ junitReport: { path: 'reports/ts.xml', absolutePath, workspace } })
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report.junitReportPath).toBe('reports/ts.xml')
    expect(report.testCases).toHaveLength(5)
    expect(readFileSync(absolutePath, 'utf8')).toContain('<testcase name="Test case 4"')
  })

  it('is not asked for when the step does not wait', async () => {
    const { report } = await runPlan({ wait: false })
    expect(sim.requestsTo('junit')).toHaveLength(0)
    expect(report.testCases).toBeUndefined()
  })

  it('refused (an Enterprise feature) on a failed run: one warning says why, the verdict stands', async () => {
    sim.addPlan({
      ...failingPlan('77'),
      junit: {
        status: 403,
        contentType: 'application/json',
        body: '{"error":"JUnit reports need the Enterprise plan"}'
      }
    })
    const { report, log } = await runPlan({ testPlanId: '77' })
    const warning =
      'Failed tests are not listed: Testsigma refused the JUnit report request for run 337 ' +
      '(HTTP 403: JUnit reports need the Enterprise plan); on some plans the JUnit report is an Enterprise feature'
    expect(log.messages('warning')).toEqual([warning])
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report).toMatchObject({ outcome: 'finished', reportWarning: warning, state: { result: 'FAILURE' } })
    expect(report.testCases).toBeUndefined()
    expect(decideVerdict(report).level).toBe('error')
  })

  it('refused on a passed run nobody asked a file of: an info line, no warning, still green', async () => {
    sim.addPlan({ ...passingPlan('78'), junit: { status: 403, body: 'Forbidden', contentType: 'text/plain' } })
    const { report, log } = await runPlan({ testPlanId: '78' })
    expect(log.messages('warning')).toEqual([])
    expect(log.messages('info')).toContain(
      'No JUnit report read: Testsigma refused the JUnit report request for run 337 (HTTP 403: Forbidden); on some plans the JUnit report is an Enterprise feature'
    )
    expect(report.reportWarning).toBeUndefined()
    expect(decideVerdict(report).level).toBe('info')
  })

  it('as plain text on a failed run with a file asked for: one warning naming both losses', async () => {
    sim.addPlan({ ...failingPlan('79'), junit: { body: 'Report generation failed', contentType: 'text/plain' } })
    const absolutePath = path.join(workspace, 'ts.xml')
    const { report, log } = await runPlan({
      testPlanId: '79',
      junitReport: { path: 'ts.xml', absolutePath, workspace }
    })
    expect(log.messages('warning')).toEqual([
      'No JUnit report written to ts.xml, and failed tests are not listed: Testsigma answered the JUnit report ' +
        'request for run 337 with text that is not XML: Report generation failed'
    ])
    expect(existsSync(absolutePath)).toBe(false)
    expect(report.junitReportPath).toBeUndefined()
  })

  it('cut short: the file is still written as served, the failed tests are not listed', async () => {
    sim.addPlan({
      ...failingPlan('80'),
      junit: { body: '<?xml version="1.0"?><testsuites><testsuite name="Chrome"><testcase name="a">' }
    })
    const absolutePath = path.join(workspace, 'ts.xml')
    const { report, log } = await runPlan({
      testPlanId: '80',
      junitReport: { path: 'ts.xml', absolutePath, workspace }
    })
    expect(report.junitReportPath).toBe('ts.xml')
    expect(report.testCases).toBeUndefined()
    expect(log.messages('warning')).toHaveLength(1)
    expect(log.messages('warning')[0]).toMatch(/^Failed tests are not listed: The JUnit report is not well-formed XML/)
  })

  it('answered 502 once: read again, then used', async () => {
    sim.injectFault('junit', { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' })
    const { report, log } = await runPlan()
    expect(sim.requestsTo('junit')).toHaveLength(2)
    expect(report.testCases).toHaveLength(5)
    expect(log.messages('warning')).toEqual([])
  })

  it('failing for good: given up within a minute, since the verdict is already known', async () => {
    sim.injectFault('junit', { type: 'status', status: 503, body: 'maintenance', contentType: 'text/plain' }, 100)
    const { deps, log, clock } = depsFor()
    const start = clock.now()
    const report = await runTestPlan(configFor({ testPlanId: '4096' }), deps)
    const waitedForRun = 3 * 15_000
    expect(clock.now() - start - waitedForRun).toBeLessThanOrEqual(60_000)
    expect(report.state?.result).toBe('FAILURE')
    expect(report.reportWarning).toMatch(/HTTP 503: maintenance/)
    expect(log.messages('warning')).toHaveLength(1)
  })

  it('failing for good near the end of timeout-minutes: no retry past it, whatever is left of the minute', async () => {
    // Found by the fault soak: a run that finished just before the deadline kept retrying the report for a minute.
    sim.injectFault('junit', { type: 'status', status: 503, body: 'maintenance', contentType: 'text/plain' }, 100)
    const { deps, clock } = depsFor()
    const start = clock.now()
    const report = await runTestPlan(configFor({ testPlanId: '4096', timeoutMs: 50_000 }), deps)
    expect(report.outcome).toBe('finished')
    expect(clock.now() - start).toBeLessThanOrEqual(50_000)
    expect(report.reportWarning).toMatch(/HTTP 503: maintenance/)
  })
})

describe('a re-run chain', () => {
  async function runChain(plan: PlanScript, overrides: Partial<Config> = {}) {
    sim.addPlan(plan)
    const { deps, log, clock } = depsFor()
    const report = await runTestPlan(configFor({ testPlanId: plan.id, ...overrides }), deps)
    return { report, log, clock }
  }

  it('that passes on its re-run passes: the chain’s result and counts, the re-run’s report, one trigger', async () => {
    const { report, log } = await runChain(reRunPlan('5120'))
    expect(report).toMatchObject({
      outcome: 'finished',
      runId: '337',
      runUrl: `${sim.url}/ui/td/runs/337`,
      finalRunUrl: `${sim.url}/ui/td/runs/338`,
      state: {
        finalRunId: '338',
        reRuns: 1,
        passed: true,
        result: 'SUCCESS',
        counts: { total: 5, passed: 5, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
      }
    })
    expect(decideVerdict(report).level).toBe('info')
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(sim.requestsTo('cases').map(request => request.path)).toEqual([
      '/api/v1/execution_results/338/test_case_results'
    ])
    expect(report.testCases?.every(c => c.outcome === 'passed')).toBe(true)
    expect(log.messages('info')).toContain(`Re-run 1 of run 337 appeared: run 338 (${sim.url}/ui/td/runs/338)`)
  })

  it('that fails after its re-run fails, with the counts Testsigma’s UI shows', async () => {
    const { report } = await runChain(reRunPlan('5121', { reRunResult: 'FAILURE' }))
    expect(report.state).toMatchObject({
      finished: true,
      passed: false,
      result: 'FAILURE',
      finalRunId: '338',
      counts: { total: 5, passed: 4, failed: 1, aborted: 0 },
      abortedDerived: true
    })
    expect(decideVerdict(report)).toEqual({
      level: 'error',
      message: `Test plan "Checkout flow" run 337 FAILURE after 1 re-run (run 338): 4 passed, 1 failed of 5 — ${sim.url}/ui/td/runs/338`
    })
  })

  it('of two re-runs, counted as Testsigma’s UI counts: the first run’s passes and the deepest’s, of the first total', async () => {
    const finished = (result: string, total: number, passed: number) => ({
      status: 'STATUS_COMPLETED',
      result,
      counts: { total, passed, failed: total - passed }
    })
    const { report } = await runChain({
      id: '5129',
      name: 'Checkout flow',
      reRunType: 'ONLY_FAILED_TESTS',
      frames: [finished('FAILURE', 10, 5)],
      reRuns: [{ frames: [finished('FAILURE', 5, 2)] }, { frames: [finished('SUCCESS', 3, 3)] }]
    })
    expect(report.state).toMatchObject({
      finished: true,
      passed: true,
      finalRunId: '339',
      reRuns: 2,
      counts: { total: 10, passed: 8, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
    })
  })

  it('whose re-run appears two reads after the parent completed is waited for and followed', async () => {
    const { report, log, clock } = await runChain(reRunPlan('5122', { appearAfter: 2 }))
    expect(report.state).toMatchObject({ passed: true, finalRunId: '338', reRuns: 1 })
    expect(log.messages('info')).toContain(
      'Run 337 completed FAILURE and its test plan re-runs tests that did not pass: waiting up to 1 min for the re-run'
    )
    // Parent completed on read 3; reads 4 and 5 look for the re-run, which is there on 5 and passes on 6.
    expect(sim.requestsTo('status')).toHaveLength(6)
    expect(clock.sleeps.slice(0, 6)).toEqual(Array(6).fill(15_000))
    expect(sim.requestsTo('trigger')).toHaveLength(1)
  })

  it('expected but never appearing: the parent’s result stands after the grace period, and the log says so once', async () => {
    const { report, log } = await runChain({ ...failingPlan('5123'), reRunType: 'ONLY_FAILED_TESTS' })
    expect(report.state).toMatchObject({ finished: true, passed: false, result: 'FAILURE', reRunGivenUp: true })
    expect(sim.requestsTo('status')).toHaveLength(3 + 4)
    expect(log.messages('info').filter(line => line.startsWith('No re-run'))).toEqual([
      'No re-run of run 337 appeared in time: its result FAILURE stands'
    ])
    expect(sim.requestsTo('cases').map(request => request.path)).toEqual([
      '/api/v1/execution_results/337/test_case_results'
    ])
  })

  it('is not waited for when the answer gives no reason to expect one', async () => {
    const { report } = await runChain({ ...failingPlan('5124'), reRunType: 'NONE', isReRunEnabled: false })
    expect(report.state).toMatchObject({ finished: true, result: 'FAILURE' })
    expect(report.state?.reRunGivenUp).toBeUndefined()
    expect(sim.requestsTo('status')).toHaveLength(3)
  })

  it('keeps waiting while consolidatedStatus is pending, with re-runs said to be off', async () => {
    const { report } = await runChain({
      ...reRunPlan('5125', { appearAfter: 3 }),
      isReRunEnabled: false,
      reRunType: 'NONE',
      consolidated: 'pending'
    })
    expect(report.state).toMatchObject({ passed: true, finalRunId: '338' })
  })

  it('stays red when consolidatedResult keeps the parent’s FAILURE although the re-run passed, and says why', async () => {
    const { report, log } = await runChain({ ...reRunPlan('5126'), consolidated: 'own' })
    expect(report.state).toMatchObject({
      finished: true,
      passed: false,
      result: 'FAILURE',
      resultConflict: { consolidated: 'FAILURE', finalRun: 'SUCCESS' }
    })
    expect(log.messages('warning')).toContain(
      "Testsigma's chain result (consolidatedResult FAILURE) and the result of run 338 (SUCCESS) disagree: reporting FAILURE"
    )
  })

  it('stops only the re-run that is running on timeout, with canStopAll: false, and nobody else’s run', async () => {
    const plan = reRunPlan('5127')
    plan.reRuns = [{ frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 2 } }] }]
    sim.addPlan(endlessPlan('56'))
    const other = await deps0().client.triggerRun({ testPlanId: '56' }, 'cloud')
    const { report } = await runChain(plan, { timeoutMs: 120_000 })
    expect(report).toMatchObject({ outcome: 'timed-out', stop: { stopped: true, runId: '339' } })
    expect(sim.requestsTo('stop').map(request => [request.path, request.json])).toEqual([
      ['/api/v1/execution_results/339', { result: 'STOPPED', canStopAll: false }]
    ])
    expect(sim.runs.get(339)?.stoppedAt).toBeDefined()
    expect(sim.runs.get(Number(other.runId))?.stoppedAt).toBeUndefined()
  })

  it('sends no stop when cancelled while every run of the chain has completed', async () => {
    sim.addPlan({ ...failingPlan('5128'), reRunType: 'ONLY_FAILED_TESTS' })
    const controller = new AbortController()
    const { deps, log } = depsFor({ signal: controller.signal })
    const client = deps.client
    const cancelling = Object.create(client) as TestsigmaClient
    cancelling.getRun = async (runId, dialect, signal) => {
      const state = await client.getRun(runId, dialect, signal)
      if (state.reRunExpected) controller.abort()
      return state
    }
    const report = await runTestPlan(configFor({ testPlanId: '5128' }), { ...deps, client: cancelling })
    expect(report.outcome).toBe('cancelled')
    expect(report.stop).toBeUndefined()
    expect(sim.requestsTo('stop')).toHaveLength(0)
    expect(log.messages('info')).toContain('Nothing to stop: every run of the chain (latest: run 337) has completed')
  })
})

/** A client of the cloud simulator for setting up other runs. */
function deps0() {
  return depsFor().deps
}

describe('the open-source server', () => {
  let oss: TestsigmaSimulator
  beforeEach(async () => {
    oss = await TestsigmaSimulator.start({
      apiKey: API_KEY,
      dialect: 'open-source',
      plans: [passingPlan('2048'), { ...reRunPlan('5120') }]
    })
  })
  afterEach(async () => oss.close())

  async function runOss(overrides: Partial<Config> = {}) {
    const { deps, log } = stepDeps(oss, API_KEY)
    const report = await runTestPlan(stepConfig(oss, API_KEY, overrides), deps)
    return { report, log }
  }

  it('is found with no extra input: the cloud trigger’s 404 started nothing, the open-source trigger is kept', async () => {
    const { report, log } = await runOss({ buildNumber: '1.4.2' })
    expect(report).toMatchObject({ outcome: 'finished', runId: '337', state: { passed: true, result: 'SUCCESS' } })
    expect(oss.requestsTo('trigger').map(request => [request.path, request.json])).toEqual([
      ['/api/v1/execution_results', { executionId: 2048, buildNo: '1.4.2' }],
      ['/api/v1/test_plan_results', { testPlanId: 2048, buildNo: '1.4.2' }]
    ])
    expect(new Set(oss.requestsTo('status').map(request => request.path))).toEqual(
      new Set(['/api/v1/test_plan_results/337'])
    )
    expect(oss.runs.size).toBe(1)
    expect(log.messages('info')).toContain(
      `${oss.url} has no /api/v1/execution_results (HTTP 404 with the server's own answer for a path it does not ` +
        "have, which names that path: no run was started): trying the self-hosted open-source Testsigma server's " +
        'API (/api/v1/test_plan_results), kept for the rest of this step'
    )
  })

  it('is spoken from the start with api-dialect: open-source', async () => {
    const { report } = await runOss({ apiDialect: 'open-source' })
    expect(report.state?.passed).toBe(true)
    expect(oss.requestsTo('trigger').map(request => request.path)).toEqual(['/api/v1/test_plan_results'])
  })

  it('follows its re-run chain in snake_case and judges by the re-run', async () => {
    const { report } = await runOss({ testPlanId: '5120' })
    expect(report.state).toMatchObject({ passed: true, finalRunId: '338', reRuns: 1, result: 'SUCCESS' })
    expect(oss.requestsTo('junit').map(request => request.path)).toEqual(['/api/v1/reports/junit/338'])
  })

  it('fails naming environment-id when auto finds the open-source server; no run started', async () => {
    const { report } = await runOss({ uploadVersions: { '101': 5003 }, environmentId: 17 })
    expect(report.outcome).toBe('failed')
    expect(report.error).toBe(
      `${oss.url} has no /api/v1/execution_results (HTTP 404), so it is not Testsigma's cloud API; if it is a ` +
        'self-hosted open-source Testsigma server, its trigger cannot carry environment-id. No run was started. ' +
        'Remove environment-id and set api-dialect: open-source, or check base-url.'
    )
    expect(oss.requestsTo('trigger')).toHaveLength(1)
    expect(oss.runs.size).toBe(0)
  })

  it('sends upload-versions to the open-source server it found, keyed by test device id (issue 21)', async () => {
    const { report } = await runOss({ uploadVersions: { '101': 5003 } })
    expect(report.outcome).toBe('finished')
    expect(oss.requestsTo('trigger').at(-1)).toMatchObject({
      path: '/api/v1/test_plan_results',
      json: { testPlanId: 2048, uploadVersions: { '101': 5003 } }
    })
  })

  it('with api-dialect: cloud, fails at the 404 naming api-dialect, after one trigger', async () => {
    const { report } = await runOss({ apiDialect: 'cloud' })
    expect(report.error).toContain('has no /api/v1/execution_results (HTTP 404: Not Found)')
    expect(report.error).toContain('set api-dialect: open-source (or auto)')
    expect(oss.requestsTo('trigger')).toHaveLength(1)
  })

  it('says test-plan-id is unknown for an unknown plan, not that a run may have started', async () => {
    const { report } = await runOss({ testPlanId: '2049' })
    expect(report.error).toContain('HTTP 500: Could not find resource with id:2049')
    expect(report.error).toContain('test-plan-id is unknown to this server, so no run was started')
    expect(report.error).not.toContain('may have started')
  })

  it('says another run is in progress for a busy plan, that no new run was started, and suggests a concurrency group', async () => {
    await new TestsigmaClient({
      baseUrl: oss.url,
      apiKey: API_KEY,
      userAgent: 'test',
      requestTimeoutMs: 2000
    }).triggerRun({ testPlanId: '2048' }, 'open-source')
    const { report } = await runOss()
    expect(report.outcome).toBe('failed')
    expect(report.error).toContain('Another run of this test plan is in progress')
    expect(report.error).toContain('no new run was started')
    expect(report.error).toContain('concurrency: testsigma-plan-2048')
    expect(oss.runs.size).toBe(1)
  })

  describe('a trigger whose answer a proxy lost (issue 17)', () => {
    const lost = { type: 'after-acting', status: 503, body: '<html>Service Unavailable</html>' } as const

    it('is found among the plan’s runs by its build number, and followed: one trigger, one run', async () => {
      oss.injectFault('trigger', lost)
      const { report, log } = await runOss({ apiDialect: 'open-source', buildNumber: '1.4.2' })
      expect(report).toMatchObject({ outcome: 'finished', runId: '337', state: { passed: true } })
      expect(oss.requestsTo('trigger')).toHaveLength(1)
      expect(oss.runs.size).toBe(1)
      expect(oss.requestsTo('list').map(request => request.path)).toEqual([
        '/api/v1/test_plan_results',
        '/api/v1/test_plan_results'
      ])
      expect(log.messages('warning')).toContain(
        "The trigger's answer was lost (Testsigma answered HTTP 503 (a run may have started)), but run 337 of this " +
          "test plan, with build number 1.4.2, appeared after it and is the only one: it is this step's run, followed " +
          'from here'
      )
    })

    it('is not taken for a run of an earlier attempt with the same build number', async () => {
      const earlier = new TestsigmaClient({
        baseUrl: oss.url,
        apiKey: API_KEY,
        userAgent: 'test',
        requestTimeoutMs: 2000
      })
      oss.addPlan(endlessPlan('56'))
      await earlier.triggerRun({ testPlanId: '56', buildNo: '1.4.2' }, 'open-source')
      // The server refused this one (its run still going), and the proxy said 503.
      oss.injectFault('trigger', { type: 'status', status: 503, body: '' })
      const { report } = await runOss({ apiDialect: 'open-source', buildNumber: '1.4.2', testPlanId: '56' })
      expect(report.outcome).toBe('failed')
      expect(report.runId).toBeUndefined()
      expect(report.error).toContain(
        "a run may have started: check the plan's runs at " +
          `${oss.url}/ui/td/plans/56/details before re-running the job. No run of this test plan with build ` +
          'number 1.4.2 appeared after the trigger (searched 3 times).'
      )
    })

    it('is not looked for without a build number the search can carry, nor on the cloud', async () => {
      oss.injectFault('trigger', lost)
      const { report } = await runOss({ apiDialect: 'open-source', buildNumber: 'feature/x' })
      expect(report.error).toContain('a run may have started')
      expect(oss.requestsTo('list')).toHaveLength(0)
      sim.injectFault('trigger', lost)
      const { deps } = depsFor()
      const cloud = await runTestPlan(configFor({ buildNumber: '1.4.2' }), deps)
      expect(cloud.error).toContain('a run may have started')
      expect(sim.requestsTo('list')).toHaveLength(0)
    })
  })

  it('stops on its own path when the step times out', async () => {
    oss.addPlan(endlessPlan('55'))
    const { report } = await runOss({ testPlanId: '55', apiDialect: 'open-source', timeoutMs: 60_000 })
    expect(report.stop).toEqual({ stopped: true, runId: '337' })
    expect(oss.requestsTo('stop').map(request => request.path)).toEqual(['/api/v1/test_plan_results/337'])
  })
})

describe('a base-url that has neither path', () => {
  it('fails saying so after one trigger per dialect, no run started', async () => {
    const springNotFound = (path: string) => ({
      type: 'status' as const,
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ timestamp: 1, status: 404, error: 'Not Found', message: '', path })
    })
    sim.injectFault('trigger', springNotFound('/api/v1/execution_results'))
    sim.injectFault('trigger', springNotFound('/api/v1/test_plan_results'))
    const { deps } = depsFor()
    const report = await runTestPlan(configFor(), deps)
    expect(report.error).toBe(
      `${sim.url} has neither /api/v1/execution_results nor /api/v1/test_plan_results (HTTP 404 for both), so no ` +
        "run was started. Check that base-url is the Testsigma server's address, without a path."
    )
    expect(sim.requestsTo('trigger')).toHaveLength(2)
    expect(sim.runs.size).toBe(0)
  })
})
