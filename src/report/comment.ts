import { failedTestsSection } from './failed-tests.js'
import {
  answerLine,
  appFact,
  countsTable,
  devicesInline,
  headingOf,
  noteList,
  reportNotes,
  reportSource
} from './markdown.js'
import type { RunReport } from './report.js'
import type { Verdict } from './verdict.js'

/** What the comment is about: the commit the run tested, and where the workflow run is. */
export interface CommentContext {
  /** The pull request's head commit (`pull_request.head.sha`). */
  commitSha: string
  /** e.g. https://github.com/octo/shop/commit/<sha>; the SHA is shown without a link when absent. */
  commitUrl?: string
  /** The GitHub Actions run that wrote the comment: its page holds the job summary. */
  workflowRunUrl?: string
}

// GitHub refuses a comment body over 65,536 characters; the failed tests get far less than that.
const COMMENT_VISIBLE_ROWS = 10
const COMMENT_MAX_ROWS = 30
const COMMENT_FAILED_TESTS_BUDGET_BYTES = 24 * 1024

/**
 * The pull-request comment's markdown: the heading and the answer, the counts, the devices, a few of the tests that
 * did not pass, the notes, the commit it ran on and a link to the workflow run. Nothing that lives only on the
 * runner (the JUnit file). Pure; every server text escaped. The marker that finds it again is GitHub's business
 * (`github/pr-comment.ts`).
 */
export function renderComment(report: RunReport, verdict: Verdict, context: CommentContext): string {
  const lines = [`### ${headingOf(report)}`, '', answerLine(report), '']
  const { state } = report
  if (state !== undefined && report.outcome !== 'triggered') {
    lines.push(...countsTable(state.counts, report.outcome === 'finished'), '')
  }
  const summary =
    context.workflowRunUrl === undefined ? 'the job summary' : `the [job summary](${context.workflowRunUrl})`
  if (report.testCases !== undefined) {
    lines.push(...devicesInline(report.testCases, reportSource(report)))
    lines.push(
      ...failedTestsSection(report.testCases, {
        visibleRows: COMMENT_VISIBLE_ROWS,
        maxRows: COMMENT_MAX_ROWS,
        budgetBytes: COMMENT_FAILED_TESTS_BUDGET_BYTES,
        elsewhere: summary,
        source: reportSource(report)
      })
    )
  }
  lines.push(...noteList(reportNotes(report, verdict, 'comment')))

  const facts: string[] = [`**Test plan:** ${report.testPlanId}`]
  const app = appFact(report)
  if (app !== undefined) facts.push(app)
  const short = context.commitSha.replace(/[^0-9a-f]/gi, '').slice(0, 7)
  facts.push(`**Commit:** ${context.commitUrl === undefined ? `\`${short}\`` : `[\`${short}\`](${context.commitUrl})`}`)
  if (context.workflowRunUrl !== undefined) facts.push(`[Workflow run and job summary](${context.workflowRunUrl})`)
  lines.push(facts.join(' · '), '')
  return lines.join('\n')
}
