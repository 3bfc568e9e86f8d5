/**
 * The simulator's test plans: the scripts a run follows (frames of status, result and counts; re-runs; the answer
 * shape), the texts Testsigma answers with, and a few ready-made plans for tests and demos.
 */

export interface SimCounts {
  total: number
  passed: number
  failed: number
  aborted: number
  stopped: number
  notExecuted: number
}

export interface RunFrame {
  status: string
  result: string
  /** Counts for this frame; a field set to null is served as null, as the real API sometimes does. */
  counts?: Partial<Record<keyof SimCounts, number | null>>
  message?: string
  /** With `progress: 'time'`: ms after the trigger (a re-run: after its creation) from which this frame is served. */
  atMs?: number
  /** Extra fields merged into the run object (newer cloud fields, odd values). */
  extra?: Record<string, unknown>
}

/** A custom answer of the JUnit endpoint. */
export interface JunitAnswer {
  status?: number
  contentType?: string
  body: string
}

/** A re-run of a plan's run: a new run with its own frames, created after its parent completed without passing. */
/** One step of a scripted test case. */
export interface SimStep {
  action: string
  result: string
  message?: string
  errorType?: string
  errorCode?: number
}

/** A test case's result on one device, as a script gives it. */
export interface SimTestCase {
  name: string
  device: string
  result: string
  suite?: string
  /** Its steps; default: made from its result. */
  steps?: SimStep[]
  /** A data-driven test's iterations. */
  iterations?: Array<{ setName: string; result: string }>
}

export interface ReRunScript {
  frames: RunFrame[]
  /**
   * When it appears. `progress: 'poll'`: how many reads of the parent that show it completed come before the one that
   * shows the re-run (0: the first read that shows the parent completed already shows it). `progress: 'time'`: ms
   * after the parent completed. Default 0.
   */
  appearAfter?: number
  /**
   * How it re-runs its parent; default the plan's `reRunType`, else ONLY_FAILED_TESTS. The chain's counts depend on
   * it (docs §4.2): a failed-only re-run's frames count the tests it re-ran (the parent's non-passed ones), an
   * ALL_TESTS re-run's count them all.
   */
  reRunType?: string
  durationMs?: number
  junit?: JunitAnswer
  /** Its tests, as the JSON results give them (`sim/results.ts`); default: made from its final counts. */
  testCases?: SimTestCase[]
}

export interface PlanScript {
  id: string
  name: string
  frames: RunFrame[]
  progress?: 'poll' | 'time'
  /** Served as the run's `duration` once finished. */
  durationMs?: number
  /** Answer of the JUnit endpoint once the run finished; default: Testsigma's XML made from the final counts. */
  junit?: JunitAnswer
  /** Test devices of the default JUnit report (one `<testsuite>` each); default one, "Chrome 120 on Windows 11". */
  devices?: string[]
  /** The triggered run's tests, as the JSON results give them (`sim/results.ts`); default: made from its counts. */
  testCases?: SimTestCase[]
  /** Names of the test cases in the default JUnit report, in turn; default "Test case 1", "Test case 2", … */
  caseNames?: string[]
  /** Refuse every trigger as a plan already running (the open-source server also does so while a run is active). */
  busy?: boolean
  /** The cloud's answer shape; default 'cloud-2023'. */
  shape?: 'cloud-2023' | 'cloud-2021'
  /**
   * The plan's re-run setting, served as `execution.reRunType` on the cloud; default NONE, or ONLY_FAILED_TESTS when
   * the plan has `reRuns`.
   */
  reRunType?: string
  /**
   * `isReRunEnabled` of 2023 answers; default: whether `reRunType` is not NONE. Invented: the docs' samples all have
   * `false`, and no source defines the field or shows it `true` (docs §3.1, §10).
   */
  isReRunEnabled?: boolean
  /**
   * The chain: `reRuns[0]` re-runs the triggered run, `reRuns[1]` re-runs that re-run, … (Testsigma itself re-runs
   * once per chain; deeper runs come from manual re-runs, §4.1. The simulator makes them as scripted.)
   */
  reRuns?: ReRunScript[]
  /**
   * The `consolidated*` timeline of 2023 answers, which the docs do not show for a chain (§4.3):
   * - 'chain' (default): the latest run's status and result, so between the parent's completion and the re-run's
   *   appearance it reads completed;
   * - 'pending': not completed (STATUS_IN_PROGRESS, QUEUED) while a re-run is still to appear;
   * - 'own': each run's own status and result, whatever its re-runs say.
   */
  consolidated?: 'chain' | 'pending' | 'own'
  /** The trigger's counts: 0 as the docs' samples show (default), or null. */
  triggerCounts?: 'zero' | 'null'
  /**
   * The open-source server's test devices of the plan (the keys of `uploadVersions`, C1): when a trigger sends
   * `uploadVersions`, each must name a known version, a device missing from it reading as version 0. Default: not
   * checked.
   */
  testDevices?: number[]
  /** The upload versions the open-source server knows; default: every positive id. */
  uploadVersionIds?: number[]
  /**
   * A re-run of failed tests asked for through the cloud's API (D-rerun, `isReRun: true`): how it goes. Default: the
   * parent's tests that did not pass, run again, all passing.
   */
  manualReRun?: ReRunScript
}

