import type { Clock } from '../../src/clock.js'

interface Sleeper {
  wakeAt: number
  resolve: () => void
}

/**
 * A clock for several waits at once (one per test plan): each sleep wakes at its own time, in the order of those
 * times, and time moves to the next wake only once no request it was told of (`track`, `trackedClient`) is in flight
 * and nothing has happened for a few real milliseconds. FakeClock adds up sleeps, which is right for one wait only.
 */
export class VirtualClock implements Clock {
  private readonly sleepers: Sleeper[] = []
  private timer: NodeJS.Timeout | undefined
  private inFlight = 0
  /** What every sleep asked for, in the order asked. */
  readonly sleeps: number[] = []

  constructor(
    public time = 1_000_000,
    private readonly quietMs = 5
  ) {}

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(abortError())
    this.sleeps.push(ms)
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.time + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = (): void => {
        const at = this.sleepers.indexOf(sleeper)
        if (at >= 0) this.sleepers.splice(at, 1)
        reject(abortError())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.sleepers.push(sleeper)
      this.schedule()
    })
  }

  /** Holds time still until `work` settles (a request to the simulator, which takes real time). */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight += 1
    const done = (): void => {
      this.inFlight -= 1
      this.schedule()
    }
    work.then(done, done)
    return work
  }

  private schedule(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.advance(), this.quietMs)
  }

  private advance(): void {
    if (this.sleepers.length === 0 || this.inFlight > 0) return
    this.sleepers.sort((a, b) => a.wakeAt - b.wakeAt)
    const next = this.sleepers.shift() as Sleeper
    this.time = Math.max(this.time, next.wakeAt)
    next.resolve()
    this.schedule()
  }
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' })
}

/** `client` with every request it sends held by `clock.track` (a client made by `within` too). */
export function trackedClient<T extends object>(client: T, clock: VirtualClock): T {
  return new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args)
        if (result instanceof Promise) return clock.track(result)
        // `within` gives another client of the same kind: its requests are held too.
        return result instanceof (target.constructor as new (...a: never[]) => object)
          ? trackedClient(result, clock)
          : result
      }
    }
  })
}
