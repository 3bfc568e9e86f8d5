/**
 * The simulator's per-test and per-step results (docs/testsigma-api.md §6.4), on the cloud only (the open-source
 * server has neither under /api/v1, so its paths answer Spring's 404 there):
 * - `GET /api/v1/execution_results/{runId}/test_case_results`: `{executionId, executionResultId, result, status,
 *   testCases: [...]}`, one entry per test case and device (D-rerun's sample), not paged;
 * - `GET /api/v2/test_runs/{runId}/test_case_results/{caseResultId}/step_results?page=&size=` (or `/api/v1/…`, the
 *   page's path before 2025-09-29, D-levels): a Spring page of steps in the order they ran.
 *
 * A run's tests are its script's `testCases`, else made from its final counts the way `reports.ts` deals them to the
 * devices (passed, failed, aborted, stopped, not executed, in turn), so the JSON results and the JUnit report agree.
 * What an aborted or stopped test's steps say is not documented: the simulator's words for them are its own.
 */
import type { ServerResponse } from 'node:http'
import { errorBody, sendJson, springNotFound } from './answers.js'
import { countsOf, FINISHED, PlanScript, SimRun, SimStep, SimTestCase } from './plans.js'
import type { SimRuns } from './runs.js'

/** Which of the results endpoints the simulated server has. */
export interface ResultsOptions {
  /** Serve the case list; default true. */
  caseList?: boolean
  /** The step results' path version, or none at all; default v2. */
  steps?: 'v2' | 'v1' | 'none'
  /** The largest page of steps served, whatever `size` asks; default 100 (Spring's own cap is 2000). */
  maxPageSize?: number
}

export const CASE_LIST_PATH = /^\/api\/v1\/execution_results\/(\d+)\/test_case_results$/
export const STEP_RESULTS_PATH = /^\/api\/(v1|v2)\/test_runs\/(\d+)\/test_case_results\/(\d+)\/step_results$/

// The default tests' failing step: what Testsigma says when an element cannot be found (its words, D-levels' sample).
const FAILED_STEP: SimStep = {
  action: 'Click on Pay button',
  result: 'FAILURE',
  message: 'Unable to perform click/check action on element, Element is not displayed.',
  errorType: 'ASSERT_ERROR',
  errorCode: 1000001
}
const PASSED_STEPS = ['Navigate to https://shop.example.com/', 'Enter qa-bot in the Username field', 'Click on Login']

/** The scripted tests of `run`, else its tests made from its counts. */
export function testCasesOf(runs: SimRuns, run: SimRun): SimTestCase[] {
  if (run.scriptedTests !== undefined) return run.scriptedTests
  if (run.rerunsFailedOf !== undefined) {
    // The parent's tests that did not pass, run again, each passing (D-rerun's ONLY_FAILED_TESTS).
    return testCasesOf(runs, run.rerunsFailedOf)
      .filter(testCase => testCase.result !== 'SUCCESS')
      .map(({ name, device, suite }) => ({ name, device, suite, result: 'SUCCESS' }))
  }
  const scripted = run.depth === 0 ? run.plan.testCases : run.plan.reRuns?.[run.depth - 1]?.testCases
  if (scripted !== undefined) return scripted
  const counts = countsOf(runs.currentFrame(run))
  const results: string[] = []
  const add = (result: string, howMany: number): void => {
    for (let i = 0; i < howMany; i++) results.push(result)
  }
  add('SUCCESS', counts.passed)
  add('FAILURE', counts.failed)
  add('ABORTED', counts.aborted)
  add('STOPPED', counts.stopped)
  add('NOT_EXECUTED', counts.notExecuted)
  return results.map((result, i) => defaultCase(run.plan, result, i))
}

/** The i-th default test: named and dealt to a device as `reports.ts`'s JUnit report does. */
function defaultCase(plan: PlanScript, result: string, i: number): SimTestCase {
  const devices = plan.devices ?? ['Chrome 120 on Windows 11']
  const n = i + 1
  return {
    name: plan.caseNames?.[(n - 1) % plan.caseNames.length] ?? `Test case ${n}`,
    device: devices[i % devices.length],
    suite: `${plan.name} suite`,
    result
  }
}

/** The steps a test shows: its script's, else made from its result (the failing step is the (n % 4 + 2)-th). */
export function stepsOf(testCase: SimTestCase, index: number): SimStep[] {
  if (testCase.steps !== undefined) return testCase.steps
  const passed = (count: number): SimStep[] =>
    Array.from({ length: count }, (_, i) => ({
      action: PASSED_STEPS[i % PASSED_STEPS.length],
      result: 'SUCCESS',
      message: 'Step executed successfully'
    }))
  const notExecuted = (actions: string[]): SimStep[] =>
    actions.map(action => ({ action, result: 'NOT_EXECUTED', message: 'Major Test step failed.' }))
  switch (testCase.result) {
    case 'SUCCESS':
      return passed(3)
    case 'FAILURE':
      return [...passed((index % 4) + 1), FAILED_STEP, ...notExecuted(['Verify that the order is confirmed'])]
    case 'ABORTED':
      // Invented words: the docs show no aborted test's steps.
      return [
        ...passed(1),
        { action: 'Click on Checkout', result: 'ABORTED', message: 'The test session ended unexpectedly.' }
      ]
    default:
      // Stopped and not executed tests ran no step.
      return []
  }
}

