/**
 * One backoff per server, shared by every request of a step that follows several plans: a 429 or 503 answered to
 * one plan's request holds every plan's next request (its `Retry-After`, else a doubling pause), so N plans back off
 * as one client instead of N. Each request still retries on its own policy (`retry.ts`); the gate only adds the wait
 * the server asked of all. The stop never waits on it.
 */
import type { Clock } from '../clock.js'
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../retry.js'

export class BackoffGate {
  /** Clock time before which no gated request is sent. */
  private openAt = 0
  /** 429s and 503s in a row, for the pause when the server names none. */
  private streak = 0

  constructor(private readonly clock: Clock) {}

  /** How long from now the gate stays closed (0 when open). */
  closedForMs(): number {
    return Math.max(0, this.openAt - this.clock.now())
  }

  /** Resolves once the gate is open, at most `limitMs` from now (a request's own time limit still applies). */
  async pass(limitMs: number, signal?: AbortSignal): Promise<void> {
    const waitMs = Math.min(this.closedForMs(), Math.max(0, limitMs))
    if (waitMs > 0) await this.clock.sleep(waitMs, signal)
  }

  /** The server answered: a 429 or 503 closes the gate for everyone, anything else ends the streak. */
  answered(statusCode: number, retryAfterMs: number | undefined): void {
    if (statusCode !== 429 && statusCode !== 503) {
      this.streak = 0
      return
    }
    this.streak += 1
    // The fixed half of the retries' backoff: the pause grows with the streak, capped as the retries are.
    const pauseMs = backoffDelayMs(this.streak, DEFAULT_RETRY_POLICY, 0, retryAfterMs)
    this.openAt = Math.max(this.openAt, this.clock.now() + pauseMs)
  }
}
