import type { RunReport } from './report.js'

/**
 * The step's outputs for a report: every value that is known, as text. Counts the API left null are
 * "0"; what is not known (no run, no duration yet) is left out rather than set to a placeholder.
 */
export function runOutputs(report: RunReport): Record<string, string> {
  const outputs: Record<string, string> = {}
  if (report.runId !== undefined) outputs['run-id'] = report.runId
  if (report.runUrl !== undefined) outputs['run-url'] = report.runUrl
  const { state } = report
  if (state !== undefined) {
    outputs.result = state.result
    outputs.status = state.status
    outputs['total-count'] = String(state.counts.total)
    outputs['passed-count'] = String(state.counts.passed)
    outputs['failed-count'] = String(state.counts.failed)
    outputs['aborted-count'] = String(state.counts.aborted)
    outputs['stopped-count'] = String(state.counts.stopped)
    outputs['not-executed-count'] = String(state.counts.notExecuted)
    if (state.durationMs !== undefined) outputs['duration-ms'] = String(state.durationMs)
  }
  outputs['junit-report'] = report.junitReportPath ?? ''
  return outputs
}
