/** After the run: its JUnit report, once, for the file and the failed tests; never in the way of the verdict. */
import type { Config } from './config.js'
import { junitNotes } from './report/junit-notes.js'
import type { TestCaseResult } from './report/junit.js'
import { readJunitHere } from './report/junit-reader.js'
import type { RunReport } from './report/report.js'
import { withRetry, withShortStreak } from './retry.js'
import type { StepDeps } from './step.js'
import type { RunState } from './testsigma/run-state.js'
import { describeBytes } from './testsigma/transport.js'
import { oneLine } from './text.js'
import { writeReportFile } from './workspace.js'

// The verdict is known when the report is fetched: reporting must not hold it back longer than this.
const JUNIT_GIVE_UP_MS = 60_000
// Reading it takes a few seconds at most within its caps (report/junit-limits.ts); never longer than this.
const JUNIT_READ_LIMIT_MS = 20_000
// A report this large gets a line in the log before it is read: reading it takes a moment.
const LARGE_REPORT_CHARS = 1024 * 1024

/**
 * One request for the JUnit XML of the run that decided the verdict, used both for the file (when `junit-report`
 * asks for one) and for the failed tests. Never throws: what could not be had is said as `junitNotes` decides, and
 * the verdict stands.
 */
export async function fetchJunitReport(
  config: Config,
  state: RunState,
  deps: StepDeps,
  /** timeout-minutes' end (clock time): no retry starts after it, whatever is left of the minute. */
  deadline: number
): Promise<Pick<RunReport, 'junitReportPath' | 'testCases' | 'testsSource' | 'reportWarning'>> {
  // The run that decided the verdict: each run of a chain has its own report (docs §6.1).
  const runId = state.finalRunId
  const target = config.junitReport
  const facts: Parameters<typeof junitNotes>[0] = { passed: state.passed, target: target?.path }
  let testCases: TestCaseResult[] | undefined
  let written = false
  try {
    // Each request too ends within the minute, not only the retries.
    const client = deps.client.within(JUNIT_GIVE_UP_MS)
    const xml = await withRetry(() => client.getJunitReport(runId, deps.signal), {
      request: 'read',
      clock: deps.clock,
      deadline: Math.min(deadline, deps.clock.now() + JUNIT_GIVE_UP_MS),
      signal: deps.signal,
      policy: withShortStreak(),
      random: deps.random
    })
    if (target !== undefined) {
      try {
        await writeReportFile(target, xml)
        written = true
      } catch (error) {
        facts.writeError = oneLine((error as Error).message)
      }
    }
    // Within what is left of timeout-minutes, off the main thread in the bundle (StepDeps.readJunit).
    const leftMs = deadline - deps.clock.now()
    if (leftMs <= 0) {
      facts.parseError = 'no time was left within timeout-minutes to read the JUnit report'
    } else {
      if (xml.length >= LARGE_REPORT_CHARS) {
        deps.log.info(`Reading the JUnit report of run ${runId} (${describeBytes(xml.length)})`)
      }
      try {
        const reader = deps.readJunit ?? readJunitHere
        testCases = await reader.read(
          xml,
          { planName: state.planName },
          { timeLimitMs: Math.min(JUNIT_READ_LIMIT_MS, leftMs), signal: deps.signal }
        )
      } catch (error) {
        facts.parseError = oneLine((error as Error).message)
      }
    }
  } catch (error) {
    facts.fetchError = oneLine((error as Error).message)
  }

  const notes = junitNotes(facts)
  for (const line of notes.log) deps.log[line.level](line.message)
  return {
    junitReportPath: written ? target?.path : undefined,
    testCases,
    testsSource: testCases === undefined ? undefined : 'junit',
    reportWarning: notes.reportWarning
  }
}
