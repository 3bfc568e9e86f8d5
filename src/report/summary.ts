import { describeProgress } from '../run.js'
import { formatDuration, oneLine, RunReport } from './report.js'

const HEADINGS: Record<RunReport['outcome'], (passed: boolean) => string> = {
  finished: passed => (passed ? '✅' : '❌'),
  triggered: () => '🚀',
  'timed-out': () => '⏱️',
  cancelled: () => '🛑',
  failed: () => '⚠️'
}

/** The job summary, as GitHub-flavoured markdown. Pure: the caller writes it with `core.summary`. */
export function renderSummary(report: RunReport): string {
  const { state } = report
  const name = escapeMarkdown(state?.planName ?? `Test plan ${report.testPlanId}`)
  const icon = HEADINGS[report.outcome](state?.passed ?? false)
  const lines: string[] = [`### ${icon} Testsigma: ${name} — ${headline(report)}`, '']

  if (state !== undefined && report.outcome !== 'triggered') {
    const c = state.counts
    lines.push(
      '| Total | Passed | Failed | Aborted | Stopped | Not executed |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${c.total} | ${c.passed} | ${c.failed} | ${c.aborted} | ${c.stopped} | ${c.notExecuted} |`,
      ''
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

  const notes = summaryNotes(report)
  if (notes.length > 0) lines.push(...notes.map(note => `> ${note}`), '')
  return lines.join('\n')
}

function headline(report: RunReport): string {
  const { state } = report
  switch (report.outcome) {
    case 'finished':
      return escapeMarkdown(state?.result || 'no result')
    case 'triggered':
      return 'started, not waited for'
    case 'timed-out':
      return `timed out after ${formatDuration(report.timeoutMs)}`
    case 'cancelled':
      return 'cancelled'
    case 'failed':
      return 'could not be followed'
  }
}

function summaryNotes(report: RunReport): string[] {
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
  if (report.outcome === 'finished' && state !== undefined && !state.passed && !report.failOnFailure) {
    notes.push('The run did not pass; the step stays green because `fail-on-failure` is false.')
  }
  if (report.junitReportPath !== undefined)
    notes.push(`JUnit report written to \`${escapeCode(report.junitReportPath)}\`.`)
  return notes
}

/**
 * Text from the server or the user, made inert in markdown: one line, HTML and table pipes escaped,
 * markdown punctuation backslash-escaped so a name cannot add links, emphasis or headings.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
}

function escapeCode(text: string): string {
  return oneLine(text).replace(/`/g, "'")
}
