import { describeCounts, describeProgress, MalformedRunError, runUrl, toRunState } from '../src/testsigma/run-state.js'

const completedFailure = {
  id: 337,
  executionId: 2048,
  execution: { id: 2048, name: 'Checkout flow' },
  status: 'STATUS_COMPLETED',
  result: 'FAILURE',
  message: 'Test plan execution failed',
  startTime: 1_700_000_000_000,
  endTime: 1_700_000_098_500,
  duration: 98_500,
  buildNo: '1.4.2',
  totalCount: 5,
  passedCount: 3,
  failedCount: 1,
  abortedCount: 1,
  stoppedCount: null,
  notExecutedCount: null,
  consolidatedResult: 'FAILURE'
}

describe('toRunState', () => {
  it('maps a finished failed run, nulls counting as 0 and unknown fields ignored', () => {
    expect(toRunState(completedFailure)).toEqual({
      runId: '337',
      planName: 'Checkout flow',
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      message: 'Test plan execution failed',
      finished: true,
      passed: false,
      counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: 0, notExecuted: 0 },
      durationMs: 98_500,
      buildNo: '1.4.2'
    })
  })

  it('is finished only on STATUS_COMPLETED and passed only with SUCCESS', () => {
    const state = (status: string, result: string) => toRunState({ id: 1, status, result })
    expect(state('STATUS_COMPLETED', 'SUCCESS')).toMatchObject({ finished: true, passed: true })
    for (const result of ['FAILURE', 'ABORTED', 'NOT_EXECUTED', 'STOPPED', 'QUEUED', 'PASSED', '']) {
      expect(state('STATUS_COMPLETED', result)).toMatchObject({ finished: true, passed: false })
    }
    for (const status of [
      'STATUS_CREATED',
      'STATUS_QUEUED',
      'STATUS_PRE_FLIGHT',
      'STATUS_IN_PROGRESS',
      'STATUS_NEW_THING'
    ]) {
      // A SUCCESS result before completion is not a verdict yet.
      expect(state(status, 'SUCCESS')).toMatchObject({ finished: false, passed: false })
    }
  })

  it('reads the trigger answer: execution null, counts null, duration null', () => {
    const state = toRunState({
      id: '338',
      execution: null,
      status: 'STATUS_CREATED',
      result: 'QUEUED',
      totalCount: null,
      duration: null,
      endTime: null,
      startTime: 5
    })
    expect(state).toMatchObject({ runId: '338', planName: undefined, durationMs: undefined, finished: false })
    expect(state.counts).toEqual({ total: 0, passed: 0, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 })
  })

  it('derives the duration from start and end time when duration is null', () => {
    expect(
      toRunState({ id: 1, status: 'STATUS_COMPLETED', duration: null, startTime: 1000, endTime: 4500 }).durationMs
    ).toBe(3500)
  })

  it.each([
    ['null', null, /is not a JSON object/],
    ['an array', [], /is not a JSON object/],
    ['a string', 'Bad Gateway', /is not a JSON object/],
    ['no id', { status: 'STATUS_QUEUED' }, /has no numeric "id"/],
    ['no status', { id: 1 }, /has no "status"/]
  ])('refuses %s', (_, body, message) => {
    expect(() => toRunState(body)).toThrow(MalformedRunError)
    expect(() => toRunState(body)).toThrow(message)
  })

  it('ignores count values that are not counts', () => {
    expect(
      toRunState({ id: 1, status: 'STATUS_QUEUED', totalCount: 'five', passedCount: -1, failedCount: Number.NaN })
        .counts
    ).toMatchObject({
      total: 0,
      passed: 0,
      failed: 0
    })
  })
})

describe('describing a run', () => {
  const state = toRunState(completedFailure)

  it('says progress on one line', () => {
    expect(describeProgress(state)).toBe('STATUS_COMPLETED (FAILURE): 5/5 done, 3 passed, 1 failed')
  })

  it('names passed always and other outcomes only when non-zero', () => {
    expect(describeCounts(state.counts)).toBe('3 passed, 1 failed, 1 aborted of 5')
    expect(describeCounts({ total: 4, passed: 4, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 })).toBe(
      '4 passed of 4'
    )
    expect(describeCounts({ total: 4, passed: 0, failed: 0, aborted: 0, stopped: 3, notExecuted: 1 })).toBe(
      '0 passed, 3 stopped, 1 not executed of 4'
    )
  })

  it('links the run', () => {
    expect(runUrl('https://app.testsigma.com', '337')).toBe('https://app.testsigma.com/ui/td/runs/337')
  })
})
