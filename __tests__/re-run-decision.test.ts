import type { DialectChoice } from '../src/testsigma/dialect.js'
import { decideReRun, ReRunContext, whatToCheck } from '../src/re-run-decision.js'
import { toRunState } from '../src/testsigma/run-state.js'
import { withFirstRunCounts } from '../src/testsigma/re-run-counts.js'

const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
const OTHER = 'f0e1d2c3b4a5968778695a4b3c2d1e0f98765432'
const previous = { runId: '337', attempt: 1, sha: SHA, source: 'the pull-request comment' }
const step: { planId: string; uploadsApp: boolean; apiDialect?: DialectChoice } = {
  planId: '4096',
  uploadsApp: false,
  apiDialect: 'auto'
}

/** A cloud run object: completed FAILURE, 16 of 20 not passed, unless changed. */
function run(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 337,
    executionId: 4096,
    status: 'STATUS_COMPLETED',
    result: 'FAILURE',
    totalCount: 20,
    passedCount: 4,
    failedCount: 16,
    stoppedCount: 0,
    notExecutedCount: 0,
    childResult: null,
    reRunParentId: null,
    ...fields
  }
}

describe('whatToCheck', () => {
  const context = (overrides: Partial<ReRunContext> = {}): ReRunContext => ({
    attempt: 2,
    sha: SHA,
    previous,
    ...overrides
  })

  it('checks the previous run of an earlier attempt on the same commit', () => {
    expect(whatToCheck(context(), step)).toEqual({ kind: 'check', previous })
  })

  it.each<[string, Partial<ReRunContext>, Partial<typeof step> | undefined, string]>([
    ['a first attempt', { attempt: 1 }, undefined, 'this is the first attempt of the workflow run'],
    [
      'an app build uploaded again',
      {},
      { uploadsApp: true },
      'this step uploads its app build (app-file) again in this attempt, a new version: re-running only the failed tests would mix two builds in one result'
    ],
    [
      'the open-source server',
      {},
      { apiDialect: 'open-source' },
      "the open-source server's API cannot re-run failed tests (its trigger ignores the re-run fields and would start the whole plan)"
    ],
    ['nothing found', { previous: undefined }, undefined, "no earlier attempt's run of test plan 4096 was found"],
    ['nothing looked up', { previous: undefined, unavailable: 'on a push event …' }, undefined, 'on a push event …'],
    [
      'metadata of this attempt',
      { previous: { ...previous, attempt: 2 } },
      undefined,
      'the pull-request comment names run 337 of attempt 2, which is not an earlier attempt than this one'
    ],
    [
      'another commit',
      { sha: OTHER },
      undefined,
      'run 337 of attempt 1 tested commit 0a1b2c3, and this attempt tests commit f0e1d2c'
    ],
    [
      'no commit',
      { sha: undefined },
      undefined,
      'run 337 of attempt 1 tested commit 0a1b2c3, and this attempt tests an unknown commit'
    ]
  ])('runs in full for %s', (_what, overrides, stepOverrides, why) => {
    expect(whatToCheck(context(overrides), { ...step, ...stepOverrides })).toEqual({ kind: 'full', why })
  })
})

