import { plansCommentMarker, commentMarker } from '../src/github/pr-comment.js'
import type { TestCaseResult } from '../src/report/junit.js'
import { decidePlansVerdict, planPlansPublication, plansOutputs } from '../src/report/plans-publication.js'
import type { PlansReport } from '../src/report/plans-report.js'
import { renderPlansJunit } from '../src/report/plans-junit.js'
import { renderPlansComment, renderPlansSummary } from '../src/report/plans-summary.js'
import type { RunReport } from '../src/report/report.js'
import { finishedRunReport } from './helpers/reports.js'

const failedCase = (name: string, device = 'Chrome'): TestCaseResult => ({
  name,
  device,
  outcome: 'failed',
  failureMessage: `${name} broke`
})

/** Plan 2048 "Web" passed, 4096 "Mobile" failed 1 of 5 (two failed cases), 999 never started. */
function threePlans(overrides: Partial<PlansReport> = {}): PlansReport {
  const passed = finishedRunReport(
    { testPlanId: '2048', runId: '337', runUrl: 'https://t/ui/td/runs/337', testCases: [] },
    {
      id: 337,
      result: 'SUCCESS',
      passedCount: 5,
      failedCount: 0,
      abortedCount: 0,
      duration: 60_000,
      execution: { name: 'Web' }
    }
  )
  const failed = finishedRunReport(
    {
      testPlanId: '4096',
      runId: '338',
      runUrl: 'https://t/ui/td/runs/338',
      testCases: [failedCase('Login'), failedCase('Pay', 'Pixel 8')]
    },
    {
      id: 338,
      result: 'FAILURE',
      passedCount: 3,
      failedCount: 1,
      abortedCount: 1,
      duration: 90_000,
      execution: { name: 'Mobile' }
    }
  )
  const unknown: RunReport = {
    outcome: 'failed',
    testPlanId: '999',
    failOnFailure: true,
    timeoutMs: 3 * 3600_000,
    error: 'Testsigma answered the trigger with HTTP 404: Test Plan not found with id 999',
    errorBrief: 'the test plan is unknown'
  }
  return { plans: [passed, failed, unknown], failOnFailure: true, timeoutMs: 3 * 3600_000, ...overrides }
}

describe('the verdict of a set of plans', () => {
  it('is red, leads with how many passed and names each plan that did not and why', () => {
    const verdict = decidePlansVerdict(threePlans())
    expect(verdict.level).toBe('error')
    expect(verdict.message).toMatch(
      /^1 of 3 test plans passed\. Test plan "Mobile" run 338 FAILURE: .*; Test plan 999: Testsigma answered the trigger with HTTP 404/
    )
  })

  it('is green only when every plan passed', () => {
    const report = threePlans()
    report.plans = [report.plans[0], { ...report.plans[0], testPlanId: '2049' }]
    expect(decidePlansVerdict(report)).toEqual({ level: 'info', message: '2 of 2 test plans passed' })
  })

  it('stays green with a warning under fail-on-failure: false, unless a plan never started', () => {
    const report = threePlans()
    const lenient = (plan: RunReport): RunReport => ({ ...plan, failOnFailure: false })
    const warned = decidePlansVerdict({ ...report, plans: report.plans.slice(0, 2).map(lenient) })
    expect(warned).toMatchObject({ level: 'warning', title: '1 of 2 test plans did not pass (fail-on-failure: false)' })
    expect(decidePlansVerdict({ ...report, plans: report.plans.map(lenient) }).level).toBe('error')
  })
})

