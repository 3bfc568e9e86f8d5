import { renderComment } from '../src/report/comment.js'
import type { TestCaseResult } from '../src/report/junit.js'
import { finishedRunReport, RE_RUN_URL, reRunReport, RUN_URL } from './helpers/reports.js'

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const CONTEXT = {
  commitSha: SHA,
  commitUrl: `https://github.com/octo/shop/pull/42/commits/${SHA}`,
  workflowRunUrl: 'https://github.com/octo/shop/actions/runs/99'
}

const report = finishedRunReport

const CASES: TestCaseResult[] = [
  { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed' },
  { device: 'Chrome 120 on Windows 11', name: 'Pay with card', outcome: 'failed', failureMessage: 'No #pay\nstep 4' },
  { device: 'Pixel 8', name: 'Log in', outcome: 'error', failureMessage: 'Session could not be created' }
]

describe('renderComment', () => {
  it('holds the result, the counts, the failed tests, the run link and the commit', () => {
    expect(renderComment(report({ testCases: CASES }), CONTEXT)).toBe(
      [
        '### ❌ Testsigma: Checkout flow — FAILURE',
        '',
        '| Total | Passed | Failed | Aborted | Stopped | Not executed |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 5 | 3 | 1 | 1 | 0 | 0 |',
        '',
        '#### Failed tests (2)',
        '',
        '| Test | Device | Message |',
        '| --- | --- | --- |',
        '| Pay with card | Chrome 120 on Windows 11 | No \\#pay step 4 |',
        '| Log in (error) | Pixel 8 | Session could not be created |',
        '',
        `**Run:** [337](${RUN_URL}) · **Test plan:** 4096 · **Commit:** [\`6dcb09b\`](${CONTEXT.commitUrl}) · [Workflow run](${CONTEXT.workflowRunUrl})`,
        ''
      ].join('\n')
    )
  })

  it('shows a passed run without a failed-tests table', () => {
    const body = renderComment(
      report({ testCases: [CASES[0]] }, { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 }),
      { commitSha: SHA }
    )
    expect(body.split('\n')[0]).toBe('### ✅ Testsigma: Checkout flow — SUCCESS')
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
    const body = renderComment(report({ testCases: cases }), CONTEXT)
    expect(body.split('\n').filter(line => /^\| Test \d/.test(line))).toHaveLength(30)
    expect(body).toContain('<details><summary>20 more failed tests</summary>')
    expect(body).toContain(`45 more failed tests in the job summary / the JUnit report / [Testsigma](${RUN_URL}).`)
    expect(body.length).toBeLessThan(65_536)
  })

  it('says why there is no list when the report could not be had, and reports a failed step', () => {
    const body = renderComment(
      report({
        outcome: 'failed',
        error: 'Testsigma answered HTTP 500',
        reportWarning: 'Failed tests are not listed: x'
      }),
      CONTEXT
    )
    expect(body).toContain('### ⚠️ Testsigma: Checkout flow — could not be followed')
    expect(body).toContain('> Failed tests are not listed: x')
    expect(body).toContain('> Testsigma answered HTTP 500')
  })

  it('escapes the plan name, so it cannot open an HTML comment or a link', () => {
    const body = renderComment(report({}, { execution: { name: '<!-- x --> [a](b)' } }), CONTEXT)
    expect(body.split('\n')[0]).toBe('### ❌ Testsigma: &lt;\\!-- x --&gt; \\[a\\]\\(b\\) — FAILURE')
  })
})

describe('renderComment of a re-run chain', () => {
  it('says it passed on re-run 1 and links that run', () => {
    const body = renderComment(reRunReport(), CONTEXT)
    expect(body.split('\n').slice(0, 3)).toEqual([
      '### ✅ Testsigma: Checkout flow — SUCCESS',
      '',
      `**Passed on re-run 1** · [run 339](${RE_RUN_URL})`
    ])
  })

  it('lists the tests that did not pass in the re-run’s report, by name of that run', () => {
    const cases: TestCaseResult[] = [
      { device: 'Pixel 8', name: 'Log in', outcome: 'not-passed', failureMessage: 'Timeout' }
    ]
    const body = renderComment(
      reRunReport({ testCases: cases }, { result: 'FAILURE', passedCount: 1, failedCount: 1 }),
      CONTEXT
    )
    expect(body).toContain(`**Failed after 1 re-run** · [run 339](${RE_RUN_URL})`)
    expect(body).toContain('#### Tests that did not pass (1) from run 339 \\(re-run 1\\)')
    expect(body).toContain('| Log in | Pixel 8 | Timeout |')
  })
})
