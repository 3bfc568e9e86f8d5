import type { RunReport } from './report.js'
import { countsTable, elsewhere, escapeMarkdown, failedTestsSection, headingOf } from './summary.js'

/** What the comment is about: the commit the run tested, and where the workflow run is. */
export interface CommentContext {
  /** The pull request's head commit (`pull_request.head.sha`). */
  commitSha: string
  /** e.g. https://github.com/octo/shop/commit/<sha>; the SHA is shown without a link when absent. */
  commitUrl?: string
  /** The GitHub Actions run that wrote the comment. */
  workflowRunUrl?: string
}

/** A comment as the list endpoint returns it; only what the decision reads. */
export interface ExistingComment {
  id: number
  body?: string | null
}

export type CommentAction = { kind: 'create' } | { kind: 'update'; commentId: number }

// GitHub refuses a comment body over 65,536 characters; the failed tests get far less than that.
const COMMENT_VISIBLE_ROWS = 10
const COMMENT_MAX_ROWS = 30
const COMMENT_FAILED_TESTS_BUDGET_BYTES = 24 * 1024

/**
 * The hidden first line that finds this action's comment again. It names the test plan, so several test
 * plans in one pull request keep one comment each.
 */
export function commentMarker(testPlanId: string): string {
  return `<!-- testsigma-test-plan-action:plan=${testPlanId} -->`
}

/** Update the first comment that starts with the marker; create one when none does. */
export function decideCommentAction(comments: readonly ExistingComment[], marker: string): CommentAction {
  // Starts with, not contains: a person quoting the comment's source must not have their comment overwritten.
  const earlier = comments.find(comment => (comment.body ?? '').trimStart().startsWith(marker))
  return earlier === undefined ? { kind: 'create' } : { kind: 'update', commentId: earlier.id }
}

/**
 * The pull-request comment: the marker, the result, the counts, the failed tests (a few), the run link
 * and the commit it ran on. Pure; every server text escaped.
 */
export function renderComment(report: RunReport, context: CommentContext): string {
  const lines = [commentMarker(report.testPlanId), `### ${headingOf(report)}`, '']
  const { state } = report
  if (state !== undefined && report.outcome !== 'triggered') lines.push(...countsTable(state.counts), '')
  if (report.testCases !== undefined) {
    lines.push(
      ...failedTestsSection(report.testCases, {
        visibleRows: COMMENT_VISIBLE_ROWS,
        maxRows: COMMENT_MAX_ROWS,
        budgetBytes: COMMENT_FAILED_TESTS_BUDGET_BYTES,
        elsewhere: `the job summary / ${elsewhere(report)}`
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
