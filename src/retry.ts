import { Clock, isAbort } from './clock.js'

/**
 * A failed request, described by what matters for deciding whether to send it again.
 * - `http`: the server answered with a non-2xx status.
 * - `network`: no answer; `notSent` is true only when the request certainly never reached the server
 *   (connection refused, host not found), so even a trigger may be sent again.
 * - `timeout`: no answer within the request's time limit (the server may have acted on it).
 * - `malformed`: a 2xx answer whose body is not what the API documents.
 */
export interface Fault {
  kind: 'http' | 'network' | 'timeout' | 'malformed'
  statusCode?: number
  notSent?: boolean
  /** From a `Retry-After` header, already converted to milliseconds from now. */
  retryAfterMs?: number
  /** The same request would get the same answer (one too large to read): never sent again. */
  permanent?: boolean
}

/**
 * `trigger` starts a run, so sending it twice could start two: it is sent again only when the first certainly
 * never reached the server. `upload` (an app build: a new upload or a new version of one) creates something too,
 * and is also sent again after a 429 or 503: a second version is visible and harmless where a second run is not.
 * `read` (status, report, upload look-ups) and `stop` change nothing twice, so every transient fault retries.
 */
export type RequestKind = 'trigger' | 'upload' | 'read' | 'stop'

export interface RetryPolicy {
  baseDelayMs: number
  maxDelayMs: number
  /** A streak of nothing but faults this long ends the retries; one bad minute cannot exhaust it. */
  giveUpAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000, giveUpAfterMs: 5 * 60_000 }

/**
 * The same policy with a shorter streak limit. The trigger uses it because a trigger that keeps failing
 * before any run exists is more often a wrong base-url (refused, unknown host) than an outage; the JUnit
 * report uses it because the verdict is already known and reporting must not hold it back for long.
 */
export function withShortStreak(policy: RetryPolicy = DEFAULT_RETRY_POLICY, limitMs = 60_000): RetryPolicy {
  return { ...policy, giveUpAfterMs: Math.min(policy.giveUpAfterMs, limitMs) }
}

export function isRetryable(fault: Fault, request: RequestKind): boolean {
  if (fault.permanent === true) return false
  if (request === 'trigger') {
    // Only a request that never left proves that nothing started: a refused connection, an unknown host, a TLS
    // handshake that failed. Any answer, a 429 or 503 included (a proxy answers so after a reset, when the trigger
    // may have reached Testsigma), a timeout or a reset may come after the run was created: reported instead.
    return fault.kind === 'network' && fault.notSent === true
  }
  if (request === 'upload') {
    // 429 and 503 are most often answered before anything is stored; a refused connection carried nothing.
    if (fault.kind === 'http') return fault.statusCode === 429 || fault.statusCode === 503
    return fault.kind === 'network' && fault.notSent === true
  }
  if (fault.kind === 'http') {
    const status = fault.statusCode ?? 0
    return status >= 500 || status === 429 || status === 408
  }
  return true
}

/**
 * Exponential backoff with equal jitter (half fixed, half random, so retries from many jobs spread out
 * but never collapse to zero), capped at `maxDelayMs`. A server's `Retry-After` wins when it is longer,
 * still within the cap.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  const jittered = exponential / 2 + (exponential / 2) * random
  const wanted = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered
  return Math.round(Math.min(policy.maxDelayMs, wanted))
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `nowMs`; undefined when unusable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

/** Something thrown by the client that carries a `Fault`. */
export interface FaultError extends Error {
  fault: Fault
}

export function faultOf(error: unknown): Fault | undefined {
  if (error instanceof Error && 'fault' in error) return (error as FaultError).fault
  return undefined
}

export interface RetryOptions {
  request: RequestKind
  clock: Clock
  policy?: RetryPolicy
  random?: () => number
  /** Absolute time (clock ms) after which no retry starts: the wait's own deadline. */
  deadline?: number
  signal?: AbortSignal
  /**
   * Called before each retry; `attempt` is 1 for the first retry of a streak, `giveUpInMs` is how long from now
   * the streak may go on before the retries stop (the policy's limit or the deadline, whichever comes first).
   */
  onRetry?: (error: Error, attempt: number, delayMs: number, giveUpInMs: number) => void
  /** Called when a request succeeds after at least one fault. */
  onRecovered?: (faults: number) => void
}

/** Runs `send` until it succeeds, a fault is not retryable, or the streak of faults runs out of time. */
export async function withRetry<T>(send: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY
  const random = options.random ?? Math.random
  const { clock } = options
  let faults = 0
  let streakStart = 0
  for (;;) {
    try {
      const value = await send()
      if (faults > 0) options.onRecovered?.(faults)
      return value
    } catch (error) {
      const fault = faultOf(error)
      if (fault === undefined || isAbort(error) || !isRetryable(fault, options.request)) throw error
      const now = clock.now()
      if (faults === 0) streakStart = now
      faults += 1
      let delay = backoffDelayMs(faults, policy, random(), fault.retryAfterMs)
      if (now + delay - streakStart > policy.giveUpAfterMs) throw error
      let giveUpAt = streakStart + policy.giveUpAfterMs
      if (options.deadline !== undefined) {
        if (now >= options.deadline) throw error
        delay = Math.min(delay, options.deadline - now)
        giveUpAt = Math.min(giveUpAt, options.deadline)
      }
      options.onRetry?.(error as Error, faults, delay, giveUpAt - now)
      await clock.sleep(delay, options.signal)
    }
  }
}
