import { decideVerdict, formatDuration, RunReport } from '../src/report/report.js'
import { runOutputs } from '../src/report/outputs.js'
import { escapeMarkdown, renderSummary } from '../src/report/summary.js'
import { finishedRunReport, RUN_URL } from './helpers/reports.js'

const URL = RUN_URL

function finishedReport(overrides: Partial<RunReport> = {}, run: Record<string, unknown> = {}): RunReport {
  return finishedRunReport(
    { testPlanId: '2048', buildNumber: '1.4.2', ...overrides },
    { duration: 98_500, stoppedCount: null, notExecutedCount: null, ...run }
  )
}

describe('decideVerdict', () => {
  it('fails a finished run that did not pass, in the documented words', () => {
    expect(decideVerdict(finishedReport())).toEqual({
      failStep: true,
      message: `Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${URL}`
    })
  })

  it('keeps the step green when fail-on-failure is false', () => {
    expect(decideVerdict(finishedReport({ failOnFailure: false })).failStep).toBe(false)
  })

  it('passes SUCCESS', () => {
    const verdict = decideVerdict(
      finishedReport({}, { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 })
    )
    expect(verdict).toEqual({
      failStep: false,
      message: `Test plan "Checkout flow" run 337 SUCCESS: 5 passed of 5 — ${URL}`
    })
  })

  it('names the timeout, the last state and the link when the wait timed out', () => {
    const report = finishedReport(
      { outcome: 'timed-out', timeoutMs: 30 * 60_000, stop: { stopped: true } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', passedCount: 2, failedCount: 0, abortedCount: 0 }
    )
    expect(decideVerdict(report)).toEqual({
      failStep: true,
      message:
        'Test plan "Checkout flow" run 337 did not finish within the timeout of 30 min (last seen STATUS_IN_PROGRESS (QUEUED): ' +
        `2/5 done, 2 passed, 0 failed). The Testsigma run was stopped. — ${URL}`
    })
  })

  it('fails a cancelled step and says whether the stop worked', () => {
    const report = finishedReport(
      { outcome: 'cancelled', stop: { stopped: false, detail: 'HTTP 500' } },
      { status: 'STATUS_QUEUED' }
    )
    const verdict = decideVerdict(report)
    expect(verdict.failStep).toBe(true)
    expect(verdict.message).toContain('the job was cancelled')
    expect(verdict.message).toContain('could not be stopped: HTTP 500')
  })

  it('reports a failed trigger by plan id, without a run', () => {
    const verdict = decideVerdict({
      outcome: 'failed',
      testPlanId: '2048',
      failOnFailure: true,
      timeoutMs: 1,
      error: 'Testsigma refused the API key'
    })
    expect(verdict).toEqual({ failStep: true, message: 'Test plan 2048: Testsigma refused the API key' })
  })
})

describe('runOutputs', () => {
  it('gives every output as text, nulls as 0', () => {
    expect(runOutputs(finishedReport({ junitReportPath: 'reports/ts.xml' }))).toEqual({
      'run-id': '337',
      'run-url': URL,
      result: 'FAILURE',
      status: 'STATUS_COMPLETED',
      'total-count': '5',
      'passed-count': '3',
      'failed-count': '1',
      'aborted-count': '1',
      'stopped-count': '0',
      'not-executed-count': '0',
      'duration-ms': '98500',
      'junit-report': 'reports/ts.xml'
    })
  })

  it('leaves out what is not known', () => {
    expect(runOutputs({ outcome: 'failed', testPlanId: '2048', failOnFailure: true, timeoutMs: 1 })).toEqual({
      'junit-report': ''
    })
    const started = runOutputs(
      finishedReport({ outcome: 'triggered' }, { status: 'STATUS_CREATED', result: 'QUEUED', duration: null })
    )
    expect(started['duration-ms']).toBeUndefined()
    expect(started['run-id']).toBe('337')
  })
})

describe('renderSummary', () => {
  it('shows the plan name, result, a table row of numbers, duration, build and link', () => {
    const markdown = renderSummary(finishedReport())
    const lines = markdown.split('\n')
    expect(lines[0]).toBe('### ❌ Testsigma: Checkout flow — FAILURE')
    const header = lines.indexOf('| Total | Passed | Failed | Aborted | Stopped | Not executed |')
    expect(header).toBeGreaterThan(0)
    expect(lines[header + 1]).toBe('| ---: | ---: | ---: | ---: | ---: | ---: |')
    expect(lines[header + 2]).toBe('| 5 | 3 | 1 | 1 | 0 | 0 |')
    expect(markdown).toContain('**Duration:** 1 min 39 s · **Build:** 1.4.2')
    expect(markdown).toContain(`**Run:** [337](${URL})`)
    expect(markdown).not.toMatch(/null|NaN|undefined/)
  })

  it('says when the step stays green on a failed run', () => {
    expect(renderSummary(finishedReport({ failOnFailure: false }))).toContain('`fail-on-failure` is false')
  })

  it('writes a short summary when not waiting', () => {
    const markdown = renderSummary(
      finishedReport({ outcome: 'triggered' }, { status: 'STATUS_CREATED', result: 'QUEUED', execution: null })
    )
    expect(markdown).toContain('### 🚀 Testsigma: Test plan 2048 — started, not waited for')
    expect(markdown).toContain(`[337](${URL})`)
    expect(markdown).not.toContain('| Total |')
    expect(markdown).not.toMatch(/null|NaN|undefined/)
  })

  it('shows the last state and the stop on a timeout', () => {
    const markdown = renderSummary(
      finishedReport(
        { outcome: 'timed-out', timeoutMs: 3_600_000, stop: { stopped: true } },
        { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', duration: null }
      )
    )
    expect(markdown).toContain('timed out after 1 h')
    expect(markdown).toContain('> Last seen: STATUS\\_IN\\_PROGRESS')
    expect(markdown).toContain('> The Testsigma run was stopped.')
    expect(markdown).not.toMatch(/null|NaN|undefined/)
  })

  it('cannot be broken by a hostile plan name', () => {
    const markdown = renderSummary(
      finishedReport(
        {},
        { execution: { name: 'Evil | name\n::error::pwned <img src=x onerror=alert(1)> [link](http://x)' } }
      )
    )
    const heading = markdown.split('\n')[0]
    expect(heading).toBe(
      '### ❌ Testsigma: Evil \\| name ::error::pwned &lt;img src=x onerror=alert\\(1\\)&gt; \\[link\\]\\(http://x\\) — FAILURE'
    )
    expect(markdown.split('\n').some(line => line.startsWith('::'))).toBe(false)
  })
})

describe('formatting', () => {
  it.each([
    [800, '0.8 s'],
    [45_000, '45 s'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h'],
    [3_725_000, '1 h 2 min']
  ])('formatDuration(%d) is %s', (ms, text) => expect(formatDuration(ms)).toBe(text))

  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b *c* <d> & `e`')).toBe('a\\|b \\*c\\* &lt;d&gt; &amp; \\`e\\`')
  })
})
