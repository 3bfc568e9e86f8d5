import { clip, formatDuration } from '../text.js'
import { escapeMarkdown, escapeCode } from './escape.js'
import { failedTestsSection } from './failed-tests.js'
import {
  answerLine,
  appFact,
  countsTable,
  deviceLines,
  elsewhere,
  headingOf,
  noteList,
  reportNotes,
  reportSource,
  sentence
} from './markdown.js'
import type { ReportedMergeQueueEntry, RunReport } from './report.js'
import type { Verdict } from './verdict.js'

// GitHub refuses a step summary over 1 MiB. The failed tests get half of it, whatever the report's size;
// the rest of the summary is a few KiB (every cell is clipped before escaping, which at most grows it 6 times).
const SUMMARY_FAILED_TESTS_BUDGET_BYTES = 512 * 1024
const SUMMARY_VISIBLE_ROWS = 10
const SUMMARY_MAX_ROWS = 1000

/**
 * The job summary, as GitHub-flavoured markdown: the heading and the answer under it, then the counts, the devices,
 * the tests that did not pass, the run's facts and the notes. Pure: the caller writes it with `core.summary`.
 */
export function renderSummary(report: RunReport, verdict: Verdict): string {
  const { state } = report
  const lines: string[] = [`### ${headingOf(report)}`, '', answerLine(report), '']

  if (state !== undefined && report.outcome !== 'triggered') {
    lines.push(...countsTable(state.counts, report.outcome === 'finished'), '')
  }
  if (report.testCases !== undefined) {
    lines.push(...deviceLines(report.testCases, reportSource(report)))
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
  if (report.mergeQueue !== undefined) facts.push(mergeQueueFact(report.mergeQueue))
  const app = appFact(report)
  if (app !== undefined) facts.push(app)
  // The answer line links the run that decided; the triggered run gets its own link when that is another one.
  if (state !== undefined && state.reRuns > 0 && report.runUrl !== undefined) {
    facts.push(`**First run:** [${escapeMarkdown(state.runId)}](${report.runUrl})`)
  }
  facts.push(`**Test plan:** ${report.testPlanId}`)
  lines.push(facts.join(' · '), '')

  lines.push(...noteList(reportNotes(report, verdict, 'summary')))
  return lines.join('\n')
}

/**
 * "**Merge queue:** [#123](…) into `main` at [`abc1234`](…)": which queue entry a `merge_group` run tested, so that
 * the runs of one pull request in the queue can be told apart.
 */
export function mergeQueueFact(entry: ReportedMergeQueueEntry): string {
  const link = (text: string, url: string | undefined): string => (url === undefined ? text : `[${text}](${url})`)
  const branch = `\`${escapeCode(clip(entry.baseBranch, 100))}\``
  const commit = link(`\`${entry.headSha.slice(0, 7)}\``, entry.commitUrl)
  return `**Merge queue:** ${link(`#${entry.pullRequest}`, entry.pullRequestUrl)} into ${branch} at ${commit}`
}

/**
 * The job summary of a step stopped by an invalid input: nothing was sent, so it names the input and says what to
 * change (the message is the input error's, which shows a good value).
 */
export function renderInputErrorSummary(input: string, message: string): string {
  return [
    '### ⚠️ Testsigma: could not start',
    '',
    `**Could not start:** the input \`${escapeCode(input)}\` is not valid, so nothing was sent to Testsigma`,
    '',
    ...noteList([sentence(escapeMarkdown(message))]),
    ''
  ].join('\n')
}
