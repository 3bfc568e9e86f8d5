/** Test case counts of a run; the API may give any of them as null, which counts as 0 here. */
export interface RunCounts {
  total: number
  passed: number
  failed: number
  aborted: number
  stopped: number
  notExecuted: number
}

/** What the action knows about a Testsigma run after reading it once. */
export interface RunState {
  runId: string
  /** The test plan's name (`execution.name`); absent in the trigger's answer. */
  planName?: string
  /** Lifecycle: STATUS_CREATED … STATUS_COMPLETED (unknown values are kept as they came). */
  status: string
  /** Verdict: SUCCESS, FAILURE, ABORTED, NOT_EXECUTED, QUEUED, STOPPED. */
  result: string
  message?: string
  finished: boolean
  passed: boolean
  counts: RunCounts
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

/** The run object does not have the shape the API documents (a proxy's page, a truncated body...). */
export class MalformedRunError extends Error {
  constructor(problem: string) {
    super(`Testsigma answered with a run object that ${problem}`)
    this.name = 'MalformedRunError'
  }
}

/** Maps the API's run object to a `RunState`. Unknown fields are ignored; a missing id or status throws. */
export function toRunState(body: unknown): RunState {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MalformedRunError('is not a JSON object')
  }
  const run = body as Record<string, unknown>
  const runId = typeof run.id === 'number' || typeof run.id === 'string' ? String(run.id) : ''
  if (!/^\d+$/.test(runId)) throw new MalformedRunError('has no numeric "id"')
  if (typeof run.status !== 'string' || run.status === '') throw new MalformedRunError('has no "status"')
  const result = typeof run.result === 'string' ? run.result : ''
  const execution = run.execution as Record<string, unknown> | null | undefined
  const planName = typeof execution?.name === 'string' && execution.name !== '' ? execution.name : undefined
  const finished = run.status === FINISHED_STATUS
  return {
    runId,
    planName,
    status: run.status,
    result,
    message: typeof run.message === 'string' && run.message !== '' ? run.message : undefined,
    finished,
    passed: finished && result === PASSED_RESULT,
    counts: {
      total: count(run.totalCount),
      passed: count(run.passedCount),
      failed: count(run.failedCount),
      aborted: count(run.abortedCount),
      stopped: count(run.stoppedCount),
      notExecuted: count(run.notExecutedCount)
    },
    durationMs: durationOf(run),
    buildNo: typeof run.buildNo === 'string' && run.buildNo !== '' ? run.buildNo : undefined
  }
}

/** `duration`, or for servers that leave it null, the span between `startTime` and `endTime`. */
function durationOf(run: Record<string, unknown>): number | undefined {
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
  if (finite(run.duration) && run.duration >= 0) return run.duration
  if (finite(run.startTime) && finite(run.endTime) && run.endTime >= run.startTime) return run.endTime - run.startTime
  return undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0
}

/** Test cases that reached a final outcome. */
export function doneCount(counts: RunCounts): number {
  return counts.passed + counts.failed + counts.aborted + counts.stopped + counts.notExecuted
}

/** One log line for a state: "STATUS_IN_PROGRESS (QUEUED): 3/5 done, 2 passed, 1 failed". */
export function describeProgress(state: RunState): string {
  const { counts } = state
  const result = state.result === '' ? '' : ` (${state.result})`
  return `${state.status}${result}: ${doneCount(counts)}/${counts.total} done, ${counts.passed} passed, ${counts.failed} failed`
}

/**
 * "3 passed, 1 failed, 1 aborted of 5": passed always, the other outcomes only where non-zero.
 */
export function describeCounts(counts: RunCounts): string {
  const parts = [`${counts.passed} passed`]
  if (counts.failed > 0) parts.push(`${counts.failed} failed`)
  if (counts.aborted > 0) parts.push(`${counts.aborted} aborted`)
  if (counts.stopped > 0) parts.push(`${counts.stopped} stopped`)
  if (counts.notExecuted > 0) parts.push(`${counts.notExecuted} not executed`)
  return `${parts.join(', ')} of ${counts.total}`
}

/** The run's results page in Testsigma. */
export function runUrl(baseUrl: string, runId: string): string {
  return `${baseUrl}/ui/td/runs/${runId}`
}

/** The test plan's page in Testsigma, which lists its runs (route of the open-source UI). */
export function testPlanUrl(baseUrl: string, testPlanId: string): string {
  return `${baseUrl}/ui/td/plans/${testPlanId}/details`
}
