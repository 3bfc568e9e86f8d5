/**
 * The soak's cases of issue 17 that are about runs: answers that are not about this job's run, triggers whose
 * answer a proxy lost after the run started, and the server that may list a plan's runs; with the invariant they
 * must keep: the step names and stops only its own runs.
 *
 * - `answers`: status answers served in place of the simulator's own, once each: another run's (`id` 555),
 *   another plan's, a parent still in progress whose re-run passed, a nested run that names another parent, none,
 *   or belongs to another plan, a cycle (337 → 339 → 337 …), ids of 2^53 or more (the child's, its parent's, the
 *   run's own). Each either is not about this job's run or keeps it unfinished, so the simulator's truth stands:
 *   none may turn the step green (the `verdict` invariant), and none may put a run the simulator did not make in
 *   the outputs or in a stop (`own-runs`, below).
 * - `lostTrigger` faults (`lostTriggerFault`): the simulator acts on the trigger (the run starts), then answers an
 *   empty or HTML 404, a 429, a 502, a 503 or a 500 instead: the trigger must not be sent again (`one-trigger`).
 * - `server`: the cloud, or the open-source server (which lists a plan's runs, so a lost trigger with a build number
 *   is searched for), with `api-dialect` auto or open-source.
 */
import fc from 'fast-check'
import { Fault, SLOW_BODY } from '../faults.js'

/** The run the simulator makes first, in every case (its ids start there, and each case has its own). */
export const SOAK_RUN_ID = '337'

export const HOSTILE_ANSWERS = [
  'another-run',
  'another-plan',
  'parent-running',
  'foreign-child',
  'unlinked-child',
  'other-plan-child',
  'cycle',
  'big-child-id',
  'big-parent-id',
  'big-run-id'
] as const

export type HostileAnswer = (typeof HOSTILE_ANSWERS)[number]

export interface OtherRunsSetup {
  /** Served, in order, after the case's own status faults. */
  answers: HostileAnswer[]
  /** What the step claims in the forged answers that claim a result. */
  claimed: 'SUCCESS' | 'FAILURE'
  server: 'cloud' | 'open-source'
  apiDialect: 'auto' | 'open-source'
  /** `build-number`: one the open-source server's search can carry, one it cannot, or none. */
  buildNumber?: string
}

export const otherRunsArbitrary: fc.Arbitrary<OtherRunsSetup> = fc.record(
  {
    answers: fc.oneof(
      { arbitrary: fc.constant<HostileAnswer[]>([]), weight: 2 },
      {
        arbitrary: fc.array(fc.constantFrom<HostileAnswer>(...HOSTILE_ANSWERS), { minLength: 1, maxLength: 3 }),
        weight: 3
      }
    ),
    claimed: fc.constantFrom('SUCCESS' as const, 'FAILURE' as const),
    server: fc.constantFrom('cloud' as const, 'cloud' as const, 'open-source' as const),
    apiDialect: fc.constantFrom('auto' as const, 'open-source' as const),
    buildNumber: fc.constantFrom('1.4.2', 'build_57-rc.1', 'feature/x', undefined)
  },
  { requiredKeys: ['answers', 'claimed', 'server', 'apiDialect'] }
)

/** A trigger the simulator acts on, answered with something that does not say so (a proxy lost the answer). */
export const lostTriggerFault: fc.Arbitrary<Fault> = fc.record({
  type: fc.constant('after-acting' as const),
  status: fc.constantFrom(404, 404, 429, 500, 502, 503),
  body: fc.constantFrom('', '<html><body><h1>Service Unavailable</h1></body></html>'),
  contentType: fc.constant('text/html')
})

/** A run object as text (ids of 2^53 or more cannot be written from a JavaScript number). */
function run(id: string, fields: string[]): string {
  return `{"id":${id},${fields.join(',')}}`
}

const running = ['"status":"STATUS_IN_PROGRESS"', '"result":"QUEUED"', '"totalCount":5', '"passedCount":1']
const completed = (result: string): string[] => [
  '"status":"STATUS_COMPLETED"',
  `"result":"${result}"`,
  '"totalCount":5',
  `"passedCount":${result === 'SUCCESS' ? 5 : 2}`
]

/** This job's run, still in progress, with `child` nested as its re-run. */
function inProgressWith(planId: string, child: string, chainWide: string[] = []): string {
  return run(SOAK_RUN_ID, [`"executionId":${planId}`, ...running, ...chainWide, `"childResult":${child}`])
}

