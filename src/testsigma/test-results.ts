/**
 * Testsigma's per-test and per-step results, read into plain values (docs/testsigma-api.md §6.4). Pure and bounded:
 * every list is capped and every text clipped before anything else sees it, so a hostile answer of any size costs
 * the same.
 *
 * - The case list, `GET /api/v1/execution_results/{runId}/test_case_results` (D-rerun, "Test Case Execution
 *   details"): one object per test case and device, with its result word, suite, device (`machineTitle`) and, for a
 *   data-driven test, its iterations (`setName`, `result`). No message and no step: those are in the step results.
 * - The step results, `GET /api/v2/test_runs/{runId}/test_case_results/{caseResultId}/step_results` (D-levels; `v1`
 *   before 2025-09-29): a Spring page of steps in the order they ran, each with its `action` text, `result`,
 *   `message`, `errorType` and `errorCode`. No position field: a step's number is its place in the list.
 */
import { clip, oneLine } from '../text.js'

/** A test case's result on one device, as the case list gives it. */
export interface TestCaseRun {
  /** `testCaseResultId`: the id the step results are read by (digits). */
  caseResultId: string
  name: string
  /** Testsigma's word as it came (SUCCESS, FAILURE, ABORTED, NOT_EXECUTED, STOPPED, QUEUED, or one new to us). */
  result: string
  suite?: string
  /** `machineTitle`: the plan's name for the test device. */
  device?: string
  /** A data-driven test's iterations that did not pass, by their data set's name (`setName`). */
  failedIterations: string[]
  /** How many iterations the data-driven test had (0 for a test that is not data-driven). */
  iterations: number
}

/** The case list of one run: the cases kept (at most the cap), and how many the answer had. */
export interface TestCaseList {
  cases: TestCaseRun[]
  /** Cases in the answer, counted even beyond the cap. */
  total: number
}

/** One step's result, as the step results give it. */
export interface StepResult {
  action: string
  result: string
  message?: string
  errorType?: string
  errorCode?: string
}

/** One page of step results, and whether it was the last one. */
export interface StepPage {
  steps: StepResult[]
  last: boolean
}

/** The step that says why a test did not pass, and its place among the test's steps (1 for the first). */
export interface FailingStep extends StepResult {
  position: number
}

/** The answer is not the shape the docs show. */
export class ResultsShapeError extends Error {
  constructor(problem: string) {
    super(`Testsigma's test results ${problem}`)
    this.name = 'ResultsShapeError'
  }
}

// The summary shows a few dozen tests; a run of many thousand cases is read, counted, and cut here.
export const MAX_CASES = 5000
const MAX_ITERATIONS = 200
const NAME_LIMIT = 500
const MESSAGE_LIMIT = 2000
const WORD_LIMIT = 60

export const PASSED = 'SUCCESS'
// Steps that say nothing about why a test did not pass: they passed, or never ran after the one that failed.
const QUIET_STEP_RESULTS = new Set([PASSED, 'NOT_EXECUTED', 'QUEUED'])

type Json = Record<string, unknown>

/**
 * The case list's answer → the cases, at most `MAX_CASES`. `runId` is the run asked for: an answer that names
 * another run (`executionResultId`) is not this run's, and is refused.
 */
export function testCaseListOf(body: unknown, runId: string): TestCaseList {
  const answer = asObject(body, 'are not a JSON object')
  const about = answer.executionResultId
  if (about !== undefined && about !== null && exactId(about) !== runId) {
    const named = typeof about === 'number' || typeof about === 'string' ? clip(oneLine(String(about)), 30) : 'another'
    throw new ResultsShapeError(`are about run ${named}, not run ${runId}`)
  }
  const list = answer.testCases
  if (!Array.isArray(list)) throw new ResultsShapeError('have no "testCases" list')
  const cases: TestCaseRun[] = []
  for (const item of list.slice(0, MAX_CASES)) cases.push(testCaseRunOf(item))
  return { cases, total: list.length }
}

