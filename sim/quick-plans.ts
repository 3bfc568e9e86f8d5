/**
 * Test plans that end on the first status read. The action reads the status at most once a second (a
 * shorter poll-interval-seconds is raised to 1 s), so a test that runs the bundle as the runner does makes
 * its runs short by finishing them sooner, not by polling faster.
 */
import type { PlanScript } from './simulator.js'

/** `plan` with only its last frame: the first status read already sees the run finished. */
export function finishedOnFirstRead(plan: PlanScript): PlanScript {
  return { ...plan, frames: plan.frames.slice(-1) }
}

/** A run that stays in progress for ever (1 of 4 passed): for timeouts, cancellation and stops. */
export function neverFinishingPlan(id = '55', name = 'Endless'): PlanScript {
  return { id, name, frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 4, passed: 1 } }] }
}
