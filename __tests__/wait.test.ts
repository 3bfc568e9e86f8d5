import { Fault } from '../src/retry.js'
import { RunState, toRunState } from '../src/testsigma/run-state.js'
import { lastReadAt, pollRetryPolicy, reRunGraceMs, waitForCompletion } from '../src/wait.js'
import { DEFAULT_RETRY_POLICY } from '../src/retry.js'
import { FakeClock } from './helpers/fake-clock.js'

const state = (status: string, result = 'QUEUED', passed = 0): RunState =>
  toRunState({ id: 337, status, result, totalCount: 3, passedCount: passed })

class Failing extends Error {
  constructor(readonly fault: Fault) {
    super(`HTTP ${fault.statusCode ?? fault.kind}`)
  }
}

/** A readRun that answers from a script; each entry is a state or a fault. */
function scripted(clock: FakeClock, script: Array<RunState | Fault>, readAt: number[] = []) {
  return async () => {
    readAt.push(clock.now())
    const next = script.length > 1 ? script.shift() : script[0]
    if (next !== undefined && 'kind' in next) throw new Failing(next)
    return next as RunState
  }
}

describe('waitForCompletion', () => {
  it('polls at the interval until STATUS_COMPLETED and reports each change once', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const changes: string[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(
        clock,
        [
          state('STATUS_QUEUED'),
          state('STATUS_QUEUED'),
          state('STATUS_IN_PROGRESS', 'QUEUED', 1),
          state('STATUS_IN_PROGRESS', 'QUEUED', 1),
          state('STATUS_COMPLETED', 'SUCCESS', 3)
        ],
        readAt
      ),
      intervalMs: 15_000,
      deadline: 3_600_000,
      clock,
      onChange: s => changes.push(`${s.status}/${s.counts.passed}`)
    })
    expect(outcome.kind).toBe('finished')
    expect(readAt).toEqual([15_000, 30_000, 45_000, 60_000, 75_000])
    expect(changes).toEqual(['STATUS_QUEUED/0', 'STATUS_IN_PROGRESS/1', 'STATUS_COMPLETED/3'])
  })

  it('keeps waiting through an unknown status', async () => {
    const clock = new FakeClock(0)
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [state('STATUS_RERUNNING'), state('STATUS_COMPLETED', 'FAILURE')]),
      intervalMs: 1000,
      deadline: 60_000,
      clock
    })
    expect(outcome).toMatchObject({ kind: 'finished', state: { result: 'FAILURE' } })
  })

  it('keeps a fixed cadence: time spent in a request is not added to the interval', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const slow = scripted(
      clock,
      [state('STATUS_QUEUED'), state('STATUS_QUEUED'), state('STATUS_COMPLETED', 'SUCCESS')],
      readAt
    )
    await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: async () => {
        const answer = await slow()
        clock.time += 4000 // each request takes 4 s
        return answer
      },
      intervalMs: 10_000,
      deadline: 3_600_000,
      clock
    })
    expect(readAt).toEqual([10_000, 20_000, 30_000])
  })

  it('does not sleep past the deadline, reads once more just before it, then times out with the last state', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [state('STATUS_IN_PROGRESS', 'QUEUED', 2)], readAt),
      intervalMs: 15_000,
      deadline: 40_000,
      clock
    })
    // The last read keeps a tenth of the wait (at most 5 s) to be answered: requests end at timeout-minutes.
    expect(readAt).toEqual([15_000, 30_000, 36_000])
    expect(outcome).toMatchObject({ kind: 'timed-out', last: { status: 'STATUS_IN_PROGRESS' } })
    expect(clock.now()).toBe(36_000)
  })

  it('reads the status before the deadline when the timeout is shorter than the poll interval', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [state('STATUS_IN_PROGRESS', 'QUEUED', 2)], readAt),
      intervalMs: 120_000,
      deadline: 60_000,
      clock
    })
    expect(readAt).toEqual([55_000])
    expect(outcome).toMatchObject({ kind: 'timed-out', last: { status: 'STATUS_IN_PROGRESS', counts: { passed: 2 } } })
  })

  it('finishes on that last read when the run completed meanwhile', async () => {
    const clock = new FakeClock(0)
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [state('STATUS_COMPLETED', 'SUCCESS', 3)]),
      intervalMs: 120_000,
      deadline: 60_000,
      clock
    })
    expect(outcome).toMatchObject({ kind: 'finished', state: { passed: true } })
    expect(clock.now()).toBe(55_000)
  })

  it.each([
    [0, 3 * 3_600_000, 3 * 3_600_000 - 5_000],
    [0, 40_000, 36_000],
    [200, 2_000, 1_820],
    [1_000, 1_000, 1_000]
  ])('keeps 5 s, or a tenth of a shorter wait, for the last read (from %i to %i: at %i)', (now, deadline, at) => {
    expect(lastReadAt(now, deadline)).toBe(at)
  })

  it('survives a burst of transient faults and warns once per streak', async () => {
    const clock = new FakeClock(0)
    const retries: number[] = []
    const recovered: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [
        { kind: 'http', statusCode: 502 },
        { kind: 'network', notSent: false },
        { kind: 'malformed' },
        state('STATUS_IN_PROGRESS'),
        { kind: 'timeout' },
        state('STATUS_COMPLETED', 'SUCCESS', 3)
      ]),
      intervalMs: 15_000,
      deadline: 3_600_000,
      clock,
      random: () => 1,
      onRetry: (_, attempt) => retries.push(attempt),
      onRecovered: faults => recovered.push(faults)
    })
    expect(outcome.kind).toBe('finished')
    expect(retries).toEqual([1, 2, 3, 1])
    expect(recovered).toEqual([3, 1])
  })

  it('fails on a refusal that retrying cannot fix', async () => {
    const clock = new FakeClock(0)
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [state('STATUS_QUEUED'), { kind: 'http', statusCode: 401 }]),
      intervalMs: 1000,
      deadline: 60_000,
      clock
    })
    expect(outcome).toMatchObject({ kind: 'failed', last: { status: 'STATUS_QUEUED' } })
    expect((outcome as { error: Error }).error.message).toBe('HTTP 401')
  })

  it('stops at once when the job is cancelled', async () => {
    const clock = new FakeClock(0)
    const controller = new AbortController()
    let reads = 0
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: async () => {
        reads += 1
        if (reads === 2) controller.abort()
        return state('STATUS_IN_PROGRESS')
      },
      intervalMs: 1000,
      deadline: 60_000,
      clock,
      signal: controller.signal
    })
    expect(outcome).toMatchObject({ kind: 'cancelled', last: { status: 'STATUS_IN_PROGRESS' } })
    expect(reads).toBe(2)
  })

  it('returns at once for a run that is already finished', async () => {
    const clock = new FakeClock(0)
    const outcome = await waitForCompletion({
      initial: state('STATUS_COMPLETED', 'SUCCESS'),
      readRun: () => Promise.reject(new Error('not called')),
      intervalMs: 1000,
      deadline: 60_000,
      clock
    })
    expect(outcome.kind).toBe('finished')
    expect(clock.sleeps).toEqual([])
  })

  it('retries a failed poll no later than the next poll would have been', async () => {
    const clock = new FakeClock(0)
    const faults: Fault[] = Array.from({ length: 6 }, () => ({ kind: 'http', statusCode: 502 }))
    await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [...faults, state('STATUS_COMPLETED', 'SUCCESS')]),
      intervalMs: 3000,
      deadline: 3_600_000,
      clock,
      random: () => 1
    })
    // The first sleep is the poll interval; every retry after it backs off, but never past the interval.
    const retries = clock.sleeps.slice(1)
    expect(retries).toHaveLength(6)
    expect(Math.max(...retries)).toBe(3000)
    expect(retries).toEqual([...retries].sort((a, b) => a - b))
  })
})

