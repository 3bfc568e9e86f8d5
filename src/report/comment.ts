import {
  countsTable,
  elsewhere,
  escapeMarkdown,
  failedTestsSection,
  headingOf,
  reportSource,
  reRunLine
} from './markdown.js'
import type { RunReport } from './report.js'

/** What the comment is about: the commit the run tested, and where the workflow run is. */
export interface CommentContext {
  /** The pull request's head commit (`pull_request.head.sha`). */
  commitSha: string
  /** e.g. https://github.com/octo/shop/commit/<sha>; the SHA is shown without a link when absent. */
  commitUrl?: string
  /** The GitHub Actions run that wrote the comment. */
  workflowRunUrl?: string
}

// GitHub refuses a comment body over 65,536 characters; the failed tests get far less than that.
const COMMENT_VISIBLE_ROWS = 10
const COMMENT_MAX_ROWS = 30
const COMMENT_FAILED_TESTS_BUDGET_BYTES = 24 * 1024

/**
 * The pull-request comment's markdown: the result, the counts, the failed tests (a few), the run link and
 * the commit it ran on. Pure; every server text escaped. The marker that finds it again is GitHub's business
 * (`github/pr-comment.ts`).
 */
export function renderComment(report: RunReport, context: CommentContext): string {
  const lines = [`### ${headingOf(report)}`, '', ...reRunLine(report)]
  const { state } = report
  if (state !== undefined && report.outcome !== 'triggered') lines.push(...countsTable(state.counts), '')
  if (report.testCases !== undefined) {
    lines.push(
      ...failedTestsSection(report.testCases, {
        visibleRows: COMMENT_VISIBLE_ROWS,
        maxRows: COMMENT_MAX_ROWS,
        budgetBytes: COMMENT_FAILED_TESTS_BUDGET_BYTES,
        elsewhere: `the job summary / ${elsewhere(report)}`,
        source: reportSource(report)
      })
    )
  }
  if (report.reportWarning !== undefined) lines.push(`> ${escapeMarkdown(report.reportWarning)}`, '')
  if (report.error !== undefined) lines.push(`> ${escapeMarkdown(report.error)}`, '')

  const facts: string[] = []
  if (report.runId !== undefined && report.runUrl !== undefined) {
    facts.push(`**Run:** [${report.runId}](${report.runUrl})`)
  }
  facts.push(`**Test plan:** ${report.testPlanId}`)
  const short = context.commitSha.replace(/[^0-9a-f]/gi, '').slice(0, 7)
  facts.push(`**Commit:** ${context.commitUrl === undefined ? `\`${short}\`` : `[\`${short}\`](${context.commitUrl})`}`)
  if (context.workflowRunUrl !== undefined) facts.push(`[Workflow run](${context.workflowRunUrl})`)
  lines.push(facts.join(' · '), '')
  return lines.join('\n')
}
