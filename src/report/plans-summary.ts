/**
 * The job summary and the pull-request comment of a step that ran several test plans: the answer for the whole step
 * ("2 of 3 test plans passed"), one row per plan, the failed tests grouped by plan, the notes of each plan. The
 * blocks are the single plan's (`markdown.ts`, `failed-tests.ts`); every server text is escaped on its way in. Pure.
 */
import { clip, formatDuration } from '../text.js'
import type { CommentContext } from './comment.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import { failedTestsSection } from './failed-tests.js'
import { appFact, capitalize, elsewhere, headline, iconOf, noteList, reportNotes, sentence } from './markdown.js'
import { passedCount, PlansReport } from './plans-report.js'
import type { RunReport } from './report.js'
import { countByDevice } from './tests.js'
import { mergeQueueFact } from './summary.js'
import { decideVerdict, Verdict } from './verdict.js'

const NAME_LIMIT = 100
// The failed tests share the budget of one plan's (summary.ts, comment.ts), split evenly between the plans.
const SUMMARY_FAILED_TESTS_BUDGET_BYTES = 512 * 1024
const COMMENT_FAILED_TESTS_BUDGET_BYTES = 24 * 1024

interface Where {
  kind: 'summary' | 'comment'
  visibleRows: number
  maxRows: number
  budgetBytes: number
  /** Where the unlisted tests are, for the comment (its job summary); the summary names each plan's places. */
  elsewhere?: string
}

export function renderPlansSummary(report: PlansReport, verdict: Verdict): string {
  const lines = renderPlans(report, verdict, {
    kind: 'summary',
    visibleRows: 10,
    maxRows: 1000,
    budgetBytes: SUMMARY_FAILED_TESTS_BUDGET_BYTES
  })
  const facts = setFacts(report)
  if (report.mergeQueue !== undefined) facts.splice(1, 0, mergeQueueFact(report.mergeQueue))
  lines.push(facts.join(' · '), '')
  const notes: string[] = []
  if (report.junitReportPath !== undefined) {
    notes.push(`JUnit report of every plan written to \`${escapeCode(report.junitReportPath)}\`.`)
  }
  if (report.junitWarning !== undefined) notes.push(sentence(escapeMarkdown(report.junitWarning)))
  lines.push(...noteList(notes))
  return lines.join('\n')
}

export function renderPlansComment(report: PlansReport, verdict: Verdict, context: CommentContext): string {
  const summary =
    context.workflowRunUrl === undefined ? 'the job summary' : `the [job summary](${context.workflowRunUrl})`
  const lines = renderPlans(report, verdict, {
    kind: 'comment',
    visibleRows: 5,
    maxRows: 15,
    budgetBytes: COMMENT_FAILED_TESTS_BUDGET_BYTES,
    elsewhere: summary
  })
  const facts = setFacts(report)
  const short = context.commitSha.replace(/[^0-9a-f]/gi, '').slice(0, 7)
  facts.push(`**Commit:** ${context.commitUrl === undefined ? `\`${short}\`` : `[\`${short}\`](${context.commitUrl})`}`)
  if (context.workflowRunUrl !== undefined) facts.push(`[Workflow run and job summary](${context.workflowRunUrl})`)
  lines.push(facts.join(' · '), '')
  return lines.join('\n')
}

/** The heading, the table of plans, the failed tests by plan and each plan's notes. */
function renderPlans(report: PlansReport, verdict: Verdict, where: Where): string[] {
  const lines = [`### ${headingOfSet(report)}`, '', ...plansTable(report.plans), '']
  const budget = Math.floor(where.budgetBytes / report.plans.length)
  for (const plan of report.plans) {
    if (plan.testCases === undefined) continue
    lines.push(
      ...failedTestsSection(plan.testCases, {
        visibleRows: where.visibleRows,
        maxRows: where.maxRows,
        budgetBytes: budget,
        elsewhere: where.elsewhere ?? elsewhere(plan),
        source: planSource(plan)
      })
    )
  }
  const notes = report.plans.flatMap(plan =>
    reportNotes(plan, decideVerdict(plan), where.kind).map(note => `**${planName(plan)}:** ${note}`)
  )
  if (verdict.level === 'warning') {
    notes.push('Not every plan passed; the step stays green because `fail-on-failure` is false.')
  }
  lines.push(...noteList(notes))
  return lines
}

