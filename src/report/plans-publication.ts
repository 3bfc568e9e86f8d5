/**
 * What a step that ran several test plans publishes: one verdict for the set, the existing outputs as aggregates
 * plus `runs` (one object per plan), the failed tests' annotations across plans, and the summary. Pure; a step with
 * one plan is published by `publication.ts` as before.
 */
import { Annotation, ANNOTATIONS_PER_STEP, failedTestAnnotations } from './annotations.js'
import { failedTestsOutput, runOutputs } from './outputs.js'
import { passedCount, planPassed, PlansReport } from './plans-report.js'
import { renderPlansSummary } from './plans-summary.js'
import type { Publication } from './publication.js'
import type { RunReport } from './report.js'
import { didNotPass, ReportedTest } from './tests.js'
import { decideVerdict, Verdict } from './verdict.js'

export function planPlansPublication(report: PlansReport): Publication {
  const verdict = decidePlansVerdict(report)
  return {
    outputs: plansOutputs(report),
    annotations: plansAnnotations(report, verdict),
    summary: renderPlansSummary(report, verdict),
    verdict
  }
}

/** "2 of 3 test plans passed" with the words of every plan that did not; green only when every plan passed. */
export function decidePlansVerdict(report: PlansReport): Verdict {
  const count = report.plans.length
  const verdicts = report.plans.map(decideVerdict)
  const level = verdicts.some(v => v.level === 'error')
    ? 'error'
    : verdicts.some(v => v.level === 'warning')
      ? 'warning'
      : 'info'
  const head = answerOfSet(report)
  const others = verdicts.filter(v => v.level !== 'info').map(v => v.message)
  const message = others.length === 0 ? head : `${head}. ${others.join('; ')}`
  if (level !== 'warning') return { level, message }
  const notPassed = count - passedCount(report)
  return { level, title: `${notPassed} of ${count} test plans did not pass (fail-on-failure: false)`, message }
}

/** "2 of 3 test plans passed"; with `wait: false`, "3 of 3 test plans started; not waiting for them (wait: false)". */
export function answerOfSet(report: PlansReport): string {
  const count = report.plans.length
  const started = report.plans.filter(plan => plan.outcome === 'triggered').length
  if (started > 0) return `${started} of ${count} test plans started; not waiting for them (wait: false)`
  return `${passedCount(report)} of ${count} test plans passed`
}

/** One plan in the `runs` output: what a later step needs to tell the plans apart. */
export interface PlanRunOutput {
  testPlanId: string
  testPlanName: string | null
  outcome: RunReport['outcome']
  runId: string | null
  runUrl: string | null
  finalRunId: string | null
  /** On a later attempt, the run whose failed tests this plan's run re-ran (`rerun-of` for one plan); else null. */
  rerunOf: string | null
  result: string | null
  status: string | null
  counts: Record<'total' | 'passed' | 'failed' | 'aborted' | 'stopped' | 'notExecuted', number | null>
  durationMs: number | null
  /** Why the plan did not start or could not be followed, in a few words. */
  error: string | null
}

export function planRunOutput(plan: RunReport): PlanRunOutput {
  const { state } = plan
  const c = state?.counts
  return {
    testPlanId: plan.testPlanId,
    testPlanName: state?.planName ?? null,
    outcome: plan.outcome,
    runId: plan.runId ?? null,
    runUrl: plan.runUrl ?? null,
    finalRunId: state?.finalRunId ?? null,
    rerunOf: plan.reRunOf?.runId ?? null,
    result: state?.result ?? null,
    status: state?.status ?? null,
    counts: {
      total: c?.total ?? null,
      passed: c?.passed ?? null,
      failed: c?.failed ?? null,
      aborted: c?.aborted ?? null,
      stopped: c?.stopped ?? null,
      notExecuted: c?.notExecuted ?? null
    },
    durationMs: state?.durationMs ?? null,
    error: plan.errorBrief ?? plan.error ?? null
  }
}

const SUMMED = [
  'total-count',
  'passed-count',
  'failed-count',
  'aborted-count',
  'stopped-count',
  'not-executed-count',
  're-run-count'
]

