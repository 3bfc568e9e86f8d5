import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runTestPlan, StepDeps } from '../src/action.js'
import type { Config } from '../src/config.js'
import { decideVerdict } from '../src/report/verdict.js'
import { TestsigmaClient } from '../src/testsigma/client.js'
import { failingPlan, passingPlan, PlanScript, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-Zq81'
let sim: TestsigmaSimulator
let workspace: string

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
  workspace = mkdtempSync(path.join(tmpdir(), 'action-test-'))
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
      'info: STATUS_QUEUED (QUEUED): 0/5 done, 0 passed, 0 failed',
      'info: STATUS_IN_PROGRESS (QUEUED): 2/5 done, 2 passed, 0 failed',
      'info: STATUS_COMPLETED (SUCCESS): 5/5 done, 5 passed, 0 failed',
      'endgroup: '
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
      /^Status request failed \(Testsigma answered the status request for run 337 with HTTP 502: 502 Bad Gateway\); retrying/
    )
    expect(log.messages('info')).toContain('Status requests answer again after 4 failed attempts')
  })

  it('retries a trigger answered 429 with Retry-After: 2 exactly once, starting exactly one run', async () => {
    const { deps, clock, log } = depsFor({ random: () => 0 })
    sim.injectFault('trigger', {
      type: 'status',
      status: 429,
      body: '{"error":"Too many requests"}',
      headers: { 'retry-after': '2' }
    })
    const report = await runTestPlan(configFor(), deps)
    expect(report.outcome).toBe('finished')
    expect(sim.requestsTo('trigger')).toHaveLength(2)
    expect(sim.runs.size).toBe(1)
    expect(clock.sleeps[0]).toBe(2000)
    expect(log.messages('warning')[0]).toContain('HTTP 429: Too many requests')
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
    flaky.triggerRun = async (request, signal) => {
      attempts += 1
      if (attempts === 1) {
        const refused = new TestsigmaClient({
          baseUrl: 'http://127.0.0.1:9',
          apiKey: API_KEY,
          userAgent: 'test',
          requestTimeoutMs: 2000
        })
        return refused.triggerRun(request, signal)
      }
      return client.triggerRun(request, signal)
    }
    const report = await runTestPlan(configFor(), { ...deps, client: flaky })
    expect(report.outcome).toBe('finished')
    expect(attempts).toBe(2)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(clock.sleeps[0]).toBe(1000)
  })

  it('gives up on a trigger that keeps being refused after a minute, saying no run started', async () => {
    const { deps, clock } = depsFor({
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
    expect(clock.now() - start).toBeLessThanOrEqual(60_000)
    expect(clock.now() - start).toBeGreaterThan(30_000)
  })

  it('fails at once on a refused key', async () => {
    const { deps } = depsFor({
      client: new TestsigmaClient({ baseUrl: sim.url, apiKey: 'bad', userAgent: 'test', requestTimeoutMs: 2000 })
    })
    const report = await runTestPlan(configFor(), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toContain('Testsigma refused the API key')
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
    expect(clock.now() - start).toBe(60_000)
    expect(sim.requestsTo('stop')).toHaveLength(1)
    expect(sim.requestsTo('stop')[0].json).toEqual({ result: 'STOPPED' })
    expect(log.messages('info')).toContain('Run 337 stopped')
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
    expect(readFileSync(absolutePath, 'utf8')).toContain('<testsuite name="Chrome 120 on Windows 11"')
  })
})

/** A step against the simulator's failing plan (4096) unless told otherwise. */
async function runPlan(overrides: Partial<Config> = {}) {
  const { deps, log } = depsFor()
  const report = await runTestPlan(configFor({ testPlanId: '4096', ...overrides }), deps)
  return { report, log }
}

describe('the JUnit report of a finished run', () => {
  it('is read without a junit-report input: the failed tests, no file, no warning', async () => {
    const { report, log } = await runPlan()
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report.junitReportPath).toBeUndefined()
    expect(report.reportWarning).toBeUndefined()
    expect(report.testCases?.map(c => `${c.outcome} ${c.name}`)).toEqual([
      'passed Test case 1',
      'passed Test case 2',
      'passed Test case 3',
      'failed Test case 4',
      'failed Test case 5'
    ])
    expect(report.testCases?.[3]).toEqual({
      device: 'Chrome 120 on Windows 11',
      name: 'Test case 4',
      outcome: 'failed',
      failureMessage: 'Test case 4 failed',
      timeSeconds: 1.5
    })
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
