import type { RunState } from '../testsigma/run-state.js'
import type { ReportedTest, TestsSource } from './tests.js'

/** How the step ended, as far as the run is concerned. */
export type Outcome =
  /** The run finished (passed or not). */
  | 'finished'
  /** `wait: false`: the run was started and not waited for. */
  | 'triggered'
  | 'timed-out'
  | 'cancelled'
  /** A request failed for good, before or while waiting. */
  | 'failed'

/** Everything the reporting needs, in one value: outputs, summary, annotations and verdict all read it. */
export interface RunReport {
  outcome: Outcome
  testPlanId: string
  /** Absent when the trigger itself failed. */
  runId?: string
  runUrl?: string
  /** The link of the run whose result decided the verdict (the last re-run of a chain; else `runUrl`). */
  finalRunUrl?: string
  /** The last state read; absent when the trigger failed. */
  state?: RunState
  buildNumber?: string
  failOnFailure: boolean
  timeoutMs: number
  /** The JUnit file written, relative to the workspace as the user gave it. */
  junitReportPath?: string
  /**
   * Every test of the run that decided the verdict (`state.finalRunId`), one per test and device: from Testsigma's
   * JSON results, else from its JUnit report (`testsSource`); absent when neither could be had or read.
   */
  testCases?: ReportedTest[]
  /** Where `testCases` came from; absent with them. */
  testsSource?: TestsSource
  /** Why there are no `testCases` for a finished run (or fewer details), as warned in the log. */
  reportWarning?: string
  /** Whether the action asked Testsigma to stop the run (cancel or timeout), which run, and how that went. */
  stop?: { stopped: boolean; runId?: string; detail?: string }
  /** What went wrong, for `failed`: already a message for people. */
  error?: string
  /** The same in a few words, for the answer line ("the API key was refused"). */
  errorBrief?: string
  /** The app build this step uploaded (`app-file`), once Testsigma stored it as a version. */
  app?: ReportedApp
  /** On a `merge_group` event, the queue entry the run tested. */
  mergeQueue?: ReportedMergeQueueEntry
  /** When this step re-ran only the failed tests of the run a previous attempt started ("Re-run failed jobs"). */
  reRunOf?: ReportedReRun
}

/** The run whose failed tests this step re-ran: `runId` of the report is the re-run. */
export interface ReportedReRun {
  /** The run re-run: the deepest run of the previous attempt's chain, whose result decided that attempt. */
  runId: string
  runUrl: string
  /** The workflow run's attempt that started it (GITHUB_RUN_ATTEMPT). */
  attempt: number
  /** The first run of that chain: its passes count in the chain's counts, as Testsigma shows them. */
  firstRunId: string
  /** How many of its tests did not pass, as its counts say: what the re-run runs. */
  notPassed: number
}

/** The app build the run tested, as the report shows it: plain facts, whatever flow uploaded it. */
export interface ReportedApp {
  uploadId: number
  /** The upload's name, when known. */
  uploadName?: string
  versionId: number
  /** The version's name as sent (`build-number`, else the short commit SHA). */
  versionName?: string
}

/** On a `merge_group` event, the queue entry the run tested, as the summary shows it. */
export interface ReportedMergeQueueEntry {
  pullRequest: number
  pullRequestUrl?: string
  baseBranch: string
  headSha: string
  commitUrl?: string
}
