/**
 * The API's run object → what the action knows about the run, as pure functions (docs/testsigma-api.md §3, §4).
 * A triggered run can grow a chain of re-runs: each re-run is a new run nested in its parent's answer as
 * `childResult` (`child_result` on the open-source server). The action judges the chain, not the first run.
 */

/**
 * Test case counts. The API may give any of them as null, which counts as 0 here. `aborted` is undefined when
 * the answer has no `abortedCount` at all (newer cloud answers): unknown, which is not 0.
 */
export interface RunCounts {
  total: number
  passed: number
  failed: number
  aborted?: number
  stopped: number
  notExecuted: number
}

/** One run of a chain, as its own answer says. */
export interface ChainRun {
  runId: string
  status: string
  result: string
  message?: string
  counts: RunCounts
  /** Running and queued test cases, when the answer says (to derive an unknown aborted count). */
  running: number
  /** How this run re-runs its parent (`reRunType` on the run); absent on original runs and in newer cloud answers. */
  reRunType?: string
  startTime?: number
  endTime?: number
  durationMs?: number
  /** The test plan the run belongs to (`executionId` / `test_plan_id`), when the answer says. */
  planId?: string
}

/** What the action knows about a Testsigma run and its re-runs after reading it once. */
export interface RunState {
  /** The run the action triggered (the top of the chain); `run-id`. */
  runId: string
  /** The latest run of the chain, whose result decides the verdict; equals `runId` without re-runs. */
  finalRunId: string
  /** How many re-runs the chain has so far. */
  reRuns: number
  /** Every run of the chain, the triggered one first. */
  chain: ChainRun[]
  /**
   * The run completed without passing, the answer says its test plan re-runs, and no re-run is there yet
   * (§4.5): the chain is not finished until one appears or the grace period ends.
   */
  reRunExpected: boolean
  /** A re-run was expected but none appeared within the grace period: the result stands without it. */
  reRunGivenUp?: boolean
  /** The test plan's name (`execution.name`); absent in the trigger's answer and on the open-source server. */
  planName?: string
  /** The triggered run's test plan (`executionId` / `test_plan_id`), when the answer says. */
  planId?: string
  /** The top run's own `reRunParentId`: the run it re-runs, when it is a re-run (one the action asked for). */
  reRunParentId?: string
  /**
   * A run nested as the latest run's re-run that is not shown to be one (it names no parent or another, or belongs
   * to another test plan), and why: someone else's run, or one that cannot be told. Not followed: it never decides
   * the verdict and is never stopped.
   */
  notFollowed?: { runId: string; why: string }
  /** The chain's lifecycle: STATUS_CREATED … STATUS_COMPLETED (unknown values are kept as they came). */
  status: string
  /** The chain's verdict: SUCCESS, FAILURE, ABORTED, NOT_EXECUTED, QUEUED, STOPPED. */
  result: string
  message?: string
  finished: boolean
  passed: boolean
  /** The chain's counts, as Testsigma's own UI consolidates them (§4.2). */
  counts: RunCounts
  /** `counts.aborted` was not in the answer and was derived from the other counts once finished. */
  abortedDerived?: boolean
  /** The chain-wide fields of newer cloud answers, when present (§3.1). */
  consolidated?: { status?: string; result?: string }
  /** The finished chain's `consolidatedResult` and the final run's `result`, when they disagree. */
  resultConflict?: { consolidated: string; finalRun: string }
  durationMs?: number
  buildNo?: string
}

export const FINISHED_STATUS = 'STATUS_COMPLETED'
export const PASSED_RESULT = 'SUCCESS'
export const KNOWN_STATUSES = [
  'STATUS_CREATED',
  'STATUS_QUEUED',
  'STATUS_PRE_FLIGHT',
  'STATUS_IN_PROGRESS',
  FINISHED_STATUS
]

// A run object nests its re-run, which nests its own; no real chain is anywhere near this deep.
const MAX_CHAIN = 25

/** The run object does not have the shape the API documents (a proxy's page, a truncated body...). */
export class MalformedRunError extends Error {
  constructor(problem: string) {
    super(`Testsigma answered with a run object that ${problem}`)
    this.name = 'MalformedRunError'
  }
}

type Json = Record<string, unknown>

/**
 * Maps the API's run object (either spelling) to a `RunState`. Unknown fields are ignored; a missing id or status
 * throws.
 */
