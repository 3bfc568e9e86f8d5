import { Clock, isAbort } from './clock.js'
import type { Config } from './config.js'
import type { Log } from './log.js'
import { parseJunitReport, TestCaseResult } from './report/junit.js'
import { junitNotes } from './report/junit-notes.js'
import type { RunReport } from './report/report.js'
import { withShortStreak, withRetry } from './retry.js'
import type { TestsigmaClient, TriggerRequest } from './testsigma/client.js'
import { describeProgress, KNOWN_STATUSES, RunState, runUrl, testPlanUrl } from './testsigma/run-state.js'
import { formatDuration, oneLine } from './text.js'
import { waitForCompletion } from './wait.js'
import { writeReportFile } from './workspace.js'

export interface StepDeps {
  client: TestsigmaClient
  clock: Clock
  log: Log
  /** Aborts when the job is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  /** Called as soon as the run exists, so its id and link are out even if the step is killed later. */
  onRunStarted?: (runId: string, runUrl: string) => void
  /** The retries' jitter; tests pin it. */
  random?: () => number
}

// The runner kills the step 7.5 s after the first signal; the stop must leave room to report.
const STOP_TIMEOUT_MS = 3000
// A trigger in flight when the job is cancelled gets this long to answer, so the run it started can be stopped.
const TRIGGER_GRACE_MS = 1000
// The verdict is known when the report is fetched: reporting must not hold it back longer than this.
const JUNIT_GIVE_UP_MS = 60_000

/** One step: trigger the test plan, wait for the run, fetch the JUnit report. Never throws for API faults. */
export async function runTestPlan(config: Config, deps: StepDeps): Promise<RunReport> {
  const { client, clock, log, signal } = deps
  const deadline = clock.now() + config.timeoutMs
  const base: RunReport = {
    outcome: 'failed',
    testPlanId: config.testPlanId,
    buildNumber: config.buildNumber,
    failOnFailure: config.failOnFailure,
    timeoutMs: config.timeoutMs
  }

  log.info(`Starting Testsigma test plan ${config.testPlanId} at ${config.baseUrl}`)
  let started: RunState
  // Not aborted at once by a cancellation: an answer within the grace names the run to stop.
  const triggerSignal = afterGrace(signal, TRIGGER_GRACE_MS)
  let unanswered = false
  const trigger = async (): Promise<RunState> => {
    try {
      return await client.triggerRun(triggerRequest(config), triggerSignal)
    } catch (error) {
      // Cut off by the end of the grace: the request went out, and whether it started a run is unknown.
      if (triggerSignal.aborted) unanswered = true
      throw error
    }
  }
  try {
    started = await withRetry(trigger, {
      request: 'trigger',
      clock,
      deadline,
      signal,
      policy: withShortStreak(),
      random: deps.random,
      onRetry: (error, attempt, delayMs) => {
        // One warning per streak; the trigger is only retried when no run was started.
        if (attempt === 1)
          log.warning(`Trigger not accepted (${oneLine(error.message)}); retrying in ${formatDuration(delayMs)}`)
      }
    })
  } catch (error) {
    if (unanswered) {
      const note =
        `The job was cancelled while the trigger was in flight, and no answer came: a run may have started. ` +
        `Check the runs of test plan ${config.testPlanId} at ${testPlanUrl(config.baseUrl, config.testPlanId)}`
      log.warning(note)
      return { ...base, outcome: 'cancelled', error: note }
    }
    if (signal.aborted || isAbort(error)) {
      // A trigger that failed on its own after the cancellation keeps its message (it may say a run started).
      return isAbort(error)
        ? { ...base, outcome: 'cancelled' }
        : { ...base, outcome: 'cancelled', error: oneLine((error as Error).message) }
    }
    return { ...base, outcome: 'failed', error: oneLine((error as Error).message) }
  }

  const url = runUrl(config.baseUrl, started.runId)
  const report: RunReport = { ...base, runId: started.runId, runUrl: url, state: started }
  log.info(`Run ${started.runId} started: ${url}`)
  deps.onRunStarted?.(started.runId, url)
  if (signal.aborted) {
    // The trigger answered within the grace after the job was cancelled.
    const cancelled: RunReport = { ...report, outcome: 'cancelled' }
    return config.stopOnCancel ? { ...cancelled, stop: await stopRun(started.runId, deps) } : cancelled
  }
  if (!config.wait) return { ...report, outcome: 'triggered' }

  log.startGroup(
    `Waiting for run ${started.runId} (status every ${formatDuration(config.pollIntervalMs)}, ` +
      `for at most ${formatDuration(config.timeoutMs)})`
  )
  let faultStreak = 0
  const outcome = await waitForCompletion({
    initial: started,
    readRun: requestSignal => client.getRun(started.runId, requestSignal),
    intervalMs: config.pollIntervalMs,
    deadline,
    clock,
    signal,
    random: deps.random,
    onChange: state => {
      log.info(describeProgress(state))
      if (!KNOWN_STATUSES.includes(state.status)) {
        log.info(`Status "${oneLine(state.status)}" is new to this action; waiting until it reads STATUS_COMPLETED`)
      }
    },
    onRetry: (error, attempt, delayMs) => {
      faultStreak = attempt
      // One warning per streak of faults, not one per attempt.
      if (attempt === 1)
        log.warning(
          `Status request failed (${oneLine(error.message)}); retrying with backoff, next in ${formatDuration(delayMs)}`
        )
    },
    onRecovered: faults => {
      faultStreak = 0
      log.info(`Status requests answer again after ${faults} failed attempt${faults === 1 ? '' : 's'}`)
    }
  })
  log.endGroup()

  switch (outcome.kind) {
    case 'finished': {
      const finished = { ...report, outcome: 'finished' as const, state: outcome.state }
      return { ...finished, ...(await fetchJunitReport(config, started.runId, outcome.state.passed, deps, deadline)) }
    }
    case 'failed': {
      const detail = faultStreak > 0 ? ` (after ${faultStreak} retries)` : ''
      return { ...report, outcome: 'failed', state: outcome.last, error: `${oneLine(outcome.error.message)}${detail}` }
    }
    case 'timed-out':
    case 'cancelled': {
      const ended: RunReport = { ...report, outcome: outcome.kind, state: outcome.last }
      if (!config.stopOnCancel) return ended
      return { ...ended, stop: await stopRun(started.runId, deps) }
    }
  }
}

