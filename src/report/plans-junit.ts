/**
 * The one JUnit file of a step that ran several test plans: every plan's tests, one `<testsuite>` per plan and
 * device, named "<plan> (<id>) · <device>" so that CI tools that list suites tell the plans apart. The suites are
 * the single plan's file's (`junit-writer.ts`), written from each plan's tests (`tests.ts`), so one format comes out
 * whatever each plan's tests were read from. Pure.
 */
import { junitSuites, JunitCounts, renderJunitRoot } from './junit-writer.js'
import type { RunReport } from './report.js'

/** The file's XML; a plan without tests (it never started, or its tests could not be read) has no suite. */
export function renderPlansJunit(plans: readonly RunReport[]): string {
  const suites: string[] = []
  const total: JunitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  let firstId = 0
  for (const plan of plans) {
    if (plan.testCases === undefined || plan.testCases.length === 0) continue
    const title =
      plan.state?.planName === undefined
        ? `Test plan ${plan.testPlanId}`
        : `${plan.state.planName} (${plan.testPlanId})`
    const runId = plan.state?.finalRunId ?? plan.runId ?? ''
    const { lines, counts } = junitSuites(
      plan.testCases,
      { planName: title, runId, runUrl: plan.finalRunUrl ?? plan.runUrl },
      { firstId, namePrefix: title }
    )
    firstId += new Set(plan.testCases.map(test => test.device)).size
    suites.push(...lines)
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) total[key] += counts[key]
  }
  return renderJunitRoot(`Testsigma: ${plans.length} test plans`, total, suites)
}