describe('a set of plans not waited for (wait: false)', () => {
  it('says how many started, and stays green only when every one did', () => {
    const triggered = (id: string): RunReport => ({
      outcome: 'triggered',
      testPlanId: id,
      runId: `3${id}`,
      runUrl: `https://t/ui/td/runs/3${id}`,
      failOnFailure: true,
      timeoutMs: 60_000
    })
    const all = { ...threePlans(), plans: [triggered('1'), triggered('2')] }
    expect(decidePlansVerdict(all)).toEqual({
      level: 'info',
      message: '2 of 2 test plans started; not waiting for them (wait: false)'
    })
    expect(renderPlansSummary(all, decidePlansVerdict(all)).split('\n')[0]).toBe(
      '### 🚀 Testsigma: 2 of 2 test plans started'
    )
    const one = { ...threePlans(), plans: [triggered('1'), threePlans().plans[2]] }
    expect(decidePlansVerdict(one)).toMatchObject({ level: 'error' })
    expect(decidePlansVerdict(one).message).toMatch(
      /^1 of 2 test plans started; not waiting for them \(wait: false\)\. Test plan 999: /
    )
    expect(renderPlansSummary(one, decidePlansVerdict(one)).split('\n')[0]).toBe(
      '### ⚠️ Testsigma: 1 of 2 test plans started'
    )
  })
})

describe('the outputs of a set of plans', () => {
  it('aggregates the existing outputs and lists every plan in runs', () => {
    const outputs = plansOutputs(threePlans())
    expect(outputs).toMatchObject({
      'run-id': '337',
      'run-url': 'https://t/ui/td/runs/337',
      result: 'FAILURE',
      status: 'STATUS_COMPLETED',
      'total-count': '10',
      'passed-count': '8',
      'failed-count': '1',
      'aborted-count': '1',
      'duration-ms': '90000',
      'junit-report': ''
    })
    const runs = JSON.parse(outputs.runs) as Array<Record<string, unknown>>
    expect(runs.map(run => [run.testPlanId, run.runId, run.result, run.finalRunId])).toEqual([
      ['2048', '337', 'SUCCESS', '337'],
      ['4096', '338', 'FAILURE', '338'],
      ['999', null, null, null]
    ])
    expect(runs[1]).toMatchObject({
      runUrl: 'https://t/ui/td/runs/338',
      status: 'STATUS_COMPLETED',
      counts: { total: 5, passed: 3, failed: 1, aborted: 1 }
    })
    expect(runs[2]).toMatchObject({ outcome: 'failed', error: 'the test plan is unknown' })
    expect(runs.map(run => run.rerunOf)).toEqual([null, null, null])
    expect(JSON.parse(outputs['failed-tests'])).toEqual([
      expect.objectContaining({ testPlanId: '4096', name: 'Login', device: 'Chrome', message: 'Login broke' }),
      expect.objectContaining({ testPlanId: '4096', name: 'Pay', device: 'Pixel 8' })
    ])
  })

  it('says SUCCESS only when every plan passed', () => {
    const report = threePlans()
    expect(plansOutputs({ ...report, plans: [report.plans[0], report.plans[0]] }).result).toBe('SUCCESS')
    expect(plansOutputs({ ...report, plans: [report.plans[0], report.plans[2]] }).result).toBe('NOT_EXECUTED')
  })
})

describe('the annotations of a set of plans', () => {
  it('takes the failed tests of every plan in turn, within GitHub limit, titled by plan', () => {
    const report = threePlans()
    const many = (prefix: string): TestCaseResult[] =>
      Array.from({ length: 12 }, (_, i) => failedCase(`${prefix} ${i}`))
    report.plans[0] = { ...report.plans[0], testCases: many('A') }
    report.plans[1] = { ...report.plans[1], testCases: many('B') }
    const { annotations, verdict } = planPlansPublication(report)
    expect(verdict.level).toBe('error')
    const errors = annotations.filter(annotation => annotation.level === 'error')
    // Ten errors per step, one of them the verdict's.
    expect(errors).toHaveLength(9)
    expect(errors.slice(0, 3).map(annotation => annotation.title)).toEqual([
      'Failed: Web (2048): A 0 (Chrome)',
      'Failed: Mobile (4096): B 0 (Chrome)',
      'Failed: Web (2048): A 1 (Chrome)'
    ])
    expect(annotations[annotations.length - 1]).toMatchObject({ level: 'notice', title: '15 more failed tests' })
  })
})