describe('waitForCompletion heartbeat', () => {
  it('says so when nothing changed for five minutes, then again every five minutes, not on every poll', async () => {
    const clock = new FakeClock(0)
    const said: Array<[number, number]> = []
    const queued = Array.from({ length: 24 }, () => state('STATUS_QUEUED'))
    await waitForCompletion({
      initial: state('STATUS_QUEUED'),
      readRun: scripted(clock, [...queued, state('STATUS_COMPLETED', 'SUCCESS')]),
      intervalMs: 30_000,
      deadline: 3_600_000,
      clock,
      onUnchanged: (_, unchangedForMs) => said.push([clock.now(), unchangedForMs])
    })
    expect(said).toEqual([
      [300_000, 300_000],
      [600_000, 600_000]
    ])
  })

  it('says so on every unchanged poll when polls are five minutes or more apart', async () => {
    const clock = new FakeClock(0)
    const said: number[] = []
    await waitForCompletion({
      initial: state('STATUS_QUEUED'),
      readRun: scripted(clock, [state('STATUS_QUEUED'), state('STATUS_QUEUED'), state('STATUS_COMPLETED', 'SUCCESS')]),
      intervalMs: 600_000,
      deadline: 3_600_000,
      clock,
      onUnchanged: () => said.push(clock.now())
    })
    expect(said).toEqual([600_000, 1_200_000])
  })

  it('starts counting again after a change', async () => {
    const clock = new FakeClock(0)
    const said: number[] = []
    const script = [
      ...Array.from({ length: 8 }, () => state('STATUS_QUEUED')),
      ...Array.from({ length: 12 }, () => state('STATUS_IN_PROGRESS')),
      state('STATUS_COMPLETED', 'SUCCESS')
    ]
    await waitForCompletion({
      initial: state('STATUS_QUEUED'),
      readRun: scripted(clock, script),
      intervalMs: 30_000,
      deadline: 3_600_000,
      clock,
      onUnchanged: () => said.push(clock.now())
    })
    // In progress from the 9th read (270 s): five minutes later is 570 s.
    expect(said).toEqual([570_000])
  })
})

