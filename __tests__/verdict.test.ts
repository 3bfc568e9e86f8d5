import { decideVerdict } from '../src/report/verdict.js'
import { builtRunReport, RE_RUN_URL, reRunReport, RUN_URL } from './helpers/reports.js'

describe('decideVerdict', () => {
  it('fails a finished run that did not pass, in the documented words', () => {
    expect(decideVerdict(builtRunReport())).toEqual({
      level: 'error',
      message: `Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${RUN_URL}`
    })
  })

  it('keeps the step green with a titled warning when fail-on-failure is false', () => {
    expect(decideVerdict(builtRunReport({ failOnFailure: false }))).toEqual({
      level: 'warning',
      title: 'Test plan "Checkout flow" did not pass (fail-on-failure: false)',
      message: `Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${RUN_URL}`
    })
  })

  it('keeps a passed run green without a warning whatever fail-on-failure says', () => {
    const passed = { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 }
    expect(decideVerdict(builtRunReport({ failOnFailure: false }, passed)).level).toBe('info')
  })

  it('passes SUCCESS', () => {
    const verdict = decideVerdict(
      builtRunReport({}, { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 })
    )
    expect(verdict).toEqual({
      level: 'info',
      message: `Test plan "Checkout flow" run 337 SUCCESS: 5 passed of 5 — ${RUN_URL}`
    })
  })

  it('names the timeout, the last state and the link when the wait timed out', () => {
    const report = builtRunReport(
      { outcome: 'timed-out', timeoutMs: 30 * 60_000, stop: { stopped: true } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', passedCount: 2, failedCount: 0, abortedCount: 0 }
    )
    expect(decideVerdict(report)).toEqual({
      level: 'error',
      message:
        'Test plan "Checkout flow" run 337 did not finish within the timeout of 30 min (last seen running: ' +
        `2/5 done (2 passed)). The Testsigma run was stopped. If it needs longer, raise timeout-minutes. — ${RUN_URL}`
    })
  })

  it('says in words where a timed-out run stood before Testsigma counted any test', () => {
    const report = builtRunReport(
      { outcome: 'timed-out', timeoutMs: 60_000 },
      { status: 'STATUS_CREATED', result: 'QUEUED', totalCount: 0, passedCount: 0, failedCount: 0, abortedCount: 0 }
    )
    expect(decideVerdict(report).message).toBe(
      'Test plan "Checkout flow" run 337 did not finish within the timeout of 1 min (last seen waiting to start, ' +
        `no tests counted yet). If it needs longer, raise timeout-minutes. — ${RUN_URL}`
    )
  })

  it('fails a cancelled step and says whether the stop worked', () => {
    const report = builtRunReport(
      { outcome: 'cancelled', stop: { stopped: false, detail: 'HTTP 500' } },
      { status: 'STATUS_QUEUED' }
    )
    const verdict = decideVerdict(report)
    expect(verdict.level).toBe('error')
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
    expect(verdict).toEqual({ level: 'error', message: 'Test plan 2048: Testsigma refused the API key' })
  })
})

describe('decideVerdict of a re-run chain', () => {
  it('passes on re-run 1, naming and linking the run that decided', () => {
    expect(decideVerdict(reRunReport())).toEqual({
      level: 'info',
      message: `Test plan "Checkout flow" run 337 SUCCESS on re-run 1 (run 339): 5 passed of 5 — ${RE_RUN_URL}`
    })
  })

  it('fails after 1 re-run with the chain’s counts', () => {
    const verdict = decideVerdict(reRunReport({}, { result: 'FAILURE', passedCount: 1, failedCount: 1 }))
    expect(verdict).toEqual({
      level: 'error',
      message: `Test plan "Checkout flow" run 337 FAILURE after 1 re-run (run 339): 4 passed, 1 failed of 5 — ${RE_RUN_URL}`
    })
  })
})
