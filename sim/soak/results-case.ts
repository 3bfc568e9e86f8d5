/**
 * The fault soak's cases for Testsigma's JSON results (issue 18): a server with both endpoints, without the case
 * list (an older one: the JUnit report stands in), with the step results at v1 or without them, and faults on both
 * (any of the soak's, and pages slower than the action's 5 s reporting budget). Whatever they do, the verdict is the
 * run's and comes on time (invariants 1 and 4).
 */
import fc from 'fast-check'
import type { Fault } from '../faults.js'
import type { ResultsOptions, ResultsRoute } from '../simulator.js'

export interface ResultsSetup {
  server: 'both' | 'no case list' | 'steps at v1' | 'no steps'
  faults: Record<ResultsRoute, Fault[]>
}

/** The simulator's options for the setup's server. */
export function resultsOptions(setup: ResultsSetup | undefined): ResultsOptions {
  switch (setup?.server) {
    case 'no case list':
      return { caseList: false }
    case 'steps at v1':
      return { steps: 'v1' }
    case 'no steps':
      return { steps: 'none' }
    default:
      return {}
  }
}

/** A slow page of the results: answered after up to 7 s, past the action's 5 s reporting budget. */
const slowResultsFault: fc.Arbitrary<Fault> = fc.record({
  type: fc.constant('delay' as const),
  ms: fc.integer({ min: 500, max: 7000 })
})

const resultsSchedule = (faults: fc.Arbitrary<Fault>, maxLength: number): fc.Arbitrary<Fault[]> =>
  fc.array(fc.oneof({ arbitrary: faults, weight: 3 }, { arbitrary: slowResultsFault, weight: 1 }), {
    maxLength
  })

/** The results' server and faults, drawn with the soak's `faults` and slow pages. */
export const resultsArbitrary = (faults: fc.Arbitrary<Fault>): fc.Arbitrary<ResultsSetup> =>
  fc.record({
    server: fc.constantFrom<ResultsSetup['server']>('both', 'both', 'both', 'no case list', 'steps at v1', 'no steps'),
    faults: fc.record({ cases: resultsSchedule(faults, 2), steps: resultsSchedule(faults, 4) })
  })
