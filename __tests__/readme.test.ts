/**
 * The README's input and output tables are what users read instead of action.yml; this keeps them equal.
 *
 * Format (one table each, anywhere in README.md):
 *   | Input | Required | Default | Description |      Input: `name`; Required: yes or no;
 *   | --- | --- | --- | --- |                        Default: `value` in backticks, or empty when there is none
 *   | Output | Description |                         Output: `name`
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const root = new URL('../', import.meta.url)
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as ActionYml
const readme = readFileSync(new URL('README.md', root), 'utf8')

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
