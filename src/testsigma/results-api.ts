/**
 * The per-test and per-step results endpoints (docs/testsigma-api.md §6.4): which tests of a run did not pass, and
 * at which step. One request per call; the caller pages, retries and falls back (to the JUnit report when the server
 * has none of these, as the open-source server has not).
 */
import type { Connection } from './connection.js'
import { isStray404 } from './dialect.js'
import { TestsigmaError } from './errors.js'
import { ResultsShapeError, StepPage, stepPageOf, TestCaseList, testCaseListOf } from './test-results.js'
import type { HttpAnswer } from './transport.js'

/**
 * The versions of the step results' path, newest first: the docs moved it from `/api/v1/test_runs` to
 * `/api/v2/test_runs` on 2025-09-29 (D-levels), so a server may have either.
 */
export const STEP_RESULTS_VERSIONS = ['v2', 'v1'] as const
export type StepResultsVersion = (typeof STEP_RESULTS_VERSIONS)[number]

/** The run's test cases and their results, one per case and device. */
export async function getTestCaseList(
  connection: Connection,
  runId: string,
  signal?: AbortSignal
): Promise<TestCaseList> {
  const what = `the test case results of run ${runId}`
  const answer = await connection.send('GET', `/api/v1/execution_results/${runId}/test_case_results`, what, signal)
  check(connection, what, answer)
  return readAs(() => testCaseListOf(connection.readJson(answer, what), runId), what)
}

/** One page (0 first) of a test case result's steps, in the order they ran. */
export async function getStepPage(
  connection: Connection,
  request: { runId: string; caseResultId: string; page: number; pageSize: number; version: StepResultsVersion },
  signal?: AbortSignal
): Promise<StepPage> {
  const { runId, caseResultId, page, pageSize, version } = request
  const what = `the step results of test case result ${caseResultId} of run ${runId}`
  const path =
    `/api/${version}/test_runs/${runId}/test_case_results/${caseResultId}/step_results` +
    `?page=${page}&size=${pageSize}`
  const answer = await connection.send('GET', path, what, signal)
  check(connection, what, answer)
  return readAs(() => stepPageOf(connection.readJson(answer, what), pageSize), what)
}

/** A 200, or the error that says what the answer was; a path the server does not have is marked as such. */
function check(connection: Connection, what: string, answer: HttpAnswer): void {
  if (answer.statusCode === 200) return
  const refused = connection.refusal(what, answer)
  if (isStray404(answer.statusCode, answer.body)) refused.missingPath = true
  throw refused
}

function readAs<T>(read: () => T, what: string): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof ResultsShapeError) {
      throw new TestsigmaError(`${error.message} (in answer to ${what})`, { kind: 'malformed', permanent: true })
    }
    throw error
  }
}
