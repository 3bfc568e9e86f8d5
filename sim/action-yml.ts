/**
 * action.yml as the runner reads it: the end-to-end harness fills the defaults it declares (the runner sets
 * `INPUT_<NAME>` for every input with a default, given or not), and the tests check workflows against it.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export interface ActionYml {
  name: string
  description: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

export const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml

/**
 * The value the runner gives each input with a default when the step does not set it. Expressions are
 * evaluated as the runner would for the one action.yml uses (`${{ github.token }}` → the job's token).
 */
export function runnerDefaults(githubToken: string): Record<string, string> {
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs)) {
    if (input.default === undefined) continue
    defaults[name] = input.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken)
    if (defaults[name].includes('${{'))
      throw new Error(`action.yml: ${name}'s default needs an expression the harness does not evaluate`)
  }
  return defaults
}
