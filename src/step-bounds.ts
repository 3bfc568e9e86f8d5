/**
 * `timeout-minutes` bounds the whole step, reporting included (README, action.yml): past it, stopping the run,
 * the summary, the pull-request comment and the process's exit take at most `PAST_TIMEOUT_MS` together. This is
 * where that time is shared out. Pure: times are Date.now() values.
 */

/** How long the step may go on past `timeout-minutes`, at most: the stated, tested margin. */
export const PAST_TIMEOUT_MS = 5000

// The stop comes first and matters most (a run left running costs test minutes): it is over by the deadline plus
// this, and has never more than STOP_MAX_MS nor less than STOP_MIN_MS. The comment is over by COMMENT_BY_MS past
// the deadline. What is left of the margin is for writing the verdict and the exit (index.ts gives a request left
// open a 1 s linger). Start-up is not in it: timeout-minutes counts from the process's start (index.ts).
const STOP_BY_MS = 2000
const STOP_MAX_MS = 3000
const STOP_MIN_MS = 500
const COMMENT_BY_MS = 3000

/** The stop request's own time limit: its usual 3 s when the job is cancelled early, less once past the deadline. */
export function stopLimitMs(deadline: number, now: number): number {
  return Math.max(STOP_MIN_MS, Math.min(STOP_MAX_MS, deadline + STOP_BY_MS - now))
}

/**
 * The pull-request comment's time limit: at most `maxMs`, and over by `COMMENT_BY_MS` past the deadline; 0 or less
 * when no time is left for it (it is then not written, and the log says so).
 */
export function commentLimitMs(deadline: number, now: number, maxMs: number): number {
  return Math.min(maxMs, deadline + COMMENT_BY_MS - now)
}
