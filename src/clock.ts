import { setTimeout as delay } from 'node:timers/promises'

/** Time as the wait loop and the retries see it; tests pass a fake one so no test sleeps for real. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(Math.max(0, ms), undefined, { signal })
  }
}

/** True for the error an aborted sleep or request rejects with. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR')
}