export interface SimRun {
  id: number
  plan: PlanScript
  request: Record<string, unknown>
  /** Date.now() when the run was created (by the trigger, or as a re-run). */
  triggeredAt: number
  /** Reads that showed this run (a read of a run also shows its re-runs). */
  reads: number
  /** Set by the stop call. */
  stoppedAt?: number
  /** The `canStopAll` the stop that stopped it carried (undefined: none sent). */
  stoppedWithCanStopAll?: unknown
  /** Date.now() when a status read first served a finished frame. */
  finishedServedAt?: number
  frames: RunFrame[]
  durationMs?: number
  junit?: JunitAnswer
  /** 0 for the triggered run, n for the n-th re-run of the chain. */
  depth: number
  parent?: SimRun
  child?: SimRun
  /** A re-run of failed tests asked for by API without a script of its own: its tests are its parent's that did not pass. */
  rerunsFailedOf?: SimRun
  /** A re-run asked for by API with a script: its tests as scripted (`manualReRun.testCases`). */
  scriptedTests?: SimTestCase[]
  /** How this run re-runs its parent (re-runs only). */
  reRunType?: string
  /** Reads that showed this run completed (they time its re-run's appearance). */
  completedReads: number
  /** The open-source server found another run of the plan active when this run's re-run was due: none is made. */
  reRunRefused?: boolean
}

export const FINISHED = 'STATUS_COMPLETED'
// The open-source server's texts (O-msg, O-aes, docs §3.3, §7).
export const BUSY_TEXT =
  'The specified Test Plan is currently running. Please wait until the current Test Plan is complete. You may also ' +
  'use Testsigma Test Plan Status Check API to wait for the current Test Plan to complete. More details - ' +
  'https://testsigma.com/docs/continuous-integration/rest-api/'
export const MESSAGES = {
  created: 'Test Plan execution is initiated and waiting to be queued',
  queued: 'Test plan is queued',
  preFlight: 'Test plan is moved to pre flight status',
  inProgress: 'Test Plan in Progress',
  passed: 'Test plan execution completed',
  failed: 'Test plan execution failed',
  stopped: 'User stopped the Test Plan'
}

/** A run that passes on the third status read: queued, in progress, finished. */
export function passingPlan(id = '2048', name = 'Checkout flow'): PlanScript {
  return {
    id,
    name,
    durationMs: 125_000,
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5, passed: 0 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2 } },
      { status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5, failed: 0 } }
    ]
  }
}

/** A run that fails on the third status read: 3 passed, 1 failed, 1 aborted of 5. */
export function failingPlan(id = '4096', name = 'Checkout flow'): PlanScript {
  return {
    id,
    name,
    durationMs: 98_500,
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2, failed: 1 } },
      {
        status: FINISHED,
        result: 'FAILURE',
        message: MESSAGES.failed,
        counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: null, notExecuted: null }
      }
    ]
  }
}

/**
 * A plan that re-runs its failed tests: the run fails 3 of 5 on its third read, then its re-run (ONLY_FAILED_TESTS)
 * appears `appearAfter` reads later and runs those 2 to `reRunResult`, on its second read.
 */
export function reRunPlan(
  id = '5120',
  options: { reRunResult?: 'SUCCESS' | 'FAILURE'; appearAfter?: number; name?: string } = {}
): PlanScript {
  const passes = (options.reRunResult ?? 'SUCCESS') === 'SUCCESS'
  return {
    id,
    name: options.name ?? 'Checkout flow',
    durationMs: 98_500,
    reRunType: 'ONLY_FAILED_TESTS',
    // A web plan: browsers only (a phone would need an app build, which this plan does not upload).
    devices: ['Chrome 120 on Windows 11', 'Firefox 121 on Windows 11'],
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2, failed: 1 } },
      {
        status: FINISHED,
        result: 'FAILURE',
        counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: 0, notExecuted: 0 }
      }
    ],
    reRuns: [
      {
        appearAfter: options.appearAfter ?? 0,
        durationMs: 41_250,
        frames: [
          { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 2, passed: 0 } },
          {
            status: FINISHED,
            result: passes ? 'SUCCESS' : 'FAILURE',
            counts: passes ? { total: 2, passed: 2, failed: 0 } : { total: 2, passed: 1, failed: 1 }
          }
        ]
      }
    ]
  }
}

export function messageOf(frame: RunFrame): string {
  switch (frame.status) {
    case 'STATUS_CREATED':
      return MESSAGES.created
    case 'STATUS_QUEUED':
      return MESSAGES.queued
    case 'STATUS_PRE_FLIGHT':
      return MESSAGES.preFlight
    case FINISHED:
      return frame.result === 'SUCCESS' ? MESSAGES.passed : MESSAGES.failed
    default:
      return MESSAGES.inProgress
  }
}

export function zeroCounts(): RunFrame['counts'] {
  return { total: 0, passed: 0, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
}

export function countsOf(frame: RunFrame): SimCounts {
  const value = (name: keyof SimCounts): number => frame.counts?.[name] ?? 0
  return {
    total: value('total'),
    passed: value('passed'),
    failed: value('failed'),
    aborted: value('aborted'),
    stopped: value('stopped'),
    notExecuted: value('notExecuted')
  }
}
