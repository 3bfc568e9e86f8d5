import { Annotation, annotationPlanFor, failedTestAnnotations } from './annotations.js'
import { runOutputs } from './outputs.js'
import type { RunReport } from './report.js'
import { renderSummary } from './summary.js'
import { decideVerdict, Verdict } from './verdict.js'

/** Everything the step publishes about a report, decided in one place; `main.ts` only emits it. */
export interface Publication {
  outputs: Record<string, string>
  /** The failed tests' annotations (the verdict's own annotation is `verdict`). */
  annotations: Annotation[]
  /** The job summary's markdown. */
  summary: string
  verdict: Verdict
}

export function planPublication(report: RunReport): Publication {
  const verdict = decideVerdict(report)
  return {
    outputs: runOutputs(report),
    annotations: failedTestAnnotations(report.testCases ?? [], annotationPlanFor(report, verdict)),
    summary: renderSummary(report, verdict),
    verdict
  }
}