export function toRunState(body: unknown): RunState {
  const top = asObject(body, 'is not a JSON object')
  const chain: ChainRun[] = []
  const objects: Json[] = []
  let notFollowed: RunState['notFollowed']
  let node: Json | undefined = top
  while (node !== undefined) {
    if (chain.length === MAX_CHAIN) throw new MalformedRunError(`nests more than ${MAX_CHAIN} re-runs`)
    const run = chainRun(node, chain.length === 0 ? '' : ` (re-run ${chain.length})`)
    const why = chain.length === 0 ? undefined : notAReRun(node, run, chain)
    if (why !== undefined) {
      notFollowed = { runId: run.runId, why }
      break
    }
    chain.push(run)
    objects.push(node)
    const child = field(node, 'childResult')
    node =
      child === null || child === undefined ? undefined : asObject(child, 'has a "childResult" that is not an object')
  }

  const execution = field(top, 'execution') as Json | null | undefined
  const planName = text(execution?.name)
  const planReRunType = text(execution?.reRunType)
  const final = chain[chain.length - 1]
  const finalObject = objects[objects.length - 1]
  // §4.1: only an original run that completed without passing (and was not stopped) is re-run, and only when
  // the plan re-runs. The answer says so with `isReRunEnabled`, the plan's `execution.reRunType` or the run's own.
  const reRunsEnabled =
    field(top, 'isReRunEnabled') === true || reRuns(planReRunType) || reRuns(text(field(top, 'reRunType')))
  const original = chain.length === 1 && idField(finalObject, 'reRunParentId', '') === undefined
  // A nested run that may or may not be its re-run came: no other re-run is awaited.
  const reRunExpected =
    reRunsEnabled &&
    original &&
    notFollowed === undefined &&
    final.status === FINISHED_STATUS &&
    final.result !== PASSED_RESULT &&
    final.result !== 'STOPPED'

  const consolidatedStatus = text(field(top, 'consolidatedStatus'))
  const consolidatedResult = text(field(top, 'consolidatedResult'))
  return conclude({
    runId: chain[0].runId,
    finalRunId: final.runId,
    reRuns: chain.length - 1,
    chain,
    reRunExpected,
    planName,
    planId: chain[0].planId,
    ...reRunParentOf(top),
    ...(notFollowed === undefined ? {} : { notFollowed }),
    status: final.status,
    result: final.result,
    message: final.message,
    finished: false,
    passed: false,
    counts: chainCounts(chain, planReRunType),
    consolidated:
      consolidatedStatus === undefined && consolidatedResult === undefined
        ? undefined
        : { status: consolidatedStatus, result: consolidatedResult },
    durationMs: chainDuration(chain, field(top, 'consolidatedDuration')),
    buildNo: text(field(top, 'buildNo'))
  })
}

function reRunParentOf(top: Json): { reRunParentId?: string } {
  const id = idField(top, 'reRunParentId', '')
  return id === undefined ? {} : { reRunParentId: id }
}

/**
 * The state once the grace period for an expected re-run has passed without one: the run's own result stands
 * (a re-run that never came cannot change it).
 */
export function withoutExpectedReRun(state: RunState): RunState {
  if (!state.reRunExpected) return state
  return conclude({ ...state, reRunExpected: false, reRunGivenUp: true })
}

/**
 * Finished, passed, status, result and counts of a chain from its facts, safe under every plausible cloud
 * timeline (§4.5, §10): finished needs the final run completed, `consolidatedStatus` (when present) completed,
 * and no re-run still expected; passed needs every result present to say SUCCESS.
 */
function conclude(state: RunState): RunState {
  const final = state.chain[state.chain.length - 1]
  const consolidatedStatus = state.consolidated?.status
  const consolidatedResult = state.consolidated?.result
  // Every run of the chain: a parent still in progress is not done because its re-run is.
  const running = [...state.chain].reverse().find(run => run.status !== FINISHED_STATUS)
  const complete = running === undefined && (consolidatedStatus === undefined || consolidatedStatus === FINISHED_STATUS)
  const finished = complete && !state.reRunExpected
  // Shown while waiting: whichever says the chain is not done yet.
  const status =
    running !== undefined
      ? running.status
      : consolidatedStatus !== undefined && consolidatedStatus !== FINISHED_STATUS
        ? consolidatedStatus
        : FINISHED_STATUS

  let result = consolidatedResult ?? final.result
  let resultConflict: RunState['resultConflict']
  if (finished && consolidatedResult !== undefined && consolidatedResult !== final.result) {
    resultConflict = { consolidated: consolidatedResult, finalRun: final.result }
    // Never green on a disagreement: report the one that did not pass.
    result = consolidatedResult !== PASSED_RESULT ? consolidatedResult : final.result
  }
  const passed =
    finished &&
    final.result === PASSED_RESULT &&
    (consolidatedResult === undefined || consolidatedResult === PASSED_RESULT)

  let counts = state.counts
  let abortedDerived: boolean | undefined
  if (finished && counts.aborted === undefined) {
    // The deepest run's own counts: the chain's passed may leave out the passes of the runs in between (§4.2).
    counts = { ...counts, aborted: derivedAborted(final.counts, final.running) }
    abortedDerived = true
  }
  const next: RunState = { ...state, status, result, finished, passed, counts }
  if (resultConflict !== undefined) next.resultConflict = resultConflict
  else delete next.resultConflict
  if (abortedDerived === true) next.abortedDerived = true
  return next
}

