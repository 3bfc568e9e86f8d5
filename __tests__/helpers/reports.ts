import type { RunReport } from '../../src/report/report.js'
import { toRunState } from '../../src/testsigma/run-state.js'

export const RUN_URL = 'https://app.testsigma.com/ui/td/runs/337'

/**
 * A finished run's report as the reporting code receives it: "Checkout flow", run 337, FAILURE with
 * 3 passed, 1 failed, 1 aborted of 5. `run` overrides fields of the API's run object.
 */
export function finishedRunReport(overrides: Partial<RunReport> = {}, run: Record<string, unknown> = {}): RunReport {
  return {
    outcome: 'finished',
    testPlanId: '4096',
    runId: '337',
    runUrl: RUN_URL,
    failOnFailure: true,
    timeoutMs: 3 * 3600_000,
    state: toRunState({
      id: 337,
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      execution: { name: 'Checkout flow' },
      totalCount: 5,
      passedCount: 3,
      failedCount: 1,
      abortedCount: 1,
      ...run
    }),
    ...overrides
  }
}

/** `finishedRunReport` for test plan 2048, build 1.4.2, a 98.5 s run, stopped and not-executed counts null. */
export function builtRunReport(overrides: Partial<RunReport> = {}, run: Record<string, unknown> = {}): RunReport {
  return finishedRunReport(
    { testPlanId: '2048', buildNumber: '1.4.2', ...overrides },
    { duration: 98_500, stoppedCount: null, notExecutedCount: null, ...run }
  )
}
