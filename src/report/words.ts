import { doneCount, FINISHED_STATUS, RunCounts, RunState } from '../testsigma/run-state.js'
import { clip, oneLine } from '../text.js'

/**
 * A run's state in people's words, for the log, the verdict, the summary and the comment. Testsigma's enums
 * (`STATUS_IN_PROGRESS`, `NOT_EXECUTED`) stay in the outputs, where scripts read them.
 */

// Maps, not objects: a server word is never looked up as a property ("constructor", "__proto__", "toString").
const STATUS_WORDS = new Map<string, string>([
  // "Test Plan execution is initiated and waiting to be queued" (docs §3.3).
  ['STATUS_CREATED', 'waiting to start'],
  ['STATUS_QUEUED', 'queued'],
  ['STATUS_PRE_FLIGHT', 'preparing'],
  ['STATUS_IN_PROGRESS', 'running'],
  [FINISHED_STATUS, 'completed']
])

const RESULT_WORDS = new Map<string, string>([
  ['SUCCESS', 'passed'],
  ['FAILURE', 'failed'],
  ['ABORTED', 'aborted'],
  ['NOT_EXECUTED', 'not executed'],
  ['STOPPED', 'stopped'],
  ['QUEUED', 'queued']
])

// A word this action does not know is shown as it came, in quotes, up to this long.
const UNKNOWN_WORD_LIMIT = 100

/** "running" for STATUS_IN_PROGRESS; a status this action does not know, quoted as it came (one line, clipped). */
export function statusWords(status: string): string {
  return STATUS_WORDS.get(status) ?? quoted(status)
}

/** "passed", "failed", "aborted", "not executed", "stopped"; an unknown result quoted as it came; "no result" for none. */
export function resultWords(result: string): string {
  if (result === '') return 'no result'
  return RESULT_WORDS.get(result) ?? quoted(result)
}

/**
 * What a finished run did, after its name: "passed", "failed", …; `ended with result "PARTIAL"` for a result this
 * action does not know, "ended with no result" for none.
 */
export function finishedWords(result: string): string {
  const known = RESULT_WORDS.get(result)
  if (known !== undefined) return known
  return `ended with ${result === '' ? 'no result' : `result ${quoted(result)}`}`
}

function quoted(word: string): string {
  return `"${clip(oneLine(word), UNKNOWN_WORD_LIMIT)}"`
}

/** "3 passed, 1 failed, 1 aborted": passed always, the other outcomes only where non-zero. */
export function describeOutcomes(counts: RunCounts): string {
  const parts = [`${counts.passed} passed`]
  if (counts.failed > 0) parts.push(`${counts.failed} failed`)
  if ((counts.aborted ?? 0) > 0) parts.push(`${counts.aborted} aborted`)
  if (counts.stopped > 0) parts.push(`${counts.stopped} stopped`)
  if (counts.notExecuted > 0) parts.push(`${counts.notExecuted} not executed`)
  return parts.join(', ')
}

/** "3 passed, 1 failed, 1 aborted of 5". */
export function describeCounts(counts: RunCounts): string {
  return `${describeOutcomes(counts)} of ${counts.total}`
}

/** Test cases not done yet: the total less those with an outcome, never negative. */
export function notFinishedCount(counts: RunCounts): number {
  return Math.max(0, counts.total - doneCount(counts))
}

/** "re-run 1 (run 339)" for the final run of a chain with re-runs, else "run 337". */
export function describeFinalRun(state: RunState): string {
  return state.reRuns === 0 ? `run ${state.finalRunId}` : `re-run ${state.reRuns} (run ${state.finalRunId})`
}

/** Where a run is: its status while it goes on, its result in words once completed ("running", "failed"). */
export function describePhase(state: RunState): string {
  return state.status === FINISHED_STATUS && state.result !== '' ? resultWords(state.result) : statusWords(state.status)
}

/**
 * One progress line: "[04:30] running: 23/50 done (20 passed, 3 failed)", with "re-run 1 (run 339)" before the
 * phase once the chain has re-runs; "waiting to start, no tests counted yet" before Testsigma counts any.
 * `elapsedMs` (since the run started) is left out when not given.
 */
export function describeProgress(state: RunState, elapsedMs?: number): string {
  const clock = elapsedMs === undefined ? '' : `[${formatElapsed(elapsedMs)}] `
  const chain = state.reRuns === 0 ? '' : `${describeFinalRun(state)} `
  const { counts } = state
  const done = doneCount(counts)
  const progress =
    counts.total === 0 && done === 0
      ? ', no tests counted yet'
      : `: ${done}/${counts.total} done (${describeOutcomes(counts)})`
  return `${clock}${chain}${describePhase(state)}${progress}`
}

/** "04:30", "1:02:03": minutes and seconds since the start, hours when there are some. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`
  return hours > 0 ? `${hours}:${mmss}` : mmss
}
