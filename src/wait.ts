import { Clock, isAbort } from './clock.js'
import { DEFAULT_RETRY_POLICY, RetryPolicy, withRetry } from './retry.js'
import { RunState, withoutExpectedReRun } from './testsigma/run-state.js'

export type WaitOutcome =
  | { kind: 'finished'; state: RunState }
  | { kind: 'timed-out'; last: RunState }
  | { kind: 'cancelled'; last: RunState }
  /** A status request failed for good (refused, or nothing but faults for the retry policy's limit). */
  | { kind: 'failed'; last: RunState; error: Error }

export interface WaitOptions {
  /** The run as the trigger answered it. */
  initial: RunState
  /** One status request; retries are the loop's. */
  readRun: (signal?: AbortSignal) => Promise<RunState>
  intervalMs: number
  /** How long after the start the first read comes; default `intervalMs` (several plans offset theirs). */
  firstPollAfterMs?: number
  /** Clock time at which waiting ends. */
  deadline: number
  clock: Clock
  signal?: AbortSignal
  random?: () => number
  /** Called with each state that differs from the one before (status, result or counts). */
  onChange?: (state: RunState) => void
  /**
   * Called when a read finds nothing changed and nothing was said for `heartbeatMs`, with how long the state has
   * stood still: a long queue must not look like a hang. With polls that far apart, every unchanged poll says so.
   */
  onUnchanged?: (state: RunState, unchangedForMs: number) => void
  heartbeatMs?: number
  onRetry?: (error: Error, attempt: number, delayMs: number, giveUpInMs: number) => void
  onRecovered?: (faults: number) => void
  /** Called once when the run completed without passing and a re-run is expected, with how long it will be awaited. */
  onReRunAwaited?: (state: RunState, graceMs: number) => void
}

// Testsigma creates a re-run asynchronously after the parent is saved completed (docs §4.1); how long that takes
// is unknown (§10). The wait for one is short and bounded: a few polls, about two minutes at most.
const RE_RUN_GRACE_POLLS = 4
const RE_RUN_GRACE_MAX_MS = 2 * 60_000
export const DEFAULT_HEARTBEAT_MS = 5 * 60_000
// The last read before the deadline keeps this much time for itself: every request is cut at timeout-minutes, so a
// read at the deadline itself could not be sent. A status read takes well under a second.
const LAST_READ_RESERVE_MS = 5_000

/**
 * How long to keep polling for an expected re-run: four intervals, at most two minutes. The last poll of the grace
 * period happens at its end even when the interval is longer, so at least one poll looks for the re-run.
 */
export function reRunGraceMs(intervalMs: number): number {
  return Math.min(RE_RUN_GRACE_MAX_MS, RE_RUN_GRACE_POLLS * intervalMs)
}

/**
 * When the last read of a wait that ends at `deadline` happens: 5 s before it, or a tenth of the wait when that is
 * shorter, so that the read has time to be answered within timeout-minutes.
 */
export function lastReadAt(now: number, deadline: number): number {
  return deadline - Math.min(LAST_READ_RESERVE_MS, Math.max(0, Math.floor((deadline - now) / 10)))
}

/**
 * Polls the run until it is finished, the deadline passes or the signal aborts. Polls keep a fixed
 * cadence from the start (the time a request takes is not added to the interval) and no sleep goes
 * past the last read (`lastReadAt`, just before the deadline), so the verdict comes at most one interval plus one
 * round trip after Testsigma has it, and a wait shorter than the interval still reads the status once.
 *
 * A run that completed without passing while a re-run is expected (`reRunExpected`) is polled for a grace period
 * (`reRunGraceMs`, never past the deadline); if no re-run appears by its end, the run's own result stands
 * (`withoutExpectedReRun`) and the outcome is `finished`.
 */
export async function waitForCompletion(options: WaitOptions): Promise<WaitOutcome> {
  const { clock, intervalMs, deadline, signal } = options
  let last = options.initial
  if (last.finished) return { kind: 'finished', state: last }
  let nextPoll = clock.now() + (options.firstPollAfterMs ?? intervalMs)
  const lastRead = lastReadAt(clock.now(), deadline)
  const policy = pollRetryPolicy(DEFAULT_RETRY_POLICY, intervalMs)
  // Clock time at which an expected re-run is given up; set by the first read that expects one.
  let graceEnd: number | undefined
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  let changedAt = clock.now()
  let saidAt = changedAt
  for (;;) {
    try {
      const wakeAt = Math.min(nextPoll, lastRead, graceEnd ?? Infinity)
      await clock.sleep(Math.max(0, wakeAt - clock.now()), signal)
      const state = await withRetry(() => options.readRun(signal), {
        request: 'read',
        clock,
        policy,
        random: options.random,
        deadline,
        signal,
        onRetry: options.onRetry,
        onRecovered: options.onRecovered
      })
      const now = clock.now()
      if (stateKey(state) !== stateKey(last)) {
        options.onChange?.(state)
        changedAt = now
        saidAt = now
      } else if (now - saidAt >= heartbeatMs) {
        options.onUnchanged?.(state, now - changedAt)
        saidAt = now
      }
      last = state
      if (state.finished) return { kind: 'finished', state }
      if (!state.reRunExpected) {
        // The re-run appeared (or none is expected): the grace period no longer bounds the next sleep.
        graceEnd = undefined
      } else {
        if (graceEnd === undefined) {
          graceEnd = Math.min(clock.now() + reRunGraceMs(intervalMs), lastRead)
          options.onReRunAwaited?.(state, graceEnd - clock.now())
        }
        if (clock.now() >= graceEnd) return { kind: 'finished', state: withoutExpectedReRun(state) }
      }
    } catch (error) {
      if (signal?.aborted === true || isAbort(error)) return { kind: 'cancelled', last }
      if (clock.now() >= deadline) return { kind: 'timed-out', last }
      return { kind: 'failed', last, error: error as Error }
    }
    const now = clock.now()
    if (now >= lastRead) return { kind: 'timed-out', last }
    nextPoll += intervalMs
    // A slow streak of retries may have overrun whole intervals; poll now rather than catch up in a burst.
    if (nextPoll < now) nextPoll = now
  }
}

/**
 * A failed poll is retried no later than the next poll would have been: backing off past the interval
 * would delay the verdict by more than the user chose to wait between reads. The base delay stays the
 * floor, so a very short interval does not turn an outage into a flood of requests.
 */
export function pollRetryPolicy(policy: RetryPolicy, intervalMs: number): RetryPolicy {
  return { ...policy, maxDelayMs: Math.max(policy.baseDelayMs, Math.min(policy.maxDelayMs, intervalMs)) }
}

/** What counts as a change worth a log line. */
export function stateKey(state: RunState): string {
  const c = state.counts
  return [
    state.status,
    state.result,
    state.finalRunId,
    c.total,
    c.passed,
    c.failed,
    c.aborted,
    c.stopped,
    c.notExecuted
  ].join('|')
}