describe('decideReRun', () => {
  it('re-runs the failed tests of a completed run that did not pass, counting what did not pass', () => {
    expect(decideReRun(previous, toRunState(run()), '4096')).toEqual({ kind: 're-run', runId: '337', notPassed: 16 })
    // ABORTED and NOT_EXECUTED did not pass either.
    const aborted = toRunState(run({ result: 'ABORTED', failedCount: 0 }))
    expect(decideReRun(previous, aborted, '4096')).toMatchObject({ kind: 're-run', notPassed: 16 })
  })

  it("re-runs the chain's deepest run, the one that decided the previous attempt", () => {
    const child = run({ id: 338, reRunParentId: 337, totalCount: 16, passedCount: 13, failedCount: 3 })
    expect(decideReRun(previous, toRunState(run({ childResult: child })), '4096')).toEqual({
      kind: 're-run',
      runId: '338',
      notPassed: 3
    })
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['a pass', { result: 'SUCCESS', passedCount: 20, failedCount: 0 }, 'run 337 (attempt 1) passed'],
    ['a stop', { result: 'STOPPED' }, 'run 337 (attempt 1) was stopped before its tests finished'],
    [
      'a run still going',
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED' },
      'run 337 (attempt 1) never finished (run 337 is STATUS_IN_PROGRESS)'
    ],
    ['another plan', { executionId: 2048 }, 'run 337 (attempt 1) is a run of test plan 2048, not 4096'],
    [
      'no plan in the answer',
      { executionId: undefined },
      "Testsigma's answer about run 337 (attempt 1) does not say its test plan"
    ],
    [
      'counts with nothing to re-run',
      { result: 'FAILURE', passedCount: 20, failedCount: 0 },
      'run 337 (attempt 1) ended FAILURE, but its counts show no test that did not pass'
    ]
  ])('runs in full after %s', (_what, fields, why) => {
    expect(decideReRun(previous, toRunState(run(fields)), '4096')).toEqual({ kind: 'full', why })
  })

  it('names the re-run that passed when the chain passed on it', () => {
    const child = run({
      id: 338,
      reRunParentId: 337,
      result: 'SUCCESS',
      totalCount: 16,
      passedCount: 16,
      failedCount: 0
    })
    expect(decideReRun(previous, toRunState(run({ childResult: child })), '4096')).toEqual({
      kind: 'full',
      why: 'run 337 (attempt 1) and its re-run 338 passed'
    })
  })
})

describe('decideReRun for a run found in check annotations', () => {
  const from = Date.parse('2026-12-06T08:00:00Z')
  const to = Date.parse('2026-12-06T08:20:00Z')
  const annotated = { ...previous, source: 'the check annotations of attempt 1', startedBetween: { from, to } }

  it('re-runs a run that started while the job ran (give or take five minutes of clock skew)', () => {
    for (const startTime of [from, to, from - 5 * 60_000, to + 5 * 60_000]) {
      expect(decideReRun(annotated, toRunState(run({ startTime })), '4096')).toMatchObject({ kind: 're-run' })
    }
  })

  it('runs in full for a run that started at another time, or whose start is not said', () => {
    expect(decideReRun(annotated, toRunState(run({ startTime: from - 6 * 60_000 })), '4096')).toEqual({
      kind: 'full',
      why:
        'run 337 (attempt 1) started at 2026-12-06T07:54:00.000Z, not while the job of attempt 1 ran ' +
        '(2026-12-06T08:00:00.000Z to 2026-12-06T08:20:00.000Z)'
    })
    expect(decideReRun(annotated, toRunState(run()), '4096')).toEqual({
      kind: 'full',
      why:
        "Testsigma's answer does not say when run 337 (attempt 1) started, so it cannot be tied to the job " +
        '(2026-12-06T08:00:00.000Z to 2026-12-06T08:20:00.000Z)'
    })
  })
})

describe('withFirstRunCounts', () => {
  const first = toRunState(run()).chain[0]

  it("adds the first run's passes to the re-run's, keeps the first run's total, and the re-run's failures", () => {
    // A 2023 cloud answer: no reRunType on the run, no abortedCount.
    const reRun = toRunState(run({ id: 341, reRunParentId: 337, totalCount: 16, passedCount: 13, failedCount: 3 }))
    expect(withFirstRunCounts(first, reRun).counts).toEqual({
      total: 20,
      passed: 17,
      failed: 3,
      aborted: 0,
      stopped: 0,
      notExecuted: 0
    })
    expect(withFirstRunCounts(first, reRun)).toMatchObject({ runId: '341', result: 'FAILURE', passed: false })
  })

  it('leaves an aborted count unknown while the re-run runs', () => {
    const running = toRunState(
      run({
        id: 341,
        reRunParentId: 337,
        status: 'STATUS_IN_PROGRESS',
        result: 'QUEUED',
        totalCount: 16,
        passedCount: 2,
        failedCount: 0
      })
    )
    expect(withFirstRunCounts(first, running).counts).toEqual({
      total: 20,
      passed: 6,
      failed: 0,
      aborted: undefined,
      stopped: 0,
      notExecuted: 0
    })
  })
})
