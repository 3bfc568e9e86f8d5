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

export const RE_RUN_URL = 'https://app.testsigma.com/ui/td/runs/339'

/**
 * A finished chain as the cloud answers it in 2023 (no abortedCount): run 337 FAILURE, 3 passed of 5, re-run by
 * 339 (only the failed tests) with `reRun` fields; the report's final link is 339's.
 */
export function reRunReport(overrides: Partial<RunReport> = {}, reRun: Record<string, unknown> = {}): RunReport {
  return finishedRunReport(
    { finalRunUrl: RE_RUN_URL, ...overrides },
    {
      abortedCount: undefined,
      isReRunEnabled: true,
      execution: { name: 'Checkout flow', reRunType: 'ONLY_FAILED_TESTS' },
      childResult: {
        id: 339,
        reRunParentId: 337,
        status: 'STATUS_COMPLETED',
        result: 'SUCCESS',
        totalCount: 2,
        passedCount: 2,
        failedCount: 0,
        ...reRun
      }
    }
  )
}
