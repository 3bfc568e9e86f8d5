import { annotationPlanFor, failedTestAnnotations, testTitle } from '../src/report/annotations.js'
import type { ReportedTest } from '../src/report/tests.js'
import type { TestCaseResult } from '../src/report/junit.js'
import type { RunReport } from '../src/report/report.js'
import { decideVerdict } from '../src/report/verdict.js'
import { toRunState } from '../src/testsigma/run-state.js'

const RUN_URL = 'https://app.testsigma.com/ui/td/runs/337'

function failed(n: number, device = 'Chrome 120 on Windows 11'): TestCaseResult[] {
  return Array.from({ length: n }, (_, i) => ({
    device,
    name: `Test ${i + 1}`,
    outcome: 'failed' as const,
    failureMessage: `Step ${i + 1} failed\nat line ${i + 1}`
  }))
}

describe('failedTestAnnotations', () => {
  it('annotates each failed or errored test, naming test and device, with the message as body', () => {
    const cases: TestCaseResult[] = [
      { device: 'Chrome', name: 'Passes', outcome: 'passed' },
      { device: 'Chrome', name: 'Pay', outcome: 'failed', failureMessage: 'Element "#pay" not found\nStep 4' },
      { device: 'Pixel 8', name: 'Log in', outcome: 'error', failureMessage: 'Session could not be created' },
      { device: 'Pixel 8', name: 'Skipped one', outcome: 'skipped' },
      { device: '', name: 'Silent', outcome: 'failed' }
    ]
    expect(failedTestAnnotations(cases, { level: 'error', limit: 10, runUrl: RUN_URL })).toEqual([
      { level: 'error', title: 'Failed: Pay (Chrome)', message: 'Element "#pay" not found\nStep 4' },
      { level: 'error', title: 'Error: Log in (Pixel 8)', message: 'Session could not be created' },
      { level: 'error', title: 'Failed: Silent', message: 'The JUnit report gives no failure message.' }
    ])
  })

  it('stops at the limit and adds one notice saying how many more', () => {
    const annotations = failedTestAnnotations(failed(25), { level: 'error', limit: 10, runUrl: RUN_URL })
    expect(annotations.filter(a => a.level === 'error')).toHaveLength(10)
    expect(annotations.map(a => a.title).slice(0, 2)).toEqual([
      'Failed: Test 1 (Chrome 120 on Windows 11)',
      'Failed: Test 2 (Chrome 120 on Windows 11)'
    ])
    expect(annotations[10]).toEqual({
      level: 'notice',
      title: '15 more failed tests',
      message: `25 tests failed; 10 are annotated (GitHub shows 10 errors per step). The others are in the job summary and the Testsigma run ${RUN_URL}.`
    })
    expect(annotations).toHaveLength(11)
  })

  it('adds no notice when everything fits, and one for a single extra test', () => {
    expect(failedTestAnnotations(failed(10), { level: 'error', limit: 10 })).toHaveLength(10)
    const annotations = failedTestAnnotations(failed(10), { level: 'error', limit: 9 })
    expect(annotations).toHaveLength(10)
    expect(annotations[9]).toMatchObject({ level: 'notice', title: '1 more failed test' })
    expect(annotations[9].message).toContain('The others are in the job summary.')
  })

  it('annotates nothing for a report without failures, or an empty one', () => {
    expect(
      failedTestAnnotations([{ device: 'd', name: 'ok', outcome: 'passed' }], { level: 'error', limit: 10 })
    ).toEqual([])
    expect(failedTestAnnotations([], { level: 'error', limit: 10 })).toEqual([])
  })

  it('keeps titles on one line and bounded, and clips very long messages', () => {
    const [annotation] = failedTestAnnotations(
      [
        {
          device: 'Line\nbreak',
          name: `${'n'.repeat(500)}\n::error::x`,
          outcome: 'failed',
          failureMessage: 'm'.repeat(10_000)
        }
      ],
      { level: 'error', limit: 10 }
    )
    expect(annotation.title).not.toMatch(/[\r\n]/)
    expect(annotation.title.length).toBeLessThan(260)
    expect(annotation.message).toHaveLength(4000)
    expect(annotation.message.endsWith('…')).toBe(true)
  })

  it('titles an error apart from a failure', () => {
    expect(testTitle({ device: 'Pixel', name: 'Log in', outcome: 'error' })).toBe('Error: Log in (Pixel)')
  })

  it('does not call a case of Testsigma’s report "failed": it may have been aborted, stopped or not executed', () => {
    const cases: TestCaseResult[] = [
      { device: 'Pixel 8', name: 'Log in', outcome: 'not-passed', failureMessage: 'Element not found' },
      { device: 'Pixel 8', name: 'Pay', outcome: 'not-passed' }
    ]
    expect(failedTestAnnotations(cases, { level: 'error', limit: 1, runUrl: RUN_URL })).toEqual([
      { level: 'error', title: 'Did not pass: Log in (Pixel 8)', message: 'Element not found' },
      {
        level: 'notice',
        title: '1 more test that did not pass',
        message: `2 tests did not pass; 1 is annotated (GitHub shows 10 errors per step). The others are in the job summary and the Testsigma run ${RUN_URL}.`
      }
    ])
    expect(failedTestAnnotations(cases.slice(1), { level: 'error', limit: 9 })[0].message).toBe(
      "Testsigma's report gives no message for this test case (it failed, was aborted, stopped or not executed)."
    )
  })

  it('warns instead of erring when the step stays green', () => {
    const annotations = failedTestAnnotations(failed(12), { level: 'warning', limit: 9 })
    expect(annotations.slice(0, 9).every(a => a.level === 'warning')).toBe(true)
    expect(annotations[9]).toMatchObject({ level: 'notice', title: '3 more failed tests' })
    expect(annotations[9].message).toContain('(GitHub shows 10 warnings per step)')
  })
})

