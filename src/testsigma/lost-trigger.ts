/**
 * Finding the run a trigger started when its answer was lost (docs/testsigma-api.md §2.4). Only the open-source
 * server can list a plan's runs by build number (`GET /api/v1/test_plan_results?query=testPlanId:…,buildNo:…`,
 * O-ctl-v13 `index`); the cloud documents no listing, so there a lost answer stays "a run may have started".
 * A run is this trigger's only when it is beyond every run the plan had before the trigger (ids only grow), of
 * this plan, started by the API, not a re-run, and carries this step's build number, and it is the only one. Pure.
 */
import { idOf, RunState, toRunState } from './run-state.js'

/**
 * Build numbers the server's query can carry as they are (its value pattern takes letters, digits and a few
 * signs, and URL-decodes the value: `+` and `%` would change it; docs §2.4). Others are not looked for.
 */
const SEARCHABLE_BUILD = /^[A-Za-z0-9._-]{1,100}$/

export function canLookFor(buildNo: string | undefined): buildNo is string {
  return buildNo !== undefined && SEARCHABLE_BUILD.test(buildNo)
}

/** The listing of the plan's runs, newest first: `size` of them, with `buildNo` when given. */
export function runsQuery(planId: string, options: { buildNo?: string; size: number }): string {
  const query =
    options.buildNo === undefined ? `testPlanId:${planId}` : `testPlanId:${planId},buildNo:${options.buildNo}`
  // No default order on the server (inferred): always the newest first.
  return `?query=${encodeURIComponent(query)}&sort=${encodeURIComponent('id,desc')}&size=${options.size}`
}

/** The runs of a listing's answer: a Spring page (`content`), or an array. Throws when it is neither. */
export function runsInPage(json: unknown): Array<Record<string, unknown>> {
  const content = Array.isArray(json) ? json : (json as { content?: unknown } | null)?.content
  if (!Array.isArray(content)) throw new Error('is not a page of runs (no "content" array)')
  return content.filter((run): run is Record<string, unknown> => run !== null && typeof run === 'object')
}

/** The highest run id a listing shows (0 when the plan has no run yet). */
export function highestRunId(runs: ReadonlyArray<Record<string, unknown>>): bigint {
  return runs.reduce((highest, run) => {
    const id = idOf(run.id, 'id', '')
    return id !== undefined && BigInt(id) > highest ? BigInt(id) : highest
  }, 0n)
}

/**
 * The runs of a listing that this step's lost trigger may have started: after `before` (the plan's highest run id
 * before the trigger), of the plan, with this exact build number, triggered by the API, not a re-run.
 */
export function lostTriggerCandidates(
  runs: ReadonlyArray<Record<string, unknown>>,
  expected: { planId: string; buildNo: string; before: bigint }
): RunState[] {
  const found: RunState[] = []
  for (const run of runs) {
    let state: RunState
    try {
      state = toRunState(run)
    } catch {
      // A run that cannot be read cannot be followed either: it is not taken.
      continue
    }
    const triggeredBy = run.triggered_type ?? run.triggeredType
    const reRunOf = run.re_run_parent_id ?? run.reRunParentId
    if (
      BigInt(state.runId) > expected.before &&
      state.planId === expected.planId &&
      state.buildNo === expected.buildNo &&
      (triggeredBy === undefined || triggeredBy === 'API') &&
      (reRunOf === undefined || reRunOf === null)
    ) {
      found.push(state)
    }
  }
  return found
}
