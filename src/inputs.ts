/**
 * The rules every input shares: the error that names an input and shows a good value, booleans and numbers as the
 * runner's YAML spells them, ids a JSON number carries exactly, and paths inside the workspace. Each feature parses
 * its own inputs beside it (`upload/app-inputs.ts`, `testsigma/server-inputs.ts`, `report/report-inputs.ts`,
 * `github/comment-inputs.ts`); `config.ts` puts them together. Pure.
 */
import path from 'node:path'

/** A bad input value. The message names the input, says what is wrong and shows a good value. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    example: string
  ) {
    super(`Input "${input}" ${problem}. Example: ${input}: ${example}`)
    this.name = 'InputError'
  }
}

/** Reads one input's raw text ('' when unset), as `core.getInput` does. */
export type InputReader = (name: string) => string

/**
 * True for `${{ … }}` left as text: the runner expands expressions in inputs, so this means the action runs
 * outside GitHub Actions (e.g. `npm run local-action`, which fills inputs with action.yml's defaults as text).
 */
export function isUnexpandedExpression(text: string): boolean {
  return /^\$\{\{.*\}\}$/s.test(text.trim())
}

/**
 * Ids are sent as JSON numbers, which Testsigma and JavaScript read as doubles: above 2^53 - 1 a number
 * silently becomes its neighbour (9007199254740993 is sent as ...992), so such an id would name another
 * test plan. Refused instead.
 */
export function requireExactId(name: string, digits: string, example: string, what?: string): void {
  if (Number.isSafeInteger(Number(digits))) return
  const limit = `${Number.MAX_SAFE_INTEGER}, the largest id a JSON number carries exactly (a larger one would name another)`
  throw new InputError(
    name,
    what === undefined
      ? `must be at most ${limit}, got ${quote(digits)}`
      : `has ${what} ${quote(digits)}, above ${limit}`,
    example
  )
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
export function parseBoolean(name: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw new InputError(name, `must be true or false, got ${quote(text)}`, String(!fallback))
}

export function parsePositiveNumber(
  name: string,
  text: string,
  fallback: number,
  max: number,
  example: string
): number {
  if (text === '') return fallback
  // Plain decimals only: "1e3", "0x10" and "Infinity" are numbers to JavaScript but surprises to a reader.
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    throw new InputError(name, `must be a positive number (decimals allowed), got ${quote(text)}`, example)
  }
  const value = Number(text)
  if (value <= 0) throw new InputError(name, `must be greater than 0, got ${quote(text)}`, example)
  if (value > max) throw new InputError(name, `must be at most ${max}, got ${quote(text)}`, example)
  return value
}

/** A file path inside the workspace, as written (links are for the file system checks to resolve). */
export function parseWorkspacePath(
  name: string,
  text: string,
  workspace: string,
  example: string
): { path: string; absolutePath: string; workspace: string } {
  const absolutePath = path.resolve(workspace, text)
  const relative = path.relative(workspace, absolutePath)
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(name, `must be a file path inside the workspace, got ${quote(text)}`, example)
  }
  return { path: text, absolutePath, workspace }
}

export function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text
  return JSON.stringify(short)
}