describe('annotationPlanFor', () => {
  function finished(result: string, failOnFailure: boolean): RunReport {
    return {
      outcome: 'finished',
      testPlanId: '1',
      runUrl: RUN_URL,
      failOnFailure,
      timeoutMs: 1000,
      state: toRunState({ id: 337, status: 'STATUS_COMPLETED', result })
    }
  }
  const plan = (report: RunReport) => annotationPlanFor(report, decideVerdict(report))

  it("keeps one of GitHub's ten errors for the verdict of a red step", () => {
    expect(plan(finished('FAILURE', true))).toEqual({ level: 'error', limit: 9, runUrl: RUN_URL })
  })

  it('uses warnings, keeping one for the verdict, when fail-on-failure is false', () => {
    expect(plan(finished('FAILURE', false))).toEqual({ level: 'warning', limit: 9, runUrl: RUN_URL })
  })

  it('has all ten for a passed run (whose report should list no failures anyway)', () => {
    expect(plan(finished('SUCCESS', true))).toEqual({ level: 'warning', limit: 10, runUrl: RUN_URL })
  })
})

describe('failedTestAnnotations from Testsigma’s test results', () => {
  const step = {
    position: 4,
    action: 'Select the radio button Mobile Number Radio Button',
    message: 'Unable to perform click/check action on element, Element is not displayed.'
  }
  const why = `Step 4 "${step.action}": "${step.message}"`

  it('makes one annotation of a test that failed on several devices, saying the step and its message once', () => {
    const tests: ReportedTest[] = [
      { name: 'Pay with card', device: 'Chrome 120 (Windows 11)', outcome: 'failed', result: 'FAILURE', step },
      { name: 'Pay with card', device: 'Safari 17 (macOS)', outcome: 'failed', result: 'FAILURE', step },
      { name: 'Log in', device: 'Pixel 8', outcome: 'passed', result: 'SUCCESS' }
    ]
    expect(failedTestAnnotations(tests, { level: 'error', limit: 9 })).toEqual([
      { level: 'error', title: 'Failed: Pay with card (Chrome 120 (Windows 11), Safari 17 (macOS))', message: why }
    ])
  })

  it('tells an aborted test from a failed one, device by device, and says when Testsigma gives no reason', () => {
    const tests: ReportedTest[] = [
      { name: 'Pay with card', device: 'Chrome', outcome: 'failed', result: 'FAILURE', step },
      { name: 'Pay with card', device: 'Pixel 8', outcome: 'aborted', result: 'ABORTED' },
      { name: 'Refund', device: 'Pixel 8', outcome: 'not-executed', result: 'NOT_EXECUTED' }
    ]
    expect(failedTestAnnotations(tests, { level: 'error', limit: 9 })).toEqual([
      {
        level: 'error',
        title: 'Failed, aborted: Pay with card (Chrome, Pixel 8)',
        message:
          `Chrome (failed): ${why}; ` +
          'Pixel 8 (aborted): Testsigma says it aborted; its steps did not say why (see the run in Testsigma).'
      },
      {
        level: 'error',
        title: 'Not executed: Refund (Pixel 8)',
        message: 'Testsigma says it was not executed; it ran no step that says why.'
      }
    ])
  })
})
