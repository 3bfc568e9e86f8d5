import { describeProgress } from '../testsigma/run-state.js'
import { formatDuration } from '../text.js'
import {
  countsTable,
  deviceLines,
  elsewhere,
  escapeCode,
  escapeMarkdown,
  failedTestsSection,
  headingOf
} from './markdown.js'
import type { RunReport } from './report.js'
import type { Verdict } from './verdict.js'

// GitHub refuses a step summary over 1 MiB. The failed tests get half of it, whatever the report's size;
// the rest of the summary is a few KiB (every cell is clipped before escaping, which at most grows it 6 times).
const SUMMARY_FAILED_TESTS_BUDGET_BYTES = 512 * 1024
const SUMMARY_VISIBLE_ROWS = 10
const SUMMARY_MAX_ROWS = 1000

/** The job summary, as GitHub-flavoured markdown. Pure: the caller writes it with `core.summary`. */
export function renderSummary(report: RunReport, verdict: Verdict): string {
  const { state } = report
  const lines: string[] = [`### ${headingOf(report)}`, '']

  if (state !== undefined && report.outcome !== 'triggered') lines.push(...countsTable(state.counts), '')
  if (report.testCases !== undefined) {
    lines.push(...deviceLines(report.testCases))
    lines.push(
      ...failedTestsSection(report.testCases, {
        visibleRows: SUMMARY_VISIBLE_ROWS,
        maxRows: SUMMARY_MAX_ROWS,
        budgetBytes: SUMMARY_FAILED_TESTS_BUDGET_BYTES,
        elsewhere: elsewhere(report)
      })
    )
  }

  const facts: string[] = []
  if (state?.durationMs !== undefined) facts.push(`**Duration:** ${formatDuration(state.durationMs)}`)
  const build = state?.buildNo ?? report.buildNumber
  if (build !== undefined) facts.push(`**Build:** ${escapeMarkdown(build)}`)
  if (report.runId !== undefined && report.runUrl !== undefined) {
    facts.push(`**Run:** [${report.runId}](${report.runUrl})`)
  }
  facts.push(`**Test plan:** ${report.testPlanId}`)
  lines.push(facts.join(' · '), '')

  const notes = summaryNotes(report, verdict)
  if (notes.length > 0) lines.push(...notes.map(note => `> ${note}`), '')
  return lines.join('\n')
}

function summaryNotes(report: RunReport, verdict: Verdict): string[] {
  const notes: string[] = []
  const { state } = report
  if (report.outcome === 'triggered')
    notes.push('The step did not wait for the run (`wait: false`); its result is in Testsigma.')
  if (report.outcome === 'timed-out' || report.outcome === 'cancelled' || report.outcome === 'failed') {
    if (state !== undefined) notes.push(`Last seen: ${escapeMarkdown(describeProgress(state))}`)
  }
  if (report.error !== undefined) notes.push(escapeMarkdown(report.error))
  if (report.stop !== undefined) {
    notes.push(
      report.stop.stopped
        ? 'The Testsigma run was stopped.'
        : `The Testsigma run could not be stopped: ${escapeMarkdown(report.stop.detail ?? 'unknown reason')}`
    )
  }
  if (verdict.level === 'warning') {
    notes.push('The run did not pass; the step stays green because `fail-on-failure` is false.')
  }
  if (report.reportWarning !== undefined) notes.push(escapeMarkdown(report.reportWarning))
  if (report.junitReportPath !== undefined)
    notes.push(`JUnit report written to \`${escapeCode(report.junitReportPath)}\`.`)
  return notes
}
