import { clip, oneLine } from '../text.js'
import type { RunReport } from './report.js'
import { didNotPass, ReportedTest } from './tests.js'

/** `failed-tests` holds at most this many entries, and at most this many bytes (UTF-8): a later step reads it whole. */
export const FAILED_TESTS_MAX_ENTRIES = 100
export const FAILED_TESTS_MAX_BYTES = 32 * 1024
const NAME_LIMIT = 200
const DEVICE_LIMIT = 100
const ACTION_LIMIT = 200
const MESSAGE_LIMIT = 500

/**
 * The step's outputs for a report: every value that is known, as text. Counts the API left null are
 * "0"; what is not known (no run, no duration yet, an aborted count not in the answer) is left out rather than set
 * to a placeholder. Result and counts are the chain's (the run and its re-runs).
 */
export function runOutputs(report: RunReport): Record<string, string> {
  const outputs: Record<string, string> = {}
  if (report.runId !== undefined) outputs['run-id'] = report.runId
  if (report.runUrl !== undefined) outputs['run-url'] = report.runUrl
  const { state } = report
  if (state !== undefined) {
    outputs['final-run-id'] = state.finalRunId
    outputs['re-run-count'] = String(state.reRuns)
    outputs.result = state.result
    outputs.status = state.status
    outputs['total-count'] = String(state.counts.total)
    outputs['passed-count'] = String(state.counts.passed)
    outputs['failed-count'] = String(state.counts.failed)
    // Unknown until the run finished when Testsigma's answer has no aborted count; then derived (run-state.ts).
    if (state.counts.aborted !== undefined) outputs['aborted-count'] = String(state.counts.aborted)
    outputs['stopped-count'] = String(state.counts.stopped)
    outputs['not-executed-count'] = String(state.counts.notExecuted)
    if (state.durationMs !== undefined) outputs['duration-ms'] = String(state.durationMs)
  }
  outputs['junit-report'] = report.junitReportPath ?? ''
  // Unset when the tests are not known (no run finished, or neither of Testsigma's reports could be read).
  if (report.testCases !== undefined) outputs['failed-tests'] = failedTestsOutput(report.testCases)
  // "Re-run failed jobs": the run whose failed tests `run-id` re-ran; unset when the plan ran in full.
  if (report.reRunOf !== undefined) outputs['rerun-of'] = report.reRunOf.runId
  // The app build this step uploaded: set once Testsigma stored it, even when no run followed.
  if (report.app !== undefined) {
    outputs['upload-id'] = String(report.app.uploadId)
    outputs['upload-version-id'] = String(report.app.versionId)
  }
  return outputs
}

/** One entry of `failed-tests`: a test that did not pass on one device. */
export interface FailedTestEntry {
  name: string
  device: string
  /** Testsigma's word (FAILURE, ABORTED, STOPPED, NOT_EXECUTED, …); null when its JUnit report was the source. */
  result: string | null
  /** The first failing step; null when its steps were not read or showed none. */
  step: { position: number; action: string } | null
  /** The failing step's message, else the JUnit failure's message; null when none. */
  message: string | null
  /** A data-driven test's data sets that did not pass; only for such tests. */
  iterations?: string[]
}

/**
 * `failed-tests`: a JSON array of the tests that did not pass, one entry per test and device, in the order of the
 * results, at most `FAILED_TESTS_MAX_ENTRIES` entries and `FAILED_TESTS_MAX_BYTES` bytes (the entries that do not
 * fit are left out; `failed-count` and the summary have them all). Every text one line and clipped.
 */
export function failedTestsOutput(
  tests: readonly ReportedTest[],
  /** With several plans: each test's plan, the entry's `testPlanId` (first). */
  planOf?: (test: ReportedTest) => string
): string {
  const entries: string[] = []
  let bytes = 2
  for (const test of tests.filter(didNotPass).slice(0, FAILED_TESTS_MAX_ENTRIES)) {
    const fields = failedTestEntry(test)
    const entry = JSON.stringify(planOf === undefined ? fields : { testPlanId: planOf(test), ...fields })
    bytes += Buffer.byteLength(entry) + (entries.length === 0 ? 0 : 1)
    if (bytes > FAILED_TESTS_MAX_BYTES) break
    entries.push(entry)
  }
  return `[${entries.join(',')}]`
}

function failedTestEntry(test: ReportedTest): FailedTestEntry {
  const message = test.step !== undefined ? test.step.message : test.failureMessage
  const entry: FailedTestEntry = {
    name: clip(oneLine(test.name), NAME_LIMIT),
    device: clip(oneLine(test.device), DEVICE_LIMIT),
    result: test.result ?? null,
    step:
      test.step === undefined
        ? null
        : { position: test.step.position, action: clip(oneLine(test.step.action), ACTION_LIMIT) },
    message: message === undefined ? null : clip(oneLine(message), MESSAGE_LIMIT)
  }
  if (test.failedIterations !== undefined)
    entry.iterations = test.failedIterations.slice(0, 20).map(name => clip(oneLine(name), NAME_LIMIT))
  return entry
}