/**
 * Newer cloud answers have no `abortedCount` (§3.1). Once the run is finished, what is neither passed, failed,
 * stopped, not executed, nor still counted as running or queued was aborted; never negative.
 */
function derivedAborted(counts: RunCounts, running: number): number {
  return Math.max(0, counts.total - (counts.passed + counts.failed + counts.stopped + counts.notExecuted + running))
}

/**
 * The chain's counts as Testsigma's own UI adds them (O-uimodel `consolidateCount` and `getLastChildResult`, §4.2):
 * failed, aborted, stopped and not-executed are the deepest run's; passed is the first run's plus the deepest run's
 * when the deepest re-ran only the failed tests (its `reRunType`, else the plan's, is exactly `ONLY_FAILED_TESTS`:
 * the UI does not count the iteration types so, though the server's `runFailedTestCases()` does), else the deepest
 * run's own. The runs in between are not read, and the total stays the first run's, as the UI leaves it; it is only
 * raised to the counts it holds (a failed-only re-run also re-runs passed prerequisites, which then count twice).
 */
export function chainCounts(chain: readonly ChainRun[], planReRunType?: string): RunCounts {
  const first = chain[0].counts
  const deepest = chain[chain.length - 1]
  let counts = first
  if (chain.length > 1) {
    const onlyFailed = (deepest.reRunType ?? planReRunType) === 'ONLY_FAILED_TESTS'
    counts = {
      total: first.total,
      passed: onlyFailed ? first.passed + deepest.counts.passed : deepest.counts.passed,
      failed: deepest.counts.failed,
      aborted: deepest.counts.aborted,
      stopped: deepest.counts.stopped,
      notExecuted: deepest.counts.notExecuted
    }
  }
  return { ...counts, total: Math.max(counts.total, doneCount(counts)) }
}

/** `consolidatedDuration`; for a chain without it, first start to last end (else the durations added up). */
function chainDuration(chain: readonly ChainRun[], consolidated: unknown): number | undefined {
  if (isCount(consolidated)) return consolidated
  if (chain.length === 1) return chain[0].durationMs
  const first = chain[0]
  const last = chain[chain.length - 1]
  if (first.startTime !== undefined && last.endTime !== undefined && last.endTime >= first.startTime) {
    return last.endTime - first.startTime
  }
  const durations = chain.map(run => run.durationMs)
  return durations.every(isCount) ? durations.reduce((sum, ms) => sum + ms, 0) : undefined
}

function chainRun(run: Json, which: string): ChainRun {
  const runId = idField(run, 'id', which)
  if (runId === undefined) throw new MalformedRunError(`has no numeric "id"${which}`)
  const status = field(run, 'status')
  if (typeof status !== 'string' || status === '') throw new MalformedRunError(`has no "status"${which}`)
  const startTime = finite(field(run, 'startTime'))
  const endTime = finite(field(run, 'endTime'))
  const duration = finite(field(run, 'duration'))
  return {
    runId,
    status,
    result: text(field(run, 'result')) ?? '',
    message: text(field(run, 'message')),
    counts: {
      total: count(field(run, 'totalCount')),
      passed: count(field(run, 'passedCount')),
      failed: count(field(run, 'failedCount')),
      aborted: has(run, 'abortedCount') ? count(field(run, 'abortedCount')) : undefined,
      stopped: count(field(run, 'stoppedCount')),
      notExecuted: count(field(run, 'notExecutedCount'))
    },
    running: count(field(run, 'runningCount')) + count(field(run, 'queuedCount')),
    reRunType: text(field(run, 'reRunType')),
    // The open-source server's name is not the cloud's in snake_case (O-dto).
    planId: idOf(field(run, 'executionId') ?? run.test_plan_id, 'executionId', which),
    startTime,
    endTime,
    durationMs:
      duration !== undefined && duration >= 0
        ? duration
        : startTime !== undefined && endTime !== undefined && endTime >= startTime
          ? endTime - startTime
          : undefined
  }
}

