import type { RunReport } from '../../src/report/report.js'
import { toRunState } from '../../src/run.js'

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
