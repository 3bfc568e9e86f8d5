import type { ReportedApp, ReportedMergeQueueEntry, RunReport } from './report.js'

/**
 * A step that ran several test plans (`test-plan-id: 2048, 2051`): each plan's own `RunReport`, in the order the
 * input names them, and the facts of the step as a whole. A step with one plan is reported as a `RunReport` alone.
 */
export interface PlansReport {
  plans: RunReport[]
  failOnFailure: boolean
  timeoutMs: number
  /** The JUnit file written with every plan's suites, relative to the workspace as the user gave it. */
  junitReportPath?: string
  /** Why the JUnit file was not written, or what it lacks, as warned in the log. */
  junitWarning?: string
  /** The app build this step uploaded once for every plan (`app-file`). */
  app?: ReportedApp
  buildNumber?: string
  /** On a `merge_group` event, the queue entry the runs tested. */
  mergeQueue?: ReportedMergeQueueEntry
}

/** True when the plan's run finished and passed. */
export function planPassed(plan: RunReport): boolean {
  return plan.outcome === 'finished' && plan.state?.passed === true
}

/** The plans that passed and how many there are: "2 of 3 test plans passed". */
export function passedCount(report: PlansReport): number {
  return report.plans.filter(planPassed).length
}