/** A signal that aborts `graceMs` after `signal` does. */
function afterGrace(signal: AbortSignal, graceMs: number): AbortSignal {
  const later = new AbortController()
  const abortLater = (): void => {
    setTimeout(() => later.abort(signal.reason), graceMs)
  }
  if (signal.aborted) abortLater()
  else signal.addEventListener('abort', abortLater, { once: true })
  return later.signal
}

function triggerRequest(config: Config): TriggerRequest {
  const request: TriggerRequest = { executionId: Number(config.testPlanId) }
  if (config.buildNumber !== undefined) request.buildNo = config.buildNumber
  if (config.environmentId !== undefined) request.environmentId = config.environmentId
  if (config.uploadVersions !== undefined) request.uploadVersions = config.uploadVersions
  if (config.runtimeData !== undefined) request.runtimeData = config.runtimeData
  return request
}

/** Best effort, bounded in time, never throws: a failed stop is reported, not raised. */
async function stopRun(runId: string, deps: StepDeps): Promise<{ stopped: boolean; detail?: string }> {
  deps.log.info(`Stopping Testsigma run ${runId}`)
  try {
    // Not the cancelled job's signal: that one has already fired.
    await deps.client.stopRun(runId, AbortSignal.timeout(STOP_TIMEOUT_MS))
    deps.log.info(`Run ${runId} stopped`)
    return { stopped: true }
  } catch (error) {
    const detail = isAbort(error) ? 'no answer in time' : oneLine((error as Error).message)
    deps.log.warning(`Could not stop Testsigma run ${runId}: ${detail}`)
    return { stopped: false, detail }
  }
}

/**
 * One request for the run's JUnit XML, used both for the file (when `junit-report` asks for one) and for
 * the failed tests. Never throws: what could not be had is said as `junitNotes` decides, and the verdict
 * stands.
 */
async function fetchJunitReport(
  config: Config,
  runId: string,
  passed: boolean,
  deps: StepDeps,
  /** timeout-minutes' end (clock time): no retry starts after it, whatever is left of the minute. */
  deadline: number
): Promise<Pick<RunReport, 'junitReportPath' | 'testCases' | 'reportWarning'>> {
  const target = config.junitReport
  const facts: Parameters<typeof junitNotes>[0] = { passed, target: target?.path }
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
    try {
      testCases = parseJunitReport(xml)
    } catch (error) {
      facts.parseError = oneLine((error as Error).message)
    }
  } catch (error) {
    facts.fetchError = oneLine((error as Error).message)
  }

  const notes = junitNotes(facts)
  for (const line of notes.log) deps.log[line.level](line.message)
  return { junitReportPath: written ? target?.path : undefined, testCases, reportWarning: notes.reportWarning }
}