/** "❌ Testsigma: 2 of 3 test plans passed". */
function headingOfSet(report: PlansReport): string {
  const count = report.plans.length
  const started = report.plans.filter(plan => plan.outcome === 'triggered').length
  if (started > 0) return `${started === count ? '🚀' : '⚠️'} Testsigma: ${started} of ${count} test plans started`
  const passed = passedCount(report)
  return `${passed === count ? '✅' : '❌'} Testsigma: ${passed} of ${count} test plans passed`
}

/** One row per plan: its name, how it ended, its counts, devices, duration and run. */
export function plansTable(plans: readonly RunReport[]): string[] {
  const rows = plans.map(plan => {
    const { state } = plan
    const c = state?.counts
    const other = c === undefined ? '—' : String((c.aborted ?? 0) + c.stopped + c.notExecuted)
    const devices = plan.testCases === undefined ? '—' : String(countByDevice(plan.testCases).length)
    const duration = state?.durationMs === undefined ? '—' : formatDuration(state.durationMs)
    return (
      `| ${planName(plan)} | ${planResult(plan)} | ${c?.total ?? '—'} | ${c?.passed ?? '—'} | ${c?.failed ?? '—'} | ` +
      `${other} | ${devices} | ${duration} | ${runLink(plan)} |`
    )
  })
  return [
    '| Test plan | Result | Total | Passed | Failed | Other | Devices | Duration | Run |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows
  ]
}

/** "Checkout flow (2048)", escaped; "Test plan 2048" while the name is unknown. */
function planName(plan: RunReport): string {
  const name = plan.state?.planName
  if (name === undefined) return `Test plan ${plan.testPlanId}`
  return `${escapeMarkdown(clip(name.replace(/\s+/g, ' '), NAME_LIMIT))} (${plan.testPlanId})`
}

/** "✅ Passed", "❌ Failed", "⚠️ Could not start: test plan not found", in this action's words. */
function planResult(plan: RunReport): string {
  const icon = iconOf(plan.outcome, plan.state?.passed ?? false)
  const words = escapeMarkdown(capitalize(headline(plan)))
  const reRuns = plan.state?.reRuns ?? 0
  const after = reRuns === 0 ? '' : ` (re-run ${reRuns})`
  const why = plan.outcome === 'failed' && plan.errorBrief !== undefined ? `: ${escapeMarkdown(plan.errorBrief)}` : ''
  return `${icon} ${words}${after}${why}`
}

/** "[338](…)", or "[338 → 339](…)" to the run that decided a chain. */
function runLink(plan: RunReport): string {
  if (plan.runId === undefined) return '—'
  const final = plan.state?.finalRunId
  const text = final === undefined || final === plan.runId ? plan.runId : `${plan.runId} → ${final}`
  const url = plan.finalRunUrl ?? plan.runUrl
  return url === undefined ? escapeMarkdown(text) : `[${escapeMarkdown(text)}](${url})`
}

/** Whose failed tests these are: the plan, and the re-run whose report it is. */
function planSource(plan: RunReport): string {
  const { state } = plan
  if (state === undefined || state.reRuns === 0) return planName(plan)
  return `${planName(plan)}, run ${escapeMarkdown(state.finalRunId)} (re-run ${state.reRuns})`
}

/** Build, app and the plans, shared by the summary and the comment. */
function setFacts(report: PlansReport): string[] {
  const facts: string[] = []
  const build = report.plans.find(plan => plan.state?.buildNo !== undefined)?.state?.buildNo ?? report.buildNumber
  if (build !== undefined) facts.push(`**Build:** ${escapeMarkdown(build)}`)
  const app = appFact({ ...report.plans[0], app: report.app })
  if (app !== undefined) facts.push(app)
  facts.push(`**Test plans:** ${report.plans.map(plan => plan.testPlanId).join(', ')}`)
  return facts
}