function testCaseRunOf(item: unknown): TestCaseRun {
  const entry = asObject(item, 'have a test case that is not an object')
  const caseResultId = exactId(entry.testCaseResultId)
  if (caseResultId === undefined) throw new ResultsShapeError('have a test case without a numeric "testCaseResultId"')
  const iterations = Array.isArray(entry.iterationResults) ? entry.iterationResults.slice(0, MAX_ITERATIONS) : []
  const failedIterations: string[] = []
  for (const iteration of iterations) {
    if (iteration === null || typeof iteration !== 'object') continue
    const { setName, result } = iteration as Json
    if (word(result) === PASSED) continue
    failedIterations.push(text(setName, NAME_LIMIT) ?? `iteration ${failedIterations.length + 1}`)
  }
  const run: TestCaseRun = {
    caseResultId,
    name: text(entry.testCaseName, NAME_LIMIT) ?? `test case result ${caseResultId}`,
    result: word(entry.result) ?? '',
    failedIterations,
    iterations: entry.isDataDrivenCase === true ? iterations.length : 0
  }
  const suite = text(entry.testSuiteName, NAME_LIMIT)
  if (suite !== undefined) run.suite = suite
  const device = text(entry.machineTitle, NAME_LIMIT)
  if (device !== undefined) run.device = device
  return run
}

/**
 * One page of step results. The page fields of the docs' sample contradict each other (`last: false` with
 * `totalPages: 1`), so a page is the last when it says so, when it is shorter than asked for or empty, or when its
 * number reaches `totalPages`.
 */
export function stepPageOf(body: unknown, pageSize: number): StepPage {
  const page = asObject(body, 'are not a JSON object')
  if (!Array.isArray(page.content)) throw new ResultsShapeError('have no "content" list of steps')
  const steps = page.content.slice(0, pageSize).map(stepOf)
  const number = typeof page.number === 'number' ? page.number : undefined
  const totalPages = typeof page.totalPages === 'number' ? page.totalPages : undefined
  const last =
    page.last === true ||
    page.empty === true ||
    steps.length < pageSize ||
    (number !== undefined && totalPages !== undefined && number + 1 >= totalPages)
  return { steps, last }
}

function stepOf(item: unknown): StepResult {
  const entry = asObject(item, 'have a step that is not an object')
  const step: StepResult = {
    action: text(entry.action, NAME_LIMIT) ?? '(a step without text)',
    result: word(entry.result) ?? ''
  }
  const message = text(entry.message, MESSAGE_LIMIT)
  if (message !== undefined) step.message = message
  const errorType = word(entry.errorType)
  if (errorType !== undefined) step.errorType = errorType
  const errorCode = typeof entry.errorCode === 'number' ? String(entry.errorCode) : word(entry.errorCode)
  if (errorCode !== undefined) step.errorCode = errorCode
  return step
}

/**
 * The first step that did not pass and says so (FAILURE, ABORTED, STOPPED or a word new to this action), counted
 * from `offset` steps read before; undefined when none does.
 */
export function firstFailingStep(steps: readonly StepResult[], offset = 0): FailingStep | undefined {
  const at = steps.findIndex(step => step.result !== '' && !QUIET_STEP_RESULTS.has(step.result))
  return at === -1 ? undefined : { ...steps[at], position: offset + at + 1 }
}

function asObject(value: unknown, problem: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ResultsShapeError(problem)
  return value as Json
}

/** An id as digits, only when a JSON number or text carries it exactly. */
function exactId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return value
  return undefined
}

/** Text on one line, clipped; undefined when empty or not text. */
function text(value: unknown, limit: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const line = oneLine(value.slice(0, limit * 2))
  return line === '' ? undefined : clip(line, limit)
}

/** An enum word (a result, an error type), bounded; undefined when empty or not text. */
function word(value: unknown): string | undefined {
  return text(value, WORD_LIMIT)
}