describe('the summary and comment of a set of plans', () => {
  it('leads with the answer, then one row per plan, then the failed tests by plan', () => {
    const report = threePlans()
    const summary = renderPlansSummary(report, decidePlansVerdict(report))
    const lines = summary.split('\n')
    expect(lines[0]).toBe('### ❌ Testsigma: 1 of 3 test plans passed')
    expect(summary).toContain(
      '| Web (2048) | ✅ Passed | 5 | 5 | 0 | 0 | 0 | 1 min | [337](https://t/ui/td/runs/337) |'
    )
    expect(summary).toContain(
      '| Mobile (4096) | ❌ Failed | 5 | 3 | 1 | 1 | 2 | 1 min 30 s | [338](https://t/ui/td/runs/338) |'
    )
    expect(summary).toContain(
      '| Test plan 999 | ⚠️ Could not start: the test plan is unknown | — | — | — | — | — | — | — |'
    )
    expect(summary).toContain('#### Failed tests (2) in Mobile (4096)')
    expect(summary).toContain(
      '- **Test plan 999:** Testsigma answered the trigger with HTTP 404: Test Plan not found with id 999.'
    )
    expect(summary.indexOf('| Web (2048)')).toBeLessThan(summary.indexOf('#### Failed tests'))
  })

  it('comments on the set with its commit and workflow run', () => {
    const report = threePlans()
    const comment = renderPlansComment(report, decidePlansVerdict(report), {
      commitSha: 'abc1234def',
      workflowRunUrl: 'https://github.com/o/r/actions/runs/1'
    })
    expect(comment.split('\n')[0]).toBe('### ❌ Testsigma: 1 of 3 test plans passed')
    expect(comment).toContain('**Test plans:** 2048, 4096, 999 · **Commit:** `abc1234`')
  })

  it('escapes server text in the plan names', () => {
    const report = threePlans()
    report.plans[0] = finishedRunReport({ testPlanId: '2048' }, { execution: { name: 'Web <img src=x> *bold*' } })
    const summary = renderPlansSummary(report, decidePlansVerdict(report))
    expect(summary).not.toContain('<img')
    expect(summary).not.toContain(' *bold*')
  })
})

describe('the comment marker of a set', () => {
  it('names the set by its sorted ids, apart from a single plan', () => {
    expect(plansCommentMarker(['4096', '2048'])).toBe('<!-- testsigma-test-plan-action:plans=2048,4096 -->')
    expect(plansCommentMarker(['2048', '4096'])).toBe(plansCommentMarker(['4096', '2048']))
    expect(plansCommentMarker(['2048', '4096']).startsWith(commentMarker('2048').replace(' -->', ''))).toBe(false)
    expect(commentMarker('2048')).toBe('<!-- testsigma-test-plan-action:plan=2048 -->')
  })
})

describe('the JUnit file of a set', () => {
  it('has a suite per plan and device, named by plan, and escapes what XML cannot hold', () => {
    const report = threePlans()
    report.plans[0] = {
      ...report.plans[0],
      testCases: [{ name: 'A & "b" <c>\u0001', device: 'Chrome', outcome: 'passed' }]
    }
    const xml = renderPlansJunit(report.plans)
    expect(xml).toContain('<testsuites name="Testsigma: 3 test plans" tests="3" failures="2" errors="0" skipped="0">')
    expect(xml).toContain('<testsuite id="0" name="Web (2048) · Chrome" tests="1" failures="0"')
    expect(xml).toContain('<testcase name="A &amp; &quot;b&quot; &lt;c&gt;" classname="Web (2048)" time="0"/>')
    expect(xml).toContain('<testsuite id="2" name="Mobile (4096) · Pixel 8" tests="1" failures="1"')
    expect(xml).toContain('<failure message="Pay broke" type="failed">Pay broke</failure>')
    expect(xml).toContain('<property name="Testsigma run" value="338"/>')
    expect(xml).not.toContain('999')
  })
})
