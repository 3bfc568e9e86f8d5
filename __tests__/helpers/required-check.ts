/**
 * What a workflow that gates pull requests (a required status check) must do so that it never blocks a merge for a
 * reason that is not its tests, and never hands a pull request's code the secrets. Used on the README's recipes.
 */

interface WorkflowShape {
  on?: unknown
  jobs?: Record<string, { if?: unknown; needs?: unknown; steps?: Array<Record<string, unknown>> } | null>
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/** The events a workflow's `on:` names, in any of its three forms (a name, a list, a mapping). */
export function eventsOf(workflow: unknown): string[] {
  const on = (workflow as WorkflowShape | null)?.on
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.filter((event): event is string => typeof event === 'string')
  if (on !== null && typeof on === 'object') return Object.keys(on)
  return []
}

/** Whether the workflow runs on pull requests, and so may be a required check. */
export function gatesPullRequests(workflow: unknown): boolean {
  return eventsOf(workflow).some(event => PULL_REQUEST_EVENTS.includes(event))
}

/** What would make the workflow a bad required check; [] for a workflow that does not run on pull requests. */
export function requiredCheckProblems(workflow: unknown): string[] {
  if (!gatesPullRequests(workflow)) return []
  const { on, jobs = {} } = workflow as WorkflowShape
  const events = eventsOf(workflow)
  const problems: string[] = []
  if (!events.includes('merge_group')) {
    problems.push('no merge_group: a merge queue would wait for the check in vain')
  }
  for (const event of events) {
    const filters =
      on !== null && typeof on === 'object' && !Array.isArray(on) ? (on as Record<string, unknown>)[event] : undefined
    for (const key of ['paths', 'paths-ignore']) {
      if (filters !== null && typeof filters === 'object' && key in filters) {
        problems.push(`on.${event}.${key}: a pull request it skips leaves the required check waiting for ever`)
      }
    }
  }
  for (const [name, job] of Object.entries(jobs)) {
    const condition = typeof job?.if === 'string' ? job.if : ''
    if (condition.includes('github.event.pull_request') && !condition.includes('merge_group')) {
      problems.push(`jobs.${name}.if reads the pull request only: the merge queue's run would be skipped, and pass`)
    }
    // Without a status function, a job whose `needs` failed is skipped, and a skipped required check passes.
    if (job?.needs !== undefined && !/!cancelled\(\)|always\(\)/.test(condition)) {
      problems.push(`jobs.${name}: skipped, and so passed, when a job it needs fails (no !cancelled() in its if)`)
    }
    if (!events.includes('pull_request_target')) continue
    // pull_request_target runs with the secrets: nothing from the pull request may run, so nothing runs but actions.
    for (const step of job?.steps ?? []) {
      const uses = typeof step.uses === 'string' ? step.uses : ''
      if (uses.startsWith('actions/checkout')) problems.push(`jobs.${name}: checks out code on pull_request_target`)
      if (uses.startsWith('./')) problems.push(`jobs.${name}: runs a local action on pull_request_target`)
      if ('run' in step) problems.push(`jobs.${name}: runs a script on pull_request_target`)
    }
  }
  return problems
}
