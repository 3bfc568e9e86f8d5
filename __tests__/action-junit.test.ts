/**
 * Integration: the JUnit report after a finished run, against the Testsigma simulator. One request
 * serves both the file and the failed tests; a report that cannot be had is one warning, never a verdict.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runTestPlan } from '../src/action.js'
import type { Config } from '../src/config.js'
import { decideVerdict } from '../src/report/report.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-junit'
let sim: TestsigmaSimulator
let workspace: string

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
  workspace = mkdtempSync(path.join(tmpdir(), 'action-junit-'))
})
afterEach(async () => sim.close())

async function run(overrides: Partial<Config> = {}) {
  const { deps, log } = stepDeps(sim, API_KEY)
  const report = await runTestPlan(stepConfig(sim, API_KEY, { testPlanId: '4096', ...overrides }), deps)
  return { report, log }
}

describe('the JUnit report of a finished run', () => {
  it('is read without a junit-report input: the failed tests, no file, no warning', async () => {
    const { report, log } = await run()
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
    const { report } = await run({ junitReport: { path: 'reports/ts.xml', absolutePath } })
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report.junitReportPath).toBe('reports/ts.xml')
    expect(report.testCases).toHaveLength(5)
    expect(readFileSync(absolutePath, 'utf8')).toContain('<testcase name="Test case 4"')
  })

  it('is not asked for when the step does not wait', async () => {
    const { report } = await run({ wait: false })
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
    const { report, log } = await run({ testPlanId: '77' })
    const warning =
      'Failed tests are not listed: Testsigma refused the JUnit report request for run 337 ' +
      '(HTTP 403: JUnit reports need the Enterprise plan); on some plans the JUnit report is an Enterprise feature'
    expect(log.messages('warning')).toEqual([warning])
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(report).toMatchObject({ outcome: 'finished', reportWarning: warning, state: { result: 'FAILURE' } })
    expect(report.testCases).toBeUndefined()
    expect(decideVerdict(report).failStep).toBe(true)
  })

  it('refused on a passed run nobody asked a file of: an info line, no warning, still green', async () => {
    sim.addPlan({ ...passingPlan('78'), junit: { status: 403, body: 'Forbidden', contentType: 'text/plain' } })
    const { report, log } = await run({ testPlanId: '78' })
    expect(log.messages('warning')).toEqual([])
    expect(log.messages('info')).toContain(
      'No JUnit report read: Testsigma refused the JUnit report request for run 337 (HTTP 403: Forbidden); on some plans the JUnit report is an Enterprise feature'
    )
    expect(report.reportWarning).toBeUndefined()
    expect(decideVerdict(report).failStep).toBe(false)
  })

  it('as plain text on a failed run with a file asked for: one warning naming both losses', async () => {
    sim.addPlan({ ...failingPlan('79'), junit: { body: 'Report generation failed', contentType: 'text/plain' } })
    const absolutePath = path.join(workspace, 'ts.xml')
    const { report, log } = await run({ testPlanId: '79', junitReport: { path: 'ts.xml', absolutePath } })
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
    const { report, log } = await run({ testPlanId: '80', junitReport: { path: 'ts.xml', absolutePath } })
    expect(report.junitReportPath).toBe('ts.xml')
    expect(report.testCases).toBeUndefined()
    expect(log.messages('warning')).toHaveLength(1)
    expect(log.messages('warning')[0]).toMatch(/^Failed tests are not listed: The JUnit report is not well-formed XML/)
  })

  it('answered 502 once: read again, then used', async () => {
    sim.injectFault('junit', { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' })
    const { report, log } = await run()
    expect(sim.requestsTo('junit')).toHaveLength(2)
    expect(report.testCases).toHaveLength(5)
    expect(log.messages('warning')).toEqual([])
  })

  it('failing for good: given up within a minute, since the verdict is already known', async () => {
    sim.injectFault('junit', { type: 'status', status: 503, body: 'maintenance', contentType: 'text/plain' }, 100)
    const { deps, log, clock } = stepDeps(sim, API_KEY)
    const start = clock.now()
    const report = await runTestPlan(stepConfig(sim, API_KEY, { testPlanId: '4096' }), deps)
    const waitedForRun = 3 * 15_000
    expect(clock.now() - start - waitedForRun).toBeLessThanOrEqual(60_000)
    expect(report.state?.result).toBe('FAILURE')
    expect(report.reportWarning).toMatch(/HTTP 503: maintenance/)
    expect(log.messages('warning')).toHaveLength(1)
  })
})
