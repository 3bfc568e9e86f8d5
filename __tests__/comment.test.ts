import { CommentContext, renderComment } from '../src/report/comment.js'
import type { RunReport } from '../src/report/report.js'
import { decideVerdict } from '../src/report/verdict.js'
import type { TestCaseResult } from '../src/report/junit.js'
import { finishedRunReport, RE_RUN_URL, reRunReport, RUN_URL } from './helpers/reports.js'

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const CONTEXT = {
  commitSha: SHA,
  commitUrl: `https://github.com/octo/shop/pull/42/commits/${SHA}`,
  workflowRunUrl: 'https://github.com/octo/shop/actions/runs/99'
}

const report = finishedRunReport

/** The comment as the action renders it: with the report's own verdict. */
const commentOf = (run: RunReport, context: CommentContext): string => renderComment(run, decideVerdict(run), context)

const CASES: TestCaseResult[] = [
  { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed' },
  { device: 'Chrome 120 on Windows 11', name: 'Pay with card', outcome: 'failed', failureMessage: 'No #pay\nstep 4' },
  { device: 'Pixel 8', name: 'Log in', outcome: 'error', failureMessage: 'Session could not be created' }
]

describe('renderComment', () => {
  it('holds the answer, the counts, the devices, the failed tests, the notes, the commit and the workflow run', () => {
    expect(commentOf(report({ testCases: CASES }), CONTEXT)).toBe(
      [
        '### ❌ Testsigma: Checkout flow failed',
        '',
        `**2 of 5 did not pass** on 2 devices · [Open run 337 in Testsigma](${RUN_URL})`,
        '',
        '| Total | Passed | Failed | Aborted | Stopped | Not executed |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 5 | 3 | 1 | 1 | 0 | 0 |',
        '',
        '**Devices:** Chrome 120 on Windows 11: 1 passed, 1 failed · Pixel 8: 0 passed, 1 error',
        '',
        '#### Failed tests (2)',
        '',
        '| Test | Devices | Why |',
        '| --- | --- | --- |',
        '| Pay with card | Chrome 120 on Windows 11 | No \\#pay step 4 |',
        '| Log in (error) | Pixel 8 | Session could not be created |',
        '',
        "- The JUnit report lists 3 test cases where Testsigma's run object counts 5; the counts table is the run object's.",
        '',
        `**Test plan:** 4096 · **Commit:** [\`6dcb09b\`](${CONTEXT.commitUrl}) · [Workflow run and job summary](${CONTEXT.workflowRunUrl})`,
        ''
      ].join('\n')
    )
  })

  it('never points at files on the runner: no JUnit path', () => {
    const body = commentOf(report({ testCases: CASES, junitReportPath: 'reports/ts.xml' }), CONTEXT)
    expect(body).not.toContain('reports/ts.xml')
    expect(summaryNotesIn(body)).not.toContain('JUnit report written')
  })

  it('shows a passed run without a failed-tests table', () => {
    const body = commentOf(
      report({ testCases: [CASES[0]] }, { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 }),
      { commitSha: SHA }
    )
    expect(body.split('\n')[0]).toBe('### ✅ Testsigma: Checkout flow passed')
    expect(body).not.toContain('Failed tests')
    expect(body).toContain('**Commit:** `6dcb09b`')
  })

  it('keeps the comment short: 10 rows in view, 30 at most, then a pointer to the rest', () => {
    const cases = Array.from({ length: 75 }, (_, i) => ({
      device: 'Chrome',
      name: `Test ${i + 1}`,
      outcome: 'failed' as const,
      failureMessage: 'm'.repeat(1000)
    }))
    const body = commentOf(report({ testCases: cases }), CONTEXT)
    expect(body.split('\n').filter(line => /^\| Test \d/.test(line))).toHaveLength(30)
    expect(body).toContain('<details><summary>20 more</summary>')
    expect(body).toContain(
      `45 tests that failed, not listed here, are in the [job summary](${CONTEXT.workflowRunUrl}).`
    )
    expect(body.length).toBeLessThan(65_536)
  })

  it('says why there is no list when the report could not be had, and reports a failed step', () => {
    const body = commentOf(
      report({
        outcome: 'failed',
        error: 'Testsigma answered HTTP 500',
        reportWarning: 'Failed tests are not listed: x'
      }),
      CONTEXT
    )
    expect(body).toContain('### ⚠️ Testsigma: Checkout flow could not be followed')
    expect(body).toContain('- Failed tests are not listed: x.')
    expect(body).toContain('- Testsigma answered HTTP 500.')
  })

  it('escapes the plan name, so it cannot open an HTML comment or a link', () => {
    const body = commentOf(report({}, { execution: { name: '<!-- x --> [a](b)' } }), CONTEXT)
    expect(body.split('\n')[0]).toBe('### ❌ Testsigma: &lt;\\!-- x --&gt; \\[a\\]\\(b\\) failed')
  })

  it('carries the notes of a cancelled run: what did not finish, and that the run was stopped', () => {
    const cancelled = report(
      { outcome: 'cancelled', stop: { stopped: true, runId: '337' } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', totalCount: 5, passedCount: 2, failedCount: 0, abortedCount: 0 }
    )
    const body = commentOf(cancelled, CONTEXT)
    expect(body.split('\n').slice(0, 3)).toEqual([
      '### 🛑 Testsigma: Checkout flow was cancelled',
      '',
      `**2 of 5 done** (2 passed), 3 not finished · [Open run 337 in Testsigma](${RUN_URL})`
    ])
    expect(body).toContain('- Only this run was stopped (Testsigma run 337); other runs on Testsigma go on.')
  })
})

describe('renderComment of a re-run chain', () => {
  it('says it passed on re-run 1 and links that run', () => {
    const body = commentOf(reRunReport(), CONTEXT)
    expect(body.split('\n').slice(0, 3)).toEqual([
      '### ✅ Testsigma: Checkout flow passed',
      '',
      `**All 5 passed on re-run 1** · [Open run 339 in Testsigma](${RE_RUN_URL})`
    ])
  })

  it('lists the tests that did not pass in the re-run’s report, by name of that run', () => {
    const cases: TestCaseResult[] = [
      { device: 'Pixel 8', name: 'Log in', outcome: 'not-passed', failureMessage: 'Timeout' }
    ]
    const body = commentOf(
      reRunReport({ testCases: cases }, { result: 'FAILURE', passedCount: 1, failedCount: 1 }),
      CONTEXT
    )
    expect(body).toContain(`**1 of 5 failed after 1 re-run** · [Open run 339 in Testsigma](${RE_RUN_URL})`)
    expect(body).toContain('#### Tests that did not pass (1) in run 339 (re-run 1)')
    expect(body).toContain('| Log in | Pixel 8 | Timeout |')
    expect(body).toContain('**Devices in run 339 (re-run 1):** Pixel 8: 0 passed, 1 did not pass')
  })
})

/** The note lines of a comment. */
function summaryNotesIn(body: string): string[] {
  return body.split('\n').filter(line => line.startsWith('- '))
}

describe('renderComment: the uploaded app build', () => {
  it('names the build beside the test plan', () => {
    const run: RunReport = {
      ...report(),
      app: { uploadId: 62, uploadName: 'Shop Android', versionId: 5012 }
    }
    expect(commentOf(run, CONTEXT)).toContain('**Test plan:** 4096 · **App:** Shop Android (upload version 5012)')
  })
})
