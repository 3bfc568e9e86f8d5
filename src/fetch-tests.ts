/**
 * After the run: which tests did not pass, on which device, at which step and why. Testsigma's JSON results first
 * (`fetch-results.ts`, within `RESULTS_BUDGET_MS`); its JUnit report (`fetch-report.ts`) only when those are not to
 * be had (the open-source server, an older server, a refusal, a failure). Both map into `ReportedTest`s; the
 * `junit-report` file is the action's own rendering of the JSON results, else Testsigma's report as it came. Never
 * throws and never changes the verdict: the log says which source was used, in one line, and a failure is one
 * warning.
 */
import type { Config } from './config.js'
import { fetchJunitReport } from './fetch-report.js'
import { fetchTestResults, ResultsRead } from './fetch-results.js'
import { renderJunitFile } from './report/junit-writer.js'
import type { RunReport } from './report/report.js'
import { didNotPass, ReportedTest, testsFromResults } from './report/tests.js'
import type { StepDeps } from './step.js'
import { runUrl } from './testsigma/links.js'
import type { RunState } from './testsigma/run-state.js'
import { oneLine } from './text.js'
import { writeReportFile } from './workspace.js'

/**
 * How long reading the JSON results may take, at most (and never past timeout-minutes): the case list, then the
 * failing step of the first 25 tests that did not pass, 4 at a time. On Testsigma's cloud that takes well under a
 * second; a server that hangs costs this much before the JUnit report is read instead.
 */
export const RESULTS_BUDGET_MS = 5000

export type TestsFacts = Pick<RunReport, 'junitReportPath' | 'testCases' | 'testsSource' | 'reportWarning'>

/** The tests of the run that decided the verdict (`state.finalRunId`), and the `junit-report` file. */
export async function fetchTests(
  config: Config,
  state: RunState,
  deps: StepDeps,
  /** timeout-minutes' end (clock time). */
  deadline: number
): Promise<TestsFacts> {
  const runId = state.finalRunId
  const until = Math.min(deadline, deps.clock.now() + RESULTS_BUDGET_MS)
  const outcome = await fetchTestResults(runId, deps, { until })
  if (outcome.kind === 'unavailable') {
    const line = outcome.missing
      ? `Testsigma has no JSON test results for run ${runId} here (${outcome.reason}); reading its JUnit report`
      : `Testsigma's JSON test results of run ${runId} could not be read (${outcome.reason}); reading its JUnit report`
    // A server without the endpoints is no fault; one that failed to answer is, once.
    deps.log[outcome.missing ? 'info' : 'warning'](line)
    return { ...(await fetchJunitReport(config, state, deps, deadline)) }
  }
  // The worker that would have read Testsigma's JUnit report is not needed.
  deps.readJunit?.release?.()
  const { results } = outcome
  const tests = testsFromResults(results.cases, results.failingSteps)
  deps.log.info(describeSource(runId, tests, results))
  const facts: TestsFacts = { testCases: tests, testsSource: 'results' }
  if (results.stepsWarning !== undefined) {
    const warning = `The failing step of some tests is not shown: ${results.stepsWarning}`
    deps.log.warning(warning)
    facts.reportWarning = warning
  }
  const target = config.junitReport
  if (target !== undefined) {
    const xml = renderJunitFile(tests, {
      planName: state.planName ?? `Test plan ${config.testPlanId}`,
      runId,
      runUrl: runUrl(config.baseUrl, runId)
    })
    try {
      await writeReportFile(target, xml)
      facts.junitReportPath = target.path
      deps.log.info(`JUnit report written to ${target.path} (from Testsigma's JSON test results)`)
    } catch (error) {
      const warning = `No JUnit report written to ${target.path}: ${oneLine((error as Error).message)}`
      deps.log.warning(warning)
      facts.reportWarning ??= warning
    }
  }
  return facts
}

/** "Tests of run 337 from Testsigma's JSON test results: 16 results, 7 did not pass, failing step read for 6". */
function describeSource(runId: string, tests: readonly ReportedTest[], results: ResultsRead): string {
  const notPassed = tests.filter(didNotPass).length
  const kept = results.total > tests.length ? ` (the first ${tests.length} of ${results.total} kept)` : ''
  const steps = notPassed === 0 ? '' : `, failing step read for ${results.failingSteps.size}`
  return (
    `Tests of run ${runId} from Testsigma's JSON test results: ${tests.length} results${kept}, ` +
    `${notPassed} did not pass${steps}`
  )
}
