import { describeCounts, describeProgress } from '../src/report/words.js'
import { runUrl } from '../src/testsigma/links.js'
import {
  aboutAnotherRun,
  MalformedRunError,
  stopTarget,
  toRunState,
  withoutExpectedReRun
} from '../src/testsigma/run-state.js'

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
      finalRunId: '337',
      reRuns: 0,
      reRunExpected: false,
      chain: [
        {
          runId: '337',
          status: 'STATUS_COMPLETED',
          result: 'FAILURE',
          message: 'Test plan execution failed',
          counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: 0, notExecuted: 0 },
          running: 0,
          reRunType: undefined,
          planId: '2048',
          startTime: 1_700_000_000_000,
          endTime: 1_700_000_098_500,
          durationMs: 98_500
        }
      ],
      planName: 'Checkout flow',
      planId: '2048',
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      message: 'Test plan execution failed',
      finished: true,
      passed: false,
      counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: 0, notExecuted: 0 },
      consolidated: { status: undefined, result: 'FAILURE' },
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
      abortedCount: null,
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
    expect(describeProgress(state)).toBe('failed: 5/5 done (3 passed, 1 failed, 1 aborted)')
    expect(describeProgress(state, 270_000)).toBe('[04:30] failed: 5/5 done (3 passed, 1 failed, 1 aborted)')
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

/** A cloud run object in the 2023 shape (docs §3.4 sample B/C): no abortedCount, consolidated fields. */
function cloudRun(id: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    status: 'STATUS_COMPLETED',
    result: 'FAILURE',
    totalCount: 5,
    passedCount: 3,
    failedCount: 1,
    stoppedCount: 0,
    notExecutedCount: 0,
    queuedCount: 0,
    runningCount: 0,
    childResult: null,
    reRunParentId: null,
    ...fields
  }
}

/** The parent (337, FAILURE 3 of 5) with `child` nested, the plan re-running only failed tests. */
function chainOf(child: Record<string, unknown> | null, top: Record<string, unknown> = {}): Record<string, unknown> {
  return cloudRun(337, {
    execution: { id: 2048, name: 'Checkout flow', reRunType: 'ONLY_FAILED_TESTS' },
    isReRunEnabled: true,
    childResult: child,
    ...top
  })
}

const passedReRun = cloudRun(339, {
  reRunParentId: 337,
  result: 'SUCCESS',
  totalCount: 2,
  passedCount: 2,
  failedCount: 0
})

