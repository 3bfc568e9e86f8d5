import { Clock, isAbort } from './clock.js'
import { DEFAULT_RETRY_POLICY, RetryPolicy, withRetry } from './retry.js'
import type { RunState } from './testsigma/run-state.js'

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
  /** Clock time at which waiting ends. */
  deadline: number
  clock: Clock
  signal?: AbortSignal
  random?: () => number
  /** Called with each state that differs from the one before (status, result or counts). */
  onChange?: (state: RunState) => void
  onRetry?: (error: Error, attempt: number, delayMs: number) => void
  onRecovered?: (faults: number) => void
}

/**
 * Polls the run until it is finished, the deadline passes or the signal aborts. Polls keep a fixed
 * cadence from the start (the time a request takes is not added to the interval) and no sleep goes
 * past the deadline, so the verdict comes at most one interval plus one round trip after Testsigma has it.
 */
export async function waitForCompletion(options: WaitOptions): Promise<WaitOutcome> {
  const { clock, intervalMs, deadline, signal } = options
  let last = options.initial
  if (last.finished) return { kind: 'finished', state: last }
  let nextPoll = clock.now() + intervalMs
  const policy = pollRetryPolicy(DEFAULT_RETRY_POLICY, intervalMs)
  for (;;) {
    try {
      await clock.sleep(Math.max(0, Math.min(nextPoll, deadline) - clock.now()), signal)
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
      if (stateKey(state) !== stateKey(last)) options.onChange?.(state)
      last = state
      if (state.finished) return { kind: 'finished', state }
    } catch (error) {
      if (signal?.aborted === true || isAbort(error)) return { kind: 'cancelled', last }
      if (clock.now() >= deadline) return { kind: 'timed-out', last }
      return { kind: 'failed', last, error: error as Error }
    }
    const now = clock.now()
    if (now >= deadline) return { kind: 'timed-out', last }
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
  return [state.status, state.result, c.total, c.passed, c.failed, c.aborted, c.stopped, c.notExecuted].join('|')
}
