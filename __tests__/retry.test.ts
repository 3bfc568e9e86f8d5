import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  Fault,
  isRetryable,
  parseRetryAfter,
  RequestKind,
  withRetry
} from '../src/retry.js'
import { FakeClock } from './helpers/fake-clock.js'

const http = (statusCode: number, retryAfterMs?: number): Fault => ({ kind: 'http', statusCode, retryAfterMs })

describe('isRetryable (a trigger only when it never left; an upload also after 429 and 503)', () => {
  it.each<[string, Fault, Record<RequestKind, boolean>]>([
    ['HTTP 500', http(500), { trigger: false, upload: false, read: true, stop: true }],
    ['HTTP 502', http(502), { trigger: false, upload: false, read: true, stop: true }],
    ['HTTP 503', http(503), { trigger: false, upload: true, read: true, stop: true }],
    ['HTTP 504', http(504), { trigger: false, upload: false, read: true, stop: true }],
    ['HTTP 429', http(429), { trigger: false, upload: true, read: true, stop: true }],
    ['HTTP 408', http(408), { trigger: false, upload: false, read: true, stop: true }],
    ['HTTP 400', http(400), { trigger: false, upload: false, read: false, stop: false }],
    ['HTTP 401', http(401), { trigger: false, upload: false, read: false, stop: false }],
    ['HTTP 403', http(403), { trigger: false, upload: false, read: false, stop: false }],
    ['HTTP 404', http(404), { trigger: false, upload: false, read: false, stop: false }],
    ['200 with a plain-text body (JUnit)', http(200), { trigger: false, upload: false, read: false, stop: false }],
    ['connection refused', { kind: 'network', notSent: true }, { trigger: true, upload: true, read: true, stop: true }],
    [
      'connection reset after sending',
      { kind: 'network', notSent: false },
      { trigger: false, upload: false, read: true, stop: true }
    ],
    ['request timeout', { kind: 'timeout' }, { trigger: false, upload: false, read: true, stop: true }],
    [
      '200 with a body that is not a run',
      { kind: 'malformed' },
      { trigger: false, upload: false, read: true, stop: true }
    ]
  ])('%s', (_, fault, expected) => {
    for (const request of ['trigger', 'upload', 'read', 'stop'] as const) {
      expect([request, isRetryable(fault, request)]).toEqual([request, expected[request]])
    }
  })
})

