import { Clock, isAbort } from './clock.js'
import type { Config } from './config.js'
import { parseJunitReport, writeJunitReport } from './report/junit.js'
import { formatDuration, oneLine, RunReport } from './report/report.js'
import { RetryPolicy, withShortStreak, withRetry } from './retry.js'
import { describeProgress, KNOWN_STATUSES, RunState, runUrl } from './run.js'
import type { TestsigmaClient, TriggerRequest } from './testsigma/client.js'
import { waitForCompletion } from './wait.js'

/** Where the step's log goes; `@actions/core` in the action, a recorder in tests. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  startGroup(name: string): void
  endGroup(): void
}

export interface StepDeps {
  client: TestsigmaClient
  clock: Clock
  log: Log
  /** Aborts when the job is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  /** Called as soon as the run exists, so its id and link are out even if the step is killed later. */
  onRunStarted?: (runId: string, runUrl: string) => void
  retryPolicy?: RetryPolicy
  random?: () => number
  /** Time limit for the best-effort stop request. */
  stopTimeoutMs?: number
}

// The runner kills the step 7.5 s after the first signal; the stop must leave room to report.
const DEFAULT_STOP_TIMEOUT_MS = 3000

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
  try {
    started = await withRetry(() => client.triggerRun(triggerRequest(config), signal), {
      request: 'trigger',
      clock,
      deadline,
      signal,
      policy: withShortStreak(deps.retryPolicy),
      random: deps.random,
      onRetry: (error, attempt, delayMs) => {
        // One warning per streak; the trigger is only retried when no run was started.
        if (attempt === 1)
          log.warning(`Trigger not accepted (${oneLine(error.message)}); retrying in ${formatDuration(delayMs)}`)
      }
    })
  } catch (error) {
    if (signal.aborted || isAbort(error)) return { ...base, outcome: 'cancelled' }
    return { ...base, outcome: 'failed', error: oneLine((error as Error).message) }
  }

  const url = runUrl(config.baseUrl, started.runId)
  const report: RunReport = { ...base, runId: started.runId, runUrl: url, state: started }
  log.info(`Run ${started.runId} started: ${url}`)
  deps.onRunStarted?.(started.runId, url)
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
    retryPolicy: deps.retryPolicy,
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
      return { ...finished, ...(await fetchJunitReport(config, started.runId, outcome.state.passed, deps)) }
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
    await deps.client.stopRun(runId, AbortSignal.timeout(deps.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS))
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
 * the failed tests. Never throws: a report that cannot be had or read is one warning, and the verdict
 * stands. A passed run has no failed tests to list, so there, unless a file was asked for, it is an info line.
 */
async function fetchJunitReport(
  config: Config,
  runId: string,
  passed: boolean,
  deps: StepDeps
): Promise<Pick<RunReport, 'junitReportPath' | 'testCases' | 'reportWarning'>> {
  const target = config.junitReport
  const missing = (reason: string): Pick<RunReport, 'junitReportPath' | 'reportWarning'> => {
    if (target === undefined && passed) {
      deps.log.info(`No JUnit report read: ${reason}`)
      return { junitReportPath: undefined }
    }
    const message =
      target === undefined
        ? `Failed tests are not listed: ${reason}`
        : passed
          ? `No JUnit report written to ${target.path}: ${reason}`
          : `No JUnit report written to ${target.path}, and failed tests are not listed: ${reason}`
    deps.log.warning(message)
    return { junitReportPath: undefined, reportWarning: message }
  }

  let xml: string
  try {
    xml = await withRetry(() => deps.client.getJunitReport(runId, deps.signal), {
      request: 'read',
      clock: deps.clock,
      signal: deps.signal,
      policy: withShortStreak(deps.retryPolicy),
      random: deps.random
    })
  } catch (error) {
    return missing(oneLine((error as Error).message))
  }

  let junitReportPath: string | undefined
  if (target !== undefined) {
    try {
      await writeJunitReport(target.absolutePath, xml)
      deps.log.info(`JUnit report written to ${target.path}`)
      junitReportPath = target.path
    } catch (error) {
      deps.log.warning(`No JUnit report written to ${target.path}: ${oneLine((error as Error).message)}`)
    }
  }
  try {
    return { junitReportPath, testCases: await parseJunitReport(xml) }
  } catch (error) {
    const reason = oneLine((error as Error).message)
    if (passed) {
      deps.log.info(`No JUnit report read: ${reason}`)
      return { junitReportPath }
    }
    const message = `Failed tests are not listed: ${reason}`
    deps.log.warning(message)
    return { junitReportPath, reportWarning: message }
  }
}
