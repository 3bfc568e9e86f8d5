import { describeProgress, RunState } from '../testsigma/run-state.js'
import { formatDuration } from '../text.js'
import {
  countsTable,
  deviceLines,
  elsewhere,
  escapeCode,
  escapeMarkdown,
  failedTestsSection,
  headingOf,
  reportSource,
  reRunLine
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
  const lines: string[] = [`### ${headingOf(report)}`, '', ...reRunLine(report)]

  if (state !== undefined && report.outcome !== 'triggered') lines.push(...countsTable(state.counts), '')
  if (report.testCases !== undefined) {
    lines.push(...deviceLines(report.testCases))
    lines.push(
      ...failedTestsSection(report.testCases, {
        visibleRows: SUMMARY_VISIBLE_ROWS,
        maxRows: SUMMARY_MAX_ROWS,
        budgetBytes: SUMMARY_FAILED_TESTS_BUDGET_BYTES,
        elsewhere: elsewhere(report),
        source: reportSource(report)
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

/** What the summary says about re-runs and about counts Testsigma did not give. */
function chainNotes(report: RunReport, state: RunState): string[] {
  const notes: string[] = []
  if (state.reRunGivenUp === true) {
    notes.push(
      `The test plan re-runs tests that did not pass, but no re-run of run ${state.finalRunId} appeared in time: ` +
        'its result stands.'
    )
  }
  if (state.resultConflict !== undefined) {
    const { consolidated, finalRun } = state.resultConflict
    notes.push(
      escapeMarkdown(
        `Testsigma's chain result (consolidatedResult ${consolidated}) and the result of run ${state.finalRunId} ` +
          `(${finalRun || 'none'}) disagree; the step reports ${state.result}.`
      )
    )
  }
  const source = reportSource(report)
  if (source !== undefined && report.testCases !== undefined) {
    notes.push(`The devices and tests listed are from the JUnit report of ${source}, the run that decided the result.`)
  }
  if (report.testCases !== undefined && report.outcome === 'finished') {
    const ownTotal = state.chain[state.chain.length - 1].counts.total
    if (report.testCases.length !== ownTotal) {
      notes.push(
        `The JUnit report lists ${report.testCases.length} test case${report.testCases.length === 1 ? '' : 's'} ` +
          `where Testsigma's run object counts ${ownTotal}; the counts table is the run object's.`
      )
    }
  }
  if (state.abortedDerived === true) {
    notes.push("Aborted is derived: Testsigma's answer has no aborted count, so it is the total less the other counts.")
  }
  return notes
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
    const run = report.stop.runId === undefined ? 'The Testsigma run' : `Testsigma run ${report.stop.runId}`
    notes.push(
      report.stop.stopped
        ? `${run} was stopped (only this run: \`canStopAll: false\`).`
        : `${run} could not be stopped: ${escapeMarkdown(report.stop.detail ?? 'unknown reason')}`
    )
  }
  if (state !== undefined) notes.push(...chainNotes(report, state))
  if (verdict.level === 'warning') {
    notes.push('The run did not pass; the step stays green because `fail-on-failure` is false.')
  }
  if (report.reportWarning !== undefined) notes.push(escapeMarkdown(report.reportWarning))
  if (report.junitReportPath !== undefined)
    notes.push(`JUnit report written to \`${escapeCode(report.junitReportPath)}\`.`)
  return notes
}