/**
 * Why `node`, nested as the re-run of the chain's latest run, cannot be shown to be this chain's re-run, or undefined
 * when it is. A re-run names that run as its parent (`reRunParentId`, what the open-source server's nesting is made
 * of, O-entity) and belongs to the same test plan. A run nested twice is a cycle: the answer is refused.
 */
function notAReRun(node: Json, run: ChainRun, chain: readonly ChainRun[]): string | undefined {
  const parent = chain[chain.length - 1]
  if (chain.some(earlier => earlier.runId === run.runId)) {
    const ids = [...chain.map(earlier => earlier.runId), run.runId].join(' → ')
    throw new MalformedRunError(`nests run ${run.runId} twice in its re-run chain (${ids}), a cycle`)
  }
  const named = idField(node, 'reRunParentId', ` (re-run ${chain.length})`)
  const plan = chain.find(earlier => earlier.planId !== undefined)?.planId
  if (run.planId !== undefined && plan !== undefined && run.planId !== plan) {
    return `it is a run of test plan ${run.planId}, not ${plan}`
  }
  if (named === undefined) return 'it names no parent (no reRunParentId)'
  if (named !== parent.runId) return `it names run ${named} as its parent`
  return undefined
}

/**
 * An id field: digits, or a number JavaScript holds exactly; undefined when absent or null. A number from 2^53 up
 * was rounded by JSON.parse to a neighbour, which could name someone else's run: such an answer is refused.
 */
function idField(run: Json, camelName: string, which: string): string | undefined {
  return idOf(field(run, camelName), camelName, which)
}

/** An id read as `idField` does, from a value (`which` says where, for the error). */
export function idOf(value: unknown, camelName: string, which: string): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    throw new MalformedRunError(
      `has a "${camelName}"${which} of 2^53 or more, which JavaScript cannot read exactly (read as ${String(value)})`
    )
  }
  if (typeof value === 'string' && /^\d{1,30}$/.test(value)) return value.replace(/^0+(?=\d)/, '')
  throw new MalformedRunError(`has a "${camelName}"${which} that is not an id (${JSON.stringify(value).slice(0, 40)})`)
}

/**
 * How an answer that is not about the run asked for differs from it ("run 555", "a run of test plan 9"), or
 * undefined when it is about that run. A run's status read from another run's answer would give it that run's
 * verdict.
 */
export function aboutAnotherRun(state: RunState, asked: { runId?: string; planId?: string }): string | undefined {
  if (asked.runId !== undefined && state.runId !== asked.runId) return `run ${state.runId}`
  if (asked.planId !== undefined && state.planId !== undefined && state.planId !== asked.planId) {
    return `a run of test plan ${state.planId}`
  }
  return undefined
}

/** A field by its cloud name, or by the open-source server's snake_case name (`totalCount` / `total_count`). */
function field(run: Json, camelName: string): unknown {
  const value = run[camelName]
  return value !== undefined ? value : run[snakeCase(camelName)]
}

/** Whether the answer has the field at all (null counts as given; a JSON answer has no undefined). */
function has(run: Json, camelName: string): boolean {
  return field(run, camelName) !== undefined
}

function snakeCase(camelName: string): string {
  return camelName.replace(/[A-Z]/g, letter => `_${letter.toLowerCase()}`)
}

function asObject(value: unknown, problem: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedRunError(problem)
  return value as Json
}

function reRuns(reRunType: string | undefined): boolean {
  return reRunType !== undefined && reRunType !== 'NONE'
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function count(value: unknown): number {
  return isCount(value) ? Math.floor(value) : 0
}

/** Test cases that reached a final outcome (an unknown aborted count adds none). */
export function doneCount(counts: RunCounts): number {
  return counts.passed + counts.failed + (counts.aborted ?? 0) + counts.stopped + counts.notExecuted
}

/**
 * Where to send the stop: the latest run of the chain that is not completed (the one still running), or undefined
 * when every run known is completed, so that a stop can only ever reach this job's own run (§5).
 */
export function stopTarget(state: RunState): string | undefined {
  return [...state.chain].reverse().find(run => run.status !== FINISHED_STATUS)?.runId
}
