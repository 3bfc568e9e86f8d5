/**
 * After the run: Testsigma's own results of the run that decided the verdict, per test and per step (docs §6.4), so
 * the report can say which test failed, on which device, at which step, and why. Bounded in time and in requests:
 * the case list once, then the steps of the first tests that did not pass, a few at a time, inside one budget that
 * ends before timeout-minutes does. Never throws, and never changes the verdict: what could not be read is said.
 */
import { isAbort } from './clock.js'
import { withRetry, withShortStreak } from './retry.js'
import type { StepDeps } from './step.js'
import type { TestsigmaClient } from './testsigma/client.js'
import { TestsigmaError } from './testsigma/errors.js'
import { STEP_RESULTS_VERSIONS, StepResultsVersion } from './testsigma/results-api.js'
import { FailingStep, firstFailingStep, PASSED, TestCaseRun } from './testsigma/test-results.js'
import { oneLine } from './text.js'

/** What was read of a run's results. */
export interface ResultsRead {
  cases: TestCaseRun[]
  /** Cases in Testsigma's answer, counted even beyond what was kept. */
  total: number
  /** The step that says why, for each test whose steps were read and showed one, by case result id. */
  failingSteps: Map<string, FailingStep>
  /** Why some steps could not be read, once; the list of tests stands without them. */
  stepsWarning?: string
}

export type ResultsOutcome =
  | { kind: 'read'; results: ResultsRead }
  /** No list: `missing` when the server has no such endpoint (the open-source server, an older one). */
  | { kind: 'unavailable'; missing: boolean; reason: string }

export interface ResultsLimits {
  /** Clock time by which reading ends, whatever is left to read. */
  until: number
  /** Tests whose steps are read at most (the first that did not pass, in Testsigma's order). */
  stepLookups?: number
  /** Step lookups under way at once. */
  concurrency?: number
}

const DEFAULT_STEP_LOOKUPS = 25
const DEFAULT_CONCURRENCY = 4
const STEP_PAGE_SIZE = 50
// A test of more than 200 steps is rare; its failing step, when it is further, is in Testsigma.
const MAX_STEP_PAGES = 4
// Tests that ran no step have nothing to look at (D-levels shows no step of a test that was not executed).
const STEPLESS_RESULTS = new Set([PASSED, 'NOT_EXECUTED', 'STOPPED', 'QUEUED'])

/** Reads the run's case list, then the failing step of the first tests that did not pass. */
export async function fetchTestResults(runId: string, deps: StepDeps, limits: ResultsLimits): Promise<ResultsOutcome> {
  const budgetMs = limits.until - deps.clock.now()
  if (budgetMs <= 0) return { kind: 'unavailable', missing: false, reason: 'no time was left to read them' }
  // Each request too ends with the budget, not only the retries.
  const client = deps.client.within(budgetMs)
  const read = <T>(send: () => Promise<T>): Promise<T> =>
    withRetry(send, {
      request: 'read',
      clock: deps.clock,
      deadline: limits.until,
      signal: deps.signal,
      policy: withShortStreak(undefined, budgetMs),
      random: deps.random
    })

  let list: Awaited<ReturnType<TestsigmaClient['getTestCaseList']>>
  try {
    list = await read(() => client.getTestCaseList(runId, deps.signal))
  } catch (error) {
    const missing = error instanceof TestsigmaError && error.missingPath
    return { kind: 'unavailable', missing, reason: describe(error) }
  }

  const failingSteps = new Map<string, FailingStep>()
  const toRead = list.cases
    .filter(testCase => !STEPLESS_RESULTS.has(testCase.result))
    .slice(0, limits.stepLookups ?? DEFAULT_STEP_LOOKUPS)
  let version: StepResultsVersion | undefined = STEP_RESULTS_VERSIONS[0]
  let stepsWarning: string | undefined
  const lookUp = async (testCase: TestCaseRun): Promise<void> => {
    for (;;) {
      const asked = version
      if (asked === undefined || deps.clock.now() >= limits.until) return
      try {
        const step = await failingStepOf(runId, testCase.caseResultId, asked, client, read, deps.signal)
        if (step !== undefined) failingSteps.set(testCase.caseResultId, step)
        return
      } catch (error) {
        if (error instanceof TestsigmaError && error.missingPath) {
          // The path moved (v1 before 2025-09-29): the next version for this test and every later one.
          if (version === asked) version = STEP_RESULTS_VERSIONS[STEP_RESULTS_VERSIONS.indexOf(asked) + 1]
          if (version === undefined) stepsWarning ??= 'Testsigma has no step results at this address'
          continue
        }
        stepsWarning ??= describe(error)
        return
      }
    }
  }
  await inTurns(toRead, limits.concurrency ?? DEFAULT_CONCURRENCY, lookUp)
  if (toRead.length > 0 && deps.clock.now() >= limits.until && failingSteps.size < toRead.length) {
    stepsWarning ??= 'the time for reading them ran out'
  }
  return { kind: 'read', results: { cases: list.cases, total: list.total, failingSteps, stepsWarning } }
}

/** The first failing step of one test, page after page; undefined when its steps show none. */
async function failingStepOf(
  runId: string,
  caseResultId: string,
  version: StepResultsVersion,
  client: TestsigmaClient,
  read: <T>(send: () => Promise<T>) => Promise<T>,
  signal: AbortSignal
): Promise<FailingStep | undefined> {
  let seen = 0
  for (let page = 0; page < MAX_STEP_PAGES; page++) {
    const request = { runId, caseResultId, page, pageSize: STEP_PAGE_SIZE, version }
    const { steps, last } = await read(() => client.getStepPage(request, signal))
    const failing = firstFailingStep(steps, seen)
    if (failing !== undefined) return failing
    seen += steps.length
    if (last) return undefined
  }
  return undefined
}

/** Runs `work` over `items`, at most `concurrency` at a time, in their order. */
async function inTurns<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

function describe(error: unknown): string {
  if (isAbort(error)) return 'the job was cancelled'
  return oneLine(error instanceof Error ? error.message : String(error))
}
