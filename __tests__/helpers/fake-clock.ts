import type { Clock } from '../../src/clock.js'

/** A clock whose sleeps return at once and move time forward, so waits of hours take no real time. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  constructor(public time = 1_000_000) {}

  now(): number {
    return this.time
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (aborted(signal)) throw abortError()
    this.sleeps.push(ms)
    this.time += ms
    // Let other promise chains (an abort in a test) run, as a real sleep would.
    await new Promise(resolve => setImmediate(resolve))
    if (aborted(signal)) throw abortError()
  }
}

// A function, so TypeScript does not narrow `aborted` across the await.
function aborted(signal?: AbortSignal): boolean {
  return signal?.aborted === true
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' })
}