/** The answer's body: JSON text a status read gets instead of the simulator's own. */
export function hostileBody(answer: HostileAnswer, planId: string, claimed: string): string {
  const child = (id: string, parent: string, fields: string[], plan = planId): string =>
    run(id, [`"executionId":${plan}`, `"reRunParentId":${parent}`, ...fields, '"childResult":null'])
  switch (answer) {
    case 'another-run':
      return run('555', [`"executionId":${planId}`, ...completed(claimed), '"childResult":null'])
    case 'another-plan':
      return run(SOAK_RUN_ID, ['"executionId":9', ...completed(claimed), '"childResult":null'])
    case 'parent-running':
      // The chain-wide fields say what the re-run says (one of the cloud's plausible timelines, docs §10).
      return inProgressWith(planId, child('339', SOAK_RUN_ID, completed(claimed)), [
        '"consolidatedStatus":"STATUS_COMPLETED"',
        `"consolidatedResult":"${claimed}"`
      ])
    case 'foreign-child':
      return inProgressWith(planId, child('901', '900', running))
    case 'unlinked-child':
      return inProgressWith(planId, child('902', 'null', running))
    case 'other-plan-child':
      return inProgressWith(planId, child('903', SOAK_RUN_ID, running, '9'))
    case 'cycle': {
      let nested = 'null'
      for (let depth = 10; depth >= 1; depth--) {
        const id = depth % 2 === 1 ? '339' : SOAK_RUN_ID
        const parent = id === '339' ? SOAK_RUN_ID : '339'
        const fields = depth === 10 ? completed(claimed) : running
        nested = run(id, [`"executionId":${planId}`, `"reRunParentId":${parent}`, ...fields, `"childResult":${nested}`])
      }
      return inProgressWith(planId, nested)
    }
    case 'big-child-id':
      return inProgressWith(planId, child('9007199254740993', SOAK_RUN_ID, running))
    case 'big-parent-id':
      return inProgressWith(planId, child('339', '9007199254740993', running))
    case 'big-run-id':
      return run('9007199254740993', [`"executionId":${planId}`, ...completed(claimed), '"childResult":null'])
  }
}

/** The status faults that serve the setup's answers. */
export function hostileFaults(setup: OtherRunsSetup, planId: string): Fault[] {
  return setup.answers.map(answer => ({
    type: 'status',
    status: 200,
    contentType: 'application/json',
    body: hostileBody(answer, planId, setup.claimed)
  }))
}

/**
 * The runs a served answer rightly presents as this job's re-runs (nested in its run, naming it as their parent, of
 * its plan): the step may name and stop them too. Only `parent-running` has one.
 */
export function nestedReRunIds(setup: OtherRunsSetup): string[] {
  return setup.answers.includes('parent-running') ? ['339'] : []
}

/**
 * The runs that answers served to the trigger named without the simulator making them (a `slow-body` fault sends a
 * run object): the step rightly takes such a run for its own.
 */
export function triggerAnswerIds(served: readonly Fault[]): string[] {
  const ids: string[] = []
  for (const fault of served) {
    if (fault.type !== 'slow-body' || (fault.status ?? 200) >= 300) continue
    try {
      const id = (JSON.parse(fault.body ?? SLOW_BODY) as { id?: unknown }).id
      if (typeof id === 'number' || typeof id === 'string') ids.push(String(id))
    } catch {
      // Not a run object: names no run.
    }
  }
  return ids
}

/** What the `own-runs` invariant reads of one run of the bundle. */
export interface OwnRunsRecord {
  outputs: Record<string, string>
  /** The paths of the stop requests the simulator received. */
  stopPaths?: string[]
  /** The ids of the runs the simulator made (the trigger's, its re-runs). */
  madeRunIds?: string[]
  /** Runs a served answer rightly presented as this job's re-runs, or as the run its trigger started. */
  nestedReRunIds?: string[]
}

/**
 * The step names and stops only its own runs: `run-id` is a run the simulator made, `final-run-id` one it made or
 * one a served answer rightly nested as a re-run of it, and every stop goes to one of those. An answer about
 * another run, a foreign child or an id JavaScript rounded must never reach the outputs or a stop.
 */
export function ownRuns(record: OwnRunsRecord): { invariant: 'own-runs'; ok: boolean; detail?: string } {
  if (record.madeRunIds === undefined) return { invariant: 'own-runs', ok: true }
  const own = new Set([...record.madeRunIds, ...(record.nestedReRunIds ?? [])])
  const runId = record.outputs['run-id']
  if (runId !== undefined && runId !== '' && !own.has(runId)) {
    return { invariant: 'own-runs', ok: false, detail: `run-id ${runId} is no run the simulator made or named` }
  }
  const finalRunId = record.outputs['final-run-id']
  if (finalRunId !== undefined && finalRunId !== '' && !own.has(finalRunId)) {
    return { invariant: 'own-runs', ok: false, detail: `final-run-id ${finalRunId} is not this job's run` }
  }
  for (const path of record.stopPaths ?? []) {
    const id = path.split('/').pop() ?? ''
    if (!own.has(id)) return { invariant: 'own-runs', ok: false, detail: `a stop went to ${path}, not this job's run` }
  }
  return { invariant: 'own-runs', ok: true }
}
