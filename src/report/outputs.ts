import type { RunReport } from './report.js'

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
  // "Re-run failed jobs": the run whose failed tests `run-id` re-ran; unset when the plan ran in full.
  if (report.reRunOf !== undefined) outputs['rerun-of'] = report.reRunOf.runId
  // The app build this step uploaded: set once Testsigma stored it, even when no run followed.
  if (report.app !== undefined) {
    outputs['upload-id'] = String(report.app.uploadId)
    outputs['upload-version-id'] = String(report.app.versionId)
  }
  return outputs
}
