/**
 * Checks that a workflow uses this action as action.yml declares it: the inputs it passes and the outputs
 * it reads. Shared by the tests of ci.yml (`uses: ./`) and of the README's snippets (`uses: …@v1`).
 */
import { action } from '../../sim/action-yml.js'

export { action, type ActionYml } from '../../sim/action-yml.js'

export interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}

export interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}

export const ROOT = new URL('../../', import.meta.url)

/** Every step of the workflow whose `uses:` is this action, with where it is. */
export function actionSteps(
  workflow: Workflow,
  isThisAction: (uses: string) => boolean
): Array<{ job: string; step: Step }> {
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, { steps = [] }]) =>
    steps.filter(step => typeof step.uses === 'string' && isThisAction(step.uses)).map(step => ({ job, step }))
  )
}

/** Inputs the step passes that action.yml does not have, and required inputs it leaves out. */
export function inputProblems(step: Step): string[] {
  const given = Object.keys(step.with ?? {})
  const unknown = given.filter(name => !(name in action.inputs)).map(name => `unknown input ${name}`)
  const missing = Object.entries(action.inputs)
    .filter(([name, input]) => input.required === true && input.default === undefined && !given.includes(name))
    .map(([name]) => `missing required input ${name}`)
  return [...unknown, ...missing]
}

/** `steps.<id>.outputs.<name>` references to steps running this action that name an output action.yml lacks. */
export function outputProblems(text: string, ids: ReadonlySet<string>): string[] {
  return [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
    .filter(([, id, output]) => ids.has(id) && !(output in action.outputs))
    .map(([reference]) => `unknown output: ${reference}`)
}