/** Serves the case list of a run, or its 404s. */
export function serveCaseList(runs: SimRuns, path: string, response: ServerResponse, options: ResultsOptions): void {
  if (runs.dialect !== 'cloud' || options.caseList === false) return springNotFound(response, path)
  const runId = Number(CASE_LIST_PATH.exec(path)?.[1])
  const run = runs.runs.get(runId)
  if (run === undefined) return sendJson(response, 404, errorBody(`Resource not found for id: ${runId}`, '0'))
  const frame = runs.currentFrame(run)
  const cases = frame.status === FINISHED ? testCasesOf(runs, run) : []
  sendJson(response, 200, {
    executionId: Number(run.plan.id),
    executionResultId: run.id,
    result: frame.result,
    status: frame.status,
    testCases: cases.map((testCase, i) => ({
      testCaseId: 400 + i,
      testCaseName: testCase.name,
      testCaseResultId: caseResultId(run, i),
      result: testCase.result,
      isDataDrivenCase: testCase.iterations !== undefined,
      iterationResults: (testCase.iterations ?? []).map((iteration, j) => ({
        iterationResultId: caseResultId(run, i) * 100 + j + 1,
        ...iteration
      })),
      testSuiteId: 197,
      testSuiteName: testCase.suite ?? `${run.plan.name} suite`,
      testSuiteResultId: run.id * 10 + 1,
      machineId: 414 + deviceIndex(cases, testCase.device),
      machineTitle: testCase.device,
      machineResultId: run.id * 10 + 2 + deviceIndex(cases, testCase.device)
    }))
  })
}

/** Serves one page of a test case result's steps (`page` from 0, `size` capped), or its 404s. */
export function serveStepPage(
  runs: SimRuns,
  path: string,
  query: URLSearchParams,
  response: ServerResponse,
  options: ResultsOptions
): void {
  const [, version, runText, caseText] = STEP_RESULTS_PATH.exec(path) ?? []
  if (runs.dialect !== 'cloud' || (options.steps ?? 'v2') !== version) return springNotFound(response, path)
  const run = runs.runs.get(Number(runText))
  const index = run === undefined ? -1 : Number(caseText) - caseResultId(run, 0)
  const cases = run === undefined ? [] : testCasesOf(runs, run)
  if (run === undefined || index < 0 || index >= cases.length) {
    return sendJson(response, 404, errorBody(`Resource not found for id: ${caseText}`, '0'))
  }
  const size = Math.min(Math.max(1, Number(query.get('size') ?? 20) || 20), options.maxPageSize ?? 100)
  const page = Math.max(0, Number(query.get('page') ?? 0) || 0)
  const steps = stepsOf(cases[index], index)
  const content = steps.slice(page * size, (page + 1) * size).map((step, i) => ({
    id: `00000000-0000-4000-8000-${String(run.id * 1000 + index * 100 + page * size + i).padStart(12, '0')}`,
    testMachineResultId: run.id * 10 + 2,
    testCaseResultId: Number(caseText),
    testCaseId: 400 + index,
    stepId: 2847 + page * size + i,
    type: 'NLP_TEXT',
    action: step.action,
    message: step.message ?? null,
    errorCode: step.errorCode ?? null,
    errorType: step.errorType ?? null,
    result: step.result,
    conditionalResult: null,
    visualTestResult: null,
    duration: step.result === 'SUCCESS' ? 1133 : 0,
    visualEnabled: false
  }))
  const totalPages = Math.max(1, Math.ceil(steps.length / size))
  // Spring's page fields; the docs' sample says `totalElements: null`, as served here.
  sendJson(response, 200, {
    content,
    totalElements: null,
    totalPages,
    pageable: null,
    last: page + 1 >= totalPages,
    numberOfElements: content.length,
    first: page === 0,
    sort: null,
    number: page,
    size,
    empty: content.length === 0
  })
}

/** A test case result's id: unique per run and case, and from it the case's place in the run. */
function caseResultId(run: SimRun, index: number): number {
  return run.id * 1000 + index + 1
}

function deviceIndex(cases: readonly SimTestCase[], device: string): number {
  return [...new Set(cases.map(testCase => testCase.device))].indexOf(device)
}