describe('backoffDelayMs', () => {
  const policy = DEFAULT_RETRY_POLICY

  it('doubles from 1 s with jitter between half and the whole step, capped at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(attempt => backoffDelayMs(attempt, policy, 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000
    ])
    expect([1, 2, 3, 4, 5, 6, 7].map(attempt => backoffDelayMs(attempt, policy, 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000
    ])
    expect(backoffDelayMs(50, policy, 0.5)).toBe(22500)
  })

  it('waits as long as Retry-After asks when that is longer, within the cap', () => {
    expect(backoffDelayMs(1, policy, 0.5, 2000)).toBe(2000)
    expect(backoffDelayMs(1, policy, 0.5, 120_000)).toBe(30_000)
    expect(backoffDelayMs(5, policy, 1, 100)).toBe(16000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T10:00:00Z')
  it('reads delay-seconds', () => expect(parseRetryAfter('2', now)).toBe(2000))
  it('reads an HTTP date', () => expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:05 GMT', now)).toBe(5000))
  it('reads a date in the past as now', () => expect(parseRetryAfter('Sun, 29 Nov 2026 09:00:00 GMT', now)).toBe(0))
  it.each([undefined, '', 'soon', '-3', '1.5'])('ignores %p', value =>
    expect(parseRetryAfter(value, now)).toBeUndefined()
  )
})

class Failing extends Error {
  constructor(readonly fault: Fault) {
    super(`fault ${fault.kind} ${fault.statusCode ?? ''}`)
  }
}

describe('withRetry', () => {
  it('retries transient faults with growing delays and reports the streak once recovered', async () => {
    const clock = new FakeClock()
    const faults = [http(502), { kind: 'network', notSent: false } as Fault, { kind: 'malformed' } as Fault]
    const retries: number[] = []
    let recovered = 0
    const value = await withRetry(
      async () => {
        const fault = faults.shift()
        if (fault) throw new Failing(fault)
        return 'run'
      },
      {
        request: 'read',
        clock,
        random: () => 1,
        onRetry: (_, attempt) => retries.push(attempt),
        onRecovered: n => (recovered = n)
      }
    )
    expect(value).toBe('run')
    expect(retries).toEqual([1, 2, 3])
    expect(clock.sleeps).toEqual([1, 2, 3].map(attempt => backoffDelayMs(attempt, DEFAULT_RETRY_POLICY, 1)))
    expect(recovered).toBe(3)
  })

  it('gives up when a streak of faults lasts longer than the policy allows, not after a fixed count', async () => {
    const clock = new FakeClock()
    const start = clock.now()
    let attempts = 0
    await expect(
      withRetry(
        async () => {
          attempts += 1
          throw new Failing(http(502))
        },
        { request: 'read', clock, random: () => 1 }
      )
    ).rejects.toThrow('fault http 502')
    // 1+2+4+8+16 s, then 30 s steps up to the 5-minute limit.
    expect(clock.now() - start).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.giveUpAfterMs)
    expect(clock.now() - start).toBeGreaterThan(DEFAULT_RETRY_POLICY.giveUpAfterMs - 30_000)
    expect(attempts).toBe(14)
  })

  it('tells each retry how long the streak may still go on: the policy limit or the deadline, whichever is first', async () => {
    const clock = new FakeClock(0)
    const giveUpIn: number[] = []
    const fail = (): Promise<string> => Promise.reject(new Failing(http(502)))
    await expect(
      withRetry(fail, {
        request: 'read',
        clock,
        random: () => 1,
        onRetry: (_error, _attempt, _delayMs, giveUpInMs) => giveUpIn.push(giveUpInMs + clock.now())
      })
    ).rejects.toThrow()
    // Every retry names the same end: the streak's start plus the policy's limit.
    expect(new Set(giveUpIn)).toEqual(new Set([DEFAULT_RETRY_POLICY.giveUpAfterMs]))

    const closer: number[] = []
    const start = clock.now()
    await expect(
      withRetry(fail, {
        request: 'read',
        clock,
        random: () => 1,
        deadline: start + 10_000,
        onRetry: (_error, _attempt, _delayMs, giveUpInMs) => closer.push(giveUpInMs + clock.now())
      })
    ).rejects.toThrow()
    expect(new Set(closer)).toEqual(new Set([start + 10_000]))
  })

  it('honours Retry-After on a 429', async () => {
    const clock = new FakeClock()
    let attempts = 0
    await withRetry(
      async () => {
        attempts += 1
        if (attempts === 1) throw new Failing(http(429, 7000))
        return 'ok'
      },
      { request: 'read', clock, random: () => 0 }
    )
    expect(clock.sleeps).toEqual([7000])
  })

  it('sends a trigger once when the fault means a run may have started', async () => {
    for (const fault of [
      http(500),
      http(502),
      // A proxy answers so after a reset, when the trigger may have arrived (issue 17).
      http(503),
      http(429),
      { kind: 'timeout' } as Fault,
      { kind: 'network', notSent: false } as Fault
    ]) {
      let attempts = 0
      await expect(
        withRetry(
          async () => {
            attempts += 1
            throw new Failing(fault)
          },
          { request: 'trigger', clock: new FakeClock() }
        )
      ).rejects.toBeInstanceOf(Failing)
      expect(attempts).toBe(1)
    }
  })

  it('does not retry past the deadline and never sleeps beyond it', async () => {
    const clock = new FakeClock()
    const deadline = clock.now() + 2500
    let attempts = 0
    await expect(
      withRetry(
        async () => {
          attempts += 1
          throw new Failing(http(503))
        },
        { request: 'read', clock, random: () => 1, deadline }
      )
    ).rejects.toBeInstanceOf(Failing)
    expect(clock.now()).toBe(deadline)
    expect(clock.sleeps).toEqual([1000, 1500])
    expect(attempts).toBe(3)
  })

  it('passes other errors straight through', async () => {
    let attempts = 0
    await expect(
      withRetry(
        async () => {
          attempts += 1
          throw new TypeError('a bug')
        },
        { request: 'read', clock: new FakeClock() }
      )
    ).rejects.toThrow('a bug')
    expect(attempts).toBe(1)
  })
})
