/** Telling the run a lost trigger started from the plan's other runs (issue 17; docs §2.4). */
import {
  canLookFor,
  highestRunId,
  lostTriggerCandidates,
  runsInPage,
  runsQuery
} from '../src/testsigma/lost-trigger.js'

/** A run as the open-source server lists it (O-dto, snake_case). */
function ossRun(id: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    test_plan_id: 7,
    status: 'STATUS_QUEUED',
    result: 'QUEUED',
    build_no: '1.4.2',
    triggered_type: 'API',
    re_run_parent_id: null,
    child_result: null,
    ...fields
  }
}

describe('the search of a plan’s runs', () => {
  it('is asked only for build numbers the server’s query carries as they are', () => {
    for (const buildNo of ['1.4.2', 'build_57-rc.1', '2024.05.29']) expect(canLookFor(buildNo)).toBe(true)
    for (const buildNo of [undefined, '', 'feat/x', 'a:b', '1,2', 'a+b', '50%', 'x'.repeat(101)]) {
      expect(canLookFor(buildNo)).toBe(false)
    }
  })

  it('asks for the newest first, by plan and build number', () => {
    expect(runsQuery('7', { buildNo: '1.4.2', size: 20 })).toBe(
      '?query=testPlanId%3A7%2CbuildNo%3A1.4.2&sort=id%2Cdesc&size=20'
    )
    expect(runsQuery('7', { size: 1 })).toBe('?query=testPlanId%3A7&sort=id%2Cdesc&size=1')
  })

  it('reads a Spring page or an array, and refuses anything else', () => {
    expect(runsInPage({ content: [ossRun(1), null, 3] })).toEqual([ossRun(1)])
    expect(runsInPage([ossRun(2)])).toEqual([ossRun(2)])
    expect(() => runsInPage({ id: 1 })).toThrow('is not a page of runs')
  })

  it('takes the highest id as the line a lost trigger’s run is beyond (0 for a plan without runs)', () => {
    expect(highestRunId([ossRun(41), ossRun(339), ossRun(40)])).toBe(339n)
    expect(highestRunId([])).toBe(0n)
  })
})

describe('lostTriggerCandidates', () => {
  const expected = { planId: '7', buildNo: '1.4.2', before: 338n }

  it('is the run beyond the line, of the plan, with the build number, started by the API, not a re-run', () => {
    expect(lostTriggerCandidates([ossRun(339)], expected).map(run => run.runId)).toEqual(['339'])
  })

  it.each<[string, Record<string, unknown>]>([
    ['made before the trigger (a run of an earlier attempt with the same build number)', { id: 338 }],
    ['of another plan', { test_plan_id: 8 }],
    ['of another build number', { build_no: '1.4.3' }],
    ['started by hand in Testsigma', { triggered_type: 'MANUAL' }],
    ['a re-run', { re_run_parent_id: 337 }]
  ])('is never a run %s', (_, fields) => {
    expect(lostTriggerCandidates([ossRun(339, fields)], expected)).toEqual([])
  })

  it('skips a listed run that cannot be read (it could not be followed either)', () => {
    expect(lostTriggerCandidates([{ id: 339 }, ossRun(340)], expected).map(run => run.runId)).toEqual(['340'])
  })

  it('lists every candidate, so that two are not mistaken for one', () => {
    expect(lostTriggerCandidates([ossRun(340), ossRun(339)], expected).map(run => run.runId)).toEqual(['340', '339'])
  })
})