describe('re-run chains', () => {
  it('judges a chain by its latest run: a failed run that passed on re-run 1 passed', () => {
    const state = toRunState(
      chainOf(passedReRun, { consolidatedStatus: 'STATUS_COMPLETED', consolidatedResult: 'SUCCESS' })
    )
    expect(state).toMatchObject({
      runId: '337',
      finalRunId: '339',
      reRuns: 1,
      finished: true,
      passed: true,
      result: 'SUCCESS',
      status: 'STATUS_COMPLETED',
      // ONLY_FAILED_TESTS: passed = 3 of the parent + 2 of the re-run, of the parent's 5 (O-uimodel).
      counts: { total: 5, passed: 5, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 },
      abortedDerived: true
    })
    expect(state.resultConflict).toBeUndefined()
  })

  it('takes the re-run’s counts whole when it re-ran all tests', () => {
    const child = cloudRun(339, {
      reRunParentId: 337,
      reRunType: 'ALL_TESTS',
      totalCount: 5,
      passedCount: 4,
      failedCount: 1
    })
    expect(toRunState(chainOf(child)).counts).toEqual({
      total: 5,
      passed: 4,
      failed: 1,
      aborted: 0,
      stopped: 0,
      notExecuted: 0
    })
  })

  it('reads the open-source server’s snake_case chain (docs §3.4 sample D): the new re-run is not finished', () => {
    const state = toRunState({
      id: 41,
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      build_no: '1.4.2',
      total_count: 4,
      failed_count: 1,
      passed_count: 3,
      aborted_count: 0,
      stopped_count: 0,
      not_executed_count: 0,
      queued_count: 0,
      re_run_parent_id: null,
      re_run_type: null,
      child_result: {
        id: 42,
        status: 'STATUS_CREATED',
        result: 'QUEUED',
        total_count: 1,
        failed_count: 0,
        passed_count: 0,
        aborted_count: 0,
        stopped_count: 0,
        not_executed_count: 0,
        queued_count: 1,
        child_result: null,
        re_run_parent_id: 41,
        re_run_type: 'ONLY_FAILED_TESTS'
      }
    })
    expect(state).toMatchObject({
      runId: '41',
      finalRunId: '42',
      reRuns: 1,
      finished: false,
      passed: false,
      status: 'STATUS_CREATED',
      result: 'QUEUED',
      buildNo: '1.4.2',
      counts: { total: 4, passed: 3, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
    })
    expect(stopTarget(state)).toBe('42')
  })

  it('walks a second re-run and judges by it', () => {
    const second = cloudRun(341, {
      reRunParentId: 339,
      result: 'FAILURE',
      totalCount: 1,
      passedCount: 0,
      failedCount: 1
    })
    const first = cloudRun(339, {
      reRunParentId: 337,
      totalCount: 2,
      passedCount: 1,
      failedCount: 1,
      childResult: second
    })
    const state = toRunState(chainOf(first))
    expect(state).toMatchObject({ finalRunId: '341', reRuns: 2, finished: true, passed: false, result: 'FAILURE' })
    expect(state.chain.map(run => run.runId)).toEqual(['337', '339', '341'])
    // As Testsigma's UI adds them: the first run's 3 passed + the deepest's 0; the 1 that passed in 339 is not read.
    expect(state.counts).toEqual({ total: 5, passed: 3, failed: 1, aborted: 0, stopped: 0, notExecuted: 0 })
    expect(describeProgress(state)).toBe('re-run 2 (run 341) failed: 4/5 done (3 passed, 1 failed)')
  })

  it('adds the first run’s passes and the deepest’s only: A 5 of 10 → B 2 of 5 → C 3 of 3 reads 8 of 10', () => {
    // The arithmetic of the notes on Testsigma's UI (O-uimodel `consolidateCount`, `getLastChildResult`, §4.2).
    const c = cloudRun(343, { reRunParentId: 341, result: 'SUCCESS', totalCount: 3, passedCount: 3, failedCount: 0 })
    const b = cloudRun(341, { reRunParentId: 337, totalCount: 5, passedCount: 2, failedCount: 3, childResult: c })
    const state = toRunState(chainOf(b, { totalCount: 10, passedCount: 5, failedCount: 5 }))
    expect(state).toMatchObject({ finalRunId: '343', reRuns: 2, passed: true, result: 'SUCCESS' })
    expect(state.counts).toEqual({ total: 10, passed: 8, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 })
  })

  it.each([
    ['ALL_TESTS', 4],
    ['ALL_ITERATIONS', 2],
    ['ONLY_FAILED_ITERATIONS', 2],
    ['ONLY_FAILED_ITERATIONS_IN_FAILED_TESTS', 2],
    ['USER_PICKED', 2]
  ])('takes the deepest run’s passes alone after a %s re-run, and keeps the first run’s total', (type, passed) => {
    // The UI compares with exactly ONLY_FAILED_TESTS; the server's export counts the iteration types as "only
    // failed" (ReRunType.runFailedTestCases()), the UI does not, and the action follows the UI.
    const child = cloudRun(339, {
      reRunParentId: 337,
      reRunType: type,
      totalCount: type === 'ALL_TESTS' ? 5 : 2,
      passedCount: passed,
      failedCount: 1
    })
    expect(toRunState(chainOf(child)).counts).toMatchObject({ total: 5, passed, failed: 1 })
  })

  it('reads how the deepest run re-ran from the plan when the run does not say (2023 cloud answers)', () => {
    const child = cloudRun(339, { reRunParentId: 337, totalCount: 2, passedCount: 1, failedCount: 1 })
    expect(toRunState(chainOf(child)).counts).toMatchObject({ total: 5, passed: 4, failed: 1 })
    const allTests = chainOf(child, { execution: { id: 2048, reRunType: 'ALL_TESTS' } })
    expect(toRunState(allTests).counts).toMatchObject({ total: 5, passed: 1, failed: 1 })
  })

  it('raises the total to the counts it holds when passed prerequisites re-ran and count twice', () => {
    // A failed-only re-run also re-runs passed prerequisite test cases (O-aes): 3 + 3 passed of the first 5.
    const child = cloudRun(339, { reRunParentId: 337, totalCount: 3, passedCount: 3, failedCount: 0 })
    expect(toRunState(chainOf(child)).counts).toMatchObject({ total: 6, passed: 6, failed: 0 })
  })

  it('refuses a re-run without an id rather than judge without it', () => {
    expect(() => toRunState(chainOf({ status: 'STATUS_CREATED' }))).toThrow('has no numeric "id" (re-run 1)')
  })
})

describe('when a re-run is still expected', () => {
  it.each([
    ['isReRunEnabled: true', { isReRunEnabled: true, execution: null }],
    ["the plan's execution.reRunType", { isReRunEnabled: false, execution: { reRunType: 'ALL_TESTS' } }],
    [
      "the run's own reRunType (2021 answers)",
      { isReRunEnabled: undefined, execution: null, reRunType: 'ONLY_FAILED_TESTS' }
    ]
  ])('after a completed failure whose answer says re-runs are on (%s)', (_, top) => {
    const state = toRunState(chainOf(null, top))
    expect(state).toMatchObject({ reRunExpected: true, finished: false, passed: false, status: 'STATUS_COMPLETED' })
  })

  it.each([
    ['the answer says nothing of re-runs (the open-source server)', { isReRunEnabled: undefined, execution: null }],
    ['the plan does not re-run', { isReRunEnabled: false, execution: { reRunType: 'NONE' } }],
    ['the run passed', { result: 'SUCCESS' }],
    ['the run was stopped', { result: 'STOPPED' }],
    ['the run is itself a re-run', { reRunParentId: 335 }],
    ['the run has not completed', { status: 'STATUS_IN_PROGRESS' }]
  ])('never when %s', (_, top) => {
    expect(toRunState(chainOf(null, top)).reRunExpected).toBe(false)
  })

  it('never once a re-run is there', () => {
    expect(toRunState(chainOf(passedReRun)).reRunExpected).toBe(false)
  })

  it('stands without it once none came: the result stays, aborted derived, and it is said', () => {
    const waiting = toRunState(chainOf(null))
    const given = withoutExpectedReRun(waiting)
    expect(given).toMatchObject({
      finished: true,
      passed: false,
      result: 'FAILURE',
      reRunExpected: false,
      reRunGivenUp: true,
      counts: { aborted: 1 },
      abortedDerived: true
    })
    expect(withoutExpectedReRun(given)).toBe(given)
  })
})

describe('under every plausible cloud timeline of consolidatedStatus (§4.3, §10)', () => {
  const running = cloudRun(339, {
    reRunParentId: 337,
    status: 'STATUS_IN_PROGRESS',
    result: 'QUEUED',
    totalCount: 2,
    passedCount: 0,
    failedCount: 0
  })

  it('is not finished while the re-run runs, even when consolidatedStatus already says completed', () => {
    const state = toRunState(
      chainOf(running, { consolidatedStatus: 'STATUS_COMPLETED', consolidatedResult: 'FAILURE' })
    )
    expect(state).toMatchObject({ finished: false, passed: false, status: 'STATUS_IN_PROGRESS' })
  })

  it('is not finished while consolidatedStatus is not completed, even when every run is', () => {
    const state = toRunState(
      chainOf(passedReRun, { consolidatedStatus: 'STATUS_IN_PROGRESS', consolidatedResult: 'QUEUED' })
    )
    expect(state).toMatchObject({ finished: false, passed: false, status: 'STATUS_IN_PROGRESS' })
  })

  it('is not finished while consolidatedStatus is pending after the parent completed, with re-runs said to be off', () => {
    const state = toRunState(
      chainOf(null, { isReRunEnabled: false, execution: null, consolidatedStatus: 'STATUS_IN_PROGRESS' })
    )
    expect(state).toMatchObject({ finished: false, reRunExpected: false })
  })

  it('never passes when consolidatedResult and the latest run disagree, and says both', () => {
    const stale = toRunState(
      chainOf(passedReRun, { consolidatedStatus: 'STATUS_COMPLETED', consolidatedResult: 'FAILURE' })
    )
    expect(stale).toMatchObject({
      finished: true,
      passed: false,
      result: 'FAILURE',
      resultConflict: { consolidated: 'FAILURE', finalRun: 'SUCCESS' }
    })
    const failedChild = cloudRun(339, { reRunParentId: 337, totalCount: 2, passedCount: 1, failedCount: 1 })
    const optimistic = toRunState(
      chainOf(failedChild, { consolidatedStatus: 'STATUS_COMPLETED', consolidatedResult: 'SUCCESS' })
    )
    expect(optimistic).toMatchObject({
      passed: false,
      result: 'FAILURE',
      resultConflict: { consolidated: 'SUCCESS', finalRun: 'FAILURE' }
    })
  })

  it('passes with no consolidated fields at all (2021 answers, the open-source server)', () => {
    expect(toRunState(chainOf(passedReRun))).toMatchObject({ finished: true, passed: true, result: 'SUCCESS' })
  })
})

describe('an aborted count the answer does not give (2023 cloud answers)', () => {
  it('is unknown while the run is not finished, not 0', () => {
    const state = toRunState(cloudRun(337, { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', runningCount: 1 }))
    expect(state.counts.aborted).toBeUndefined()
    expect(state.abortedDerived).toBeUndefined()
    expect(describeCounts(state.counts)).toBe('3 passed, 1 failed of 5')
  })

  it('is derived once finished: the total less the other counts, running and queued included, never negative', () => {
    expect(toRunState(cloudRun(337)).counts.aborted).toBe(1)
    // Sample C: a stopped run whose counts lag (runningCount 1): nothing aborted.
    expect(
      toRunState(cloudRun(1165, { result: 'STOPPED', totalCount: 1, passedCount: 0, failedCount: 0, runningCount: 1 }))
        .counts.aborted
    ).toBe(0)
    expect(toRunState(cloudRun(337, { totalCount: 2 })).counts).toMatchObject({ total: 4, aborted: 0 })
  })
})

describe('stopTarget', () => {
  it('is the latest run that is not completed, and nothing once every run of the chain is', () => {
    const running = cloudRun(339, { reRunParentId: 337, status: 'STATUS_IN_PROGRESS', result: 'QUEUED' })
    expect(stopTarget(toRunState(chainOf(running)))).toBe('339')
    expect(stopTarget(toRunState(cloudRun(337, { status: 'STATUS_QUEUED' })))).toBe('337')
    expect(stopTarget(toRunState(chainOf(passedReRun)))).toBeUndefined()
  })
})

describe('a re-run chain must be a chain (issue 17)', () => {
  const running = (id: number, fields: Record<string, unknown> = {}): Record<string, unknown> =>
    cloudRun(id, { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', ...fields })

  it('refuses a run nested twice, A → B → A, rather than count re-runs round the cycle', () => {
    const cycle: Record<string, unknown> = chainOf(null)
    cycle.childResult = cloudRun(339, { reRunParentId: 337, childResult: cycle })
    expect(() => toRunState(cycle)).toThrow('nests run 337 twice in its re-run chain (337 → 339 → 337), a cycle')
    // The same object twice is a cycle too, however deep.
    const self = cloudRun(339, { reRunParentId: 339 })
    expect(() => toRunState(chainOf(cloudRun(339, { reRunParentId: 337, childResult: self })))).toThrow(
      'nests run 339 twice'
    )
  })

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ['names no parent (null)', { reRunParentId: null }, {}, 'it names no parent (no reRunParentId)'],
    ['names no parent (absent)', { reRunParentId: undefined }, {}, 'it names no parent (no reRunParentId)'],
    ['names another parent', { reRunParentId: 900 }, {}, 'it names run 900 as its parent'],
    [
      'is of another test plan',
      { reRunParentId: 337, executionId: 9 },
      { executionId: 2048 },
      'it is a run of test plan 9, not 2048'
    ]
  ])('does not follow a nested run that %s: it never decides the verdict, nor is it stopped', (_, child, top, why) => {
    const passed = toRunState(chainOf(cloudRun(339, { ...child, result: 'SUCCESS' }), top))
    expect(passed).toMatchObject({
      finalRunId: '337',
      reRuns: 0,
      notFollowed: { runId: '339', why },
      // Something came: no other re-run is awaited, and the parent's own result stands.
      reRunExpected: false,
      finished: true,
      passed: false,
      result: 'FAILURE'
    })
    expect(passed.chain.map(run => run.runId)).toEqual(['337'])
    // Running: the parent has completed, so there is nothing of this run's to stop.
    expect(stopTarget(toRunState(chainOf(running(339, child), top)))).toBeUndefined()
  })

  it('reads the open-source server’s plan id (test_plan_id) to tell a child of another plan', () => {
    const oss = {
      id: 41,
      test_plan_id: 7,
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      child_result: { id: 42, test_plan_id: 8, re_run_parent_id: 41, status: 'STATUS_CREATED', result: 'QUEUED' }
    }
    expect(toRunState(oss)).toMatchObject({ planId: '7', finalRunId: '41', notFollowed: { runId: '42' } })
    expect(toRunState({ ...oss, child_result: { ...oss.child_result, test_plan_id: 7 } })).toMatchObject({
      planId: '7',
      finalRunId: '42'
    })
  })

  it('is not a finished pass while a parent is still in progress, whatever its re-run says', () => {
    const state = toRunState(
      cloudRun(337, { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', childResult: passedReRun })
    )
    expect(state).toMatchObject({ finalRunId: '339', finished: false, passed: false, status: 'STATUS_IN_PROGRESS' })
    expect(stopTarget(state)).toBe('337')
  })

  it('refuses any id of 2^53 or more, which JavaScript would read as a neighbour: the child’s, its parent’s, the plan’s', () => {
    const big = JSON.parse('{"id":9007199254740993,"reRunParentId":337,"status":"STATUS_IN_PROGRESS"}') as Record<
      string,
      unknown
    >
    expect(() => toRunState(chainOf(big))).toThrow(
      'has a "id" (re-run 1) of 2^53 or more, which JavaScript cannot read exactly (read as 9007199254740992)'
    )
    const bigParent = JSON.parse('{"id":339,"reRunParentId":9007199254740993,"status":"STATUS_CREATED"}') as Record<
      string,
      unknown
    >
    expect(() => toRunState(chainOf(bigParent))).toThrow('has a "reRunParentId" (re-run 1) of 2^53 or more')
    expect(() => toRunState(cloudRun(337, { executionId: 2 ** 60 }))).toThrow('has a "executionId" of 2^53 or more')
    // Digits in a string are read exactly, however long.
    expect(toRunState(chainOf(running(339, { id: '9007199254740993', reRunParentId: '337' }))).finalRunId).toBe(
      '9007199254740993'
    )
    expect(() => toRunState(cloudRun(337, { reRunParentId: 'abc' }))).toThrow('has a "reRunParentId" that is not an id')
  })
})

describe('aboutAnotherRun', () => {
  it('tells an answer about another run or another plan from one about the run asked for', () => {
    const state = toRunState(cloudRun(555, { executionId: 2048 }))
    expect(aboutAnotherRun(state, { runId: '101' })).toBe('run 555')
    expect(aboutAnotherRun(state, { runId: '555', planId: '9' })).toBe('a run of test plan 2048')
    expect(aboutAnotherRun(state, { runId: '555', planId: '2048' })).toBeUndefined()
    // An answer that does not say its plan is judged by its id alone.
    expect(aboutAnotherRun(toRunState(cloudRun(555)), { runId: '555', planId: '9' })).toBeUndefined()
  })
})