describe('pollRetryPolicy', () => {
  it('caps the backoff at the interval, never below the base delay', () => {
    expect(pollRetryPolicy(DEFAULT_RETRY_POLICY, 15_000).maxDelayMs).toBe(15_000)
    expect(pollRetryPolicy(DEFAULT_RETRY_POLICY, 300_000).maxDelayMs).toBe(30_000)
    expect(pollRetryPolicy(DEFAULT_RETRY_POLICY, 100).maxDelayMs).toBe(1000)
    expect(pollRetryPolicy(DEFAULT_RETRY_POLICY, 15_000).giveUpAfterMs).toBe(5 * 60_000)
  })
})

/** The parent 337 completed FAILURE, its plan re-running failed tests; with `child`, its re-run 339 nested. */
const parentFailed = (child?: { status: string; result: string }): RunState =>
  toRunState({
    id: 337,
    status: 'STATUS_COMPLETED',
    result: 'FAILURE',
    totalCount: 3,
    passedCount: 2,
    failedCount: 1,
    abortedCount: 0,
    isReRunEnabled: true,
    childResult:
      child === undefined
        ? null
        : { id: 339, reRunParentId: 337, ...child, totalCount: 1, passedCount: child.result === 'SUCCESS' ? 1 : 0 }
  })

describe('waitForCompletion with an expected re-run', () => {
  it('keeps polling after the parent completed until the re-run appears two reads later, then follows it', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const awaited: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(
        clock,
        [
          parentFailed(),
          parentFailed(),
          parentFailed({ status: 'STATUS_IN_PROGRESS', result: 'QUEUED' }),
          parentFailed({ status: 'STATUS_COMPLETED', result: 'SUCCESS' })
        ],
        readAt
      ),
      intervalMs: 15_000,
      deadline: 3_600_000,
      clock,
      onReRunAwaited: (_, graceMs) => awaited.push(graceMs)
    })
    expect(outcome).toMatchObject({ kind: 'finished', state: { finalRunId: '339', passed: true, result: 'SUCCESS' } })
    expect(readAt).toEqual([15_000, 30_000, 45_000, 60_000])
    expect(awaited).toEqual([60_000])
  })

  it('keeps its cadence while a re-run that appeared in the grace period runs past the grace period', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const running = { status: 'STATUS_IN_PROGRESS', result: 'QUEUED' }
    await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(
        clock,
        [
          parentFailed(),
          ...Array.from({ length: 8 }, () => parentFailed(running)),
          parentFailed({ status: 'STATUS_COMPLETED', result: 'SUCCESS' })
        ],
        readAt
      ),
      intervalMs: 15_000,
      deadline: 3_600_000,
      clock
    })
    expect(readAt).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 15_000))
  })

  it('gives up after four polls when none appears: the parent’s result stands', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [parentFailed()], readAt),
      intervalMs: 15_000,
      deadline: 3_600_000,
      clock
    })
    expect(outcome).toMatchObject({
      kind: 'finished',
      state: { finalRunId: '337', finished: true, passed: false, result: 'FAILURE', reRunGivenUp: true }
    })
    // Completed seen at 15 s; the grace period (4 polls) ends at 75 s.
    expect(readAt).toEqual([15_000, 30_000, 45_000, 60_000, 75_000])
  })

  it('waits about two minutes at most, however short the interval, and at least one poll however long', async () => {
    expect(reRunGraceMs(15_000)).toBe(60_000)
    expect(reRunGraceMs(1000)).toBe(4000)
    expect(reRunGraceMs(60_000)).toBe(120_000)
    expect(reRunGraceMs(600_000)).toBe(120_000)

    const clock = new FakeClock(0)
    const readAt: number[] = []
    await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [parentFailed()], readAt),
      intervalMs: 600_000,
      deadline: 3_600_000,
      clock
    })
    // One poll at the end of the two minutes, not a whole ten-minute interval later.
    expect(readAt).toEqual([600_000, 720_000])
  })

  it('never waits past the deadline: the parent’s result stands at it, not a timeout', async () => {
    const clock = new FakeClock(0)
    const readAt: number[] = []
    const outcome = await waitForCompletion({
      initial: state('STATUS_CREATED'),
      readRun: scripted(clock, [parentFailed()], readAt),
      intervalMs: 15_000,
      deadline: 40_000,
      clock
    })
    expect(readAt).toEqual([15_000, 30_000, 36_000])
    expect(outcome).toMatchObject({ kind: 'finished', state: { result: 'FAILURE', reRunGivenUp: true } })
    expect(clock.now()).toBe(36_000)
  })
})