/**
 * The outputs of one plan, aggregated: `run-id`, `run-url` and `final-run-id` are the first plan's (left out when it
 * started no run); `result` is SUCCESS only when every plan passed, else the first other result (NOT_EXECUTED for a plan that started no
 * run); `status` is
 * STATUS_COMPLETED only when every run completed; counts are summed over the plans that
 * started a run (a count one of them lacks is left out);
 * `duration-ms` is the longest run's. `runs` has every plan.
 */
export function plansOutputs(report: PlansReport): Record<string, string> {
  const each = report.plans.map(runOutputs)
  const outputs: Record<string, string> = {}
  const first = each[0]
  for (const name of ['run-id', 'run-url', 'final-run-id']) {
    if (first[name] !== undefined) outputs[name] = first[name]
  }
  // A plan that started no run was not executed: never SUCCESS, and never an empty result beside a passed plan.
  const results = report.plans.map(plan => (plan.state === undefined ? 'NOT_EXECUTED' : plan.state.result))
  outputs.result = report.plans.every(planPassed)
    ? 'SUCCESS'
    : (results.find(result => result !== 'SUCCESS') ?? results[0])
  const statuses = each.map(values => values.status)
  if (statuses.some(status => status !== undefined)) {
    outputs.status = statuses.find(status => status !== 'STATUS_COMPLETED') ?? 'STATUS_COMPLETED'
  }
  // The plans that have a run: one that never started adds nothing, and takes nothing away.
  const counted = each.filter((_, index) => report.plans[index].state !== undefined)
  for (const name of SUMMED) {
    if (counted.length > 0 && counted.every(values => values[name] !== undefined)) {
      outputs[name] = String(counted.reduce((sum, values) => sum + Number(values[name]), 0))
    }
  }
  const durations = each.map(values => values['duration-ms']).filter(value => value !== undefined)
  if (durations.length > 0) outputs['duration-ms'] = String(Math.max(...durations.map(Number)))
  outputs['junit-report'] = report.junitReportPath ?? ''
  if (report.app !== undefined) {
    outputs['upload-id'] = String(report.app.uploadId)
    outputs['upload-version-id'] = String(report.app.versionId)
  }
  // Set when some plan's tests are known: each entry names its plan (`testPlanId`), the plans taken in turn.
  if (report.plans.some(plan => plan.testCases !== undefined)) {
    const inTurn = failedTestsInTurn(report)
    const planOf = new Map(inTurn.map(({ plan, test }) => [test, plan.testPlanId]))
    outputs['failed-tests'] = failedTestsOutput(
      inTurn.map(({ test }) => test),
      test => planOf.get(test) ?? ''
    )
  }
  outputs.runs = JSON.stringify(report.plans.map(planRunOutput))
  return outputs
}

/**
 * The tests that did not pass, of every plan, taken in turn (each plan's first, then each plan's second, …) so that
 * every plan that failed shows within a limit (the annotations', the `failed-tests` output's), each with its plan.
 */
export function failedTestsInTurn(report: PlansReport): Array<{ plan: RunReport; test: ReportedTest }> {
  const perPlan = report.plans.map(plan => (plan.testCases ?? []).filter(didNotPass).map(test => ({ plan, test })))
  const inTurn: Array<{ plan: RunReport; test: ReportedTest }> = []
  for (let i = 0; perPlan.some(tests => i < tests.length); i++) {
    for (const tests of perPlan) if (i < tests.length) inTurn.push(tests[i])
  }
  return inTurn
}

/** The failed tests' annotations across plans, within GitHub's limit per step; each title names its plan. */
export function plansAnnotations(report: PlansReport, verdict: Verdict): Annotation[] {
  const tests = failedTestsInTurn(report).map(({ plan, test }) => ({ ...test, name: `${planTag(plan)}: ${test.name}` }))
  return failedTestAnnotations(tests, {
    level: verdict.level === 'error' ? 'error' : 'warning',
    limit: ANNOTATIONS_PER_STEP - (verdict.level === 'info' ? 0 : 1)
  })
}

/** "Checkout flow (2048)", or "Test plan 2048" when the name is unknown: plain text, for titles and the log. */
export function planTag(plan: RunReport): string {
  const name = plan.state?.planName
  return name === undefined ? `Test plan ${plan.testPlanId}` : `${name} (${plan.testPlanId})`
}
