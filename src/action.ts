import { Clock, isAbort } from './clock.js'
import type { Config } from './config.js'
import type { AppConfig } from './upload/app-inputs.js'
import type { Log } from './log.js'
import { loadJunitParser, parseJunitReport, TestCaseResult } from './report/junit.js'
import { junitNotes } from './report/junit-notes.js'
import type { RunReport } from './report/report.js'
import { withShortStreak, withRetry } from './retry.js'
import { TestsigmaClient } from './testsigma/client.js'
import { briefOf, TestsigmaError } from './testsigma/errors.js'
import { ApiDialect, inputsNotCarried, runsPath, serverName, TriggerRequest } from './testsigma/dialect.js'
import { runUrl, testPlanUrl } from './testsigma/links.js'
import { KNOWN_STATUSES, RunState, stopTarget } from './testsigma/run-state.js'
import { describeProgress } from './report/words.js'
import { clip, formatDuration, oneLine } from './text.js'
import { waitForCompletion } from './wait.js'
import type { UploadedApp } from './upload/upload-app.js'
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

/**
 * One step: trigger the test plan, wait for the run and its re-runs, fetch the JUnit report. Never throws for API
 * faults.
 */
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

  let app: UploadedApp | undefined
  if (config.app !== undefined) {
    const uploaded = await uploadStep(config.app, config, deps, deadline)
    if ('report' in uploaded) return { ...base, ...uploaded.report }
    app = uploaded.app
    base.app = app
  }

  log.info(`Starting Testsigma test plan ${config.testPlanId} at ${config.baseUrl}`)
  let start: { state: RunState; dialect: ApiDialect }
  // Not aborted at once by a cancellation: an answer within the grace names the run to stop.
  const trigger = { signal: afterGrace(signal, TRIGGER_GRACE_MS), unanswered: false }
  try {
    start = await startRun(config, deps, deadline, trigger, app)
  } catch (error) {
    if (trigger.unanswered) {
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
    return { ...base, outcome: 'failed', error: oneLine((error as Error).message), errorBrief: briefOf(error) }
  }
  const { state: started, dialect } = start
  const startedAt = clock.now()

  const url = runUrl(config.baseUrl, started.runId)
  const report: RunReport = { ...base, runId: started.runId, runUrl: url, finalRunUrl: url, state: started }
  log.info(`Run ${started.runId} started: ${url}`)
  deps.onRunStarted?.(started.runId, url)
  if (signal.aborted) {
    // The trigger answered within the grace after the job was cancelled.
    const cancelled: RunReport = { ...report, outcome: 'cancelled' }
    return config.stopOnCancel ? { ...cancelled, stop: await stopRun(started.runId, dialect, deps) } : cancelled
  }
  if (!config.wait) return { ...report, outcome: 'triggered' }
  // The run takes far longer than loading the report's parser: load it now, off both start-up and the verdict
  // (and not at all for a step that does not wait).
  loadJunitParser().catch(() => undefined)

  log.startGroup(
    `Waiting for run ${started.runId} (status every ${formatDuration(config.pollIntervalMs)}, ` +
      `for at most ${formatDuration(config.timeoutMs)})`
  )
  let faultStreak = 0
  let reRunsSeen = 0
  const outcome = await waitForCompletion({
    initial: started,
    readRun: requestSignal => client.getRun(started.runId, dialect, requestSignal),
    intervalMs: config.pollIntervalMs,
    deadline,
    clock,
    signal,
    random: deps.random,
    onChange: state => {
      if (state.reRuns > reRunsSeen) {
        reRunsSeen = state.reRuns
        log.info(
          `Re-run ${state.reRuns} of run ${started.runId} appeared: run ${state.finalRunId} ` +
            `(${runUrl(config.baseUrl, state.finalRunId)})`
        )
      }
      log.info(describeProgress(state, clock.now() - startedAt))
      if (!KNOWN_STATUSES.includes(state.status)) {
        log.info(`Status "${oneLine(state.status)}" is new to this action; waiting until it reads STATUS_COMPLETED`)
      }
    },
    onUnchanged: (state, unchangedForMs) => {
      log.info(`${describeProgress(state, clock.now() - startedAt)}; no change for ${formatDuration(unchangedForMs)}`)
    },
    onRetry: (error, attempt, delayMs, giveUpInMs) => {
      faultStreak = attempt
      announceRetry(log, 'Status request', error, attempt, delayMs, giveUpInMs)
    },
    onRecovered: faults => {
      faultStreak = 0
      log.info(`Status requests answer again after ${faults} failed attempt${faults === 1 ? '' : 's'}`)
    },
    onReRunAwaited: (state, graceMs) => {
      log.info(
        `Run ${state.finalRunId} completed ${state.result || 'without a result'} and its test plan re-runs tests ` +
          `that did not pass: waiting up to ${formatDuration(graceMs)} for the re-run`
      )
    }
  })
  log.endGroup()

  const last = outcome.kind === 'finished' ? outcome.state : outcome.last
  const ended: RunReport = { ...report, state: last, finalRunUrl: runUrl(config.baseUrl, last.finalRunId) }
  switch (outcome.kind) {
    case 'finished': {
      const state = outcome.state
      if (state.reRunGivenUp === true) {
        log.info(`No re-run of run ${state.finalRunId} appeared in time: its result ${state.result || '(none)'} stands`)
      }
      if (state.resultConflict !== undefined) {
        const { consolidated, finalRun } = state.resultConflict
        log.warning(
          `Testsigma's chain result (consolidatedResult ${consolidated}) and the result of run ${state.finalRunId} ` +
            `(${finalRun || 'none'}) disagree: reporting ${state.result}`
        )
      }
      const finished = { ...ended, outcome: 'finished' as const }
      return { ...finished, ...(await fetchJunitReport(config, state, deps, deadline)) }
    }
    case 'failed': {
      const detail = faultStreak > 0 ? ` (after ${faultStreak} retries)` : ''
      return {
        ...ended,
        outcome: 'failed',
        error: `${oneLine(outcome.error.message)}${detail}`,
        errorBrief: briefOf(outcome.error)
      }
    }
    case 'timed-out':
    case 'cancelled': {
      const stopped: RunReport = { ...ended, outcome: outcome.kind }
      if (!config.stopOnCancel) return stopped
      const target = stopTarget(outcome.last)
      if (target === undefined) {
        log.info(`Nothing to stop: every run of the chain (latest: run ${outcome.last.finalRunId}) has completed`)
        return stopped
      }
      return { ...stopped, stop: await stopRun(target, dialect, deps) }
    }
  }
}

/**
 * Sends the trigger in the dialect `api-dialect` names; in `auto`, the cloud's first and, when the server has no
 * such path (a 404 no handler answered: certainly nothing started), the open-source server's, which is then kept
 * for the rest of the step. Throws what the step reports.
 */
async function startRun(
  config: Config,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight,
  app: UploadedApp | undefined
): Promise<{ state: RunState; dialect: ApiDialect }> {
  const choice = config.apiDialect ?? 'auto'
  const request = triggerRequest(config, app)
  const first: ApiDialect = choice === 'open-source' ? 'open-source' : 'cloud'
  try {
    return { state: await sendTrigger(request, first, deps, deadline, trigger), dialect: first }
  } catch (error) {
    if (choice !== 'auto' || !(error instanceof TestsigmaError) || !error.missingPath) throw error
  }

  const cloudPath = runsPath('cloud')
  const notCarried = inputsNotCarried('open-source', request)
  if (notCarried.length > 0) {
    const inputs = notCarried.join(' and ')
    const cannotCarry = new TestsigmaError(
      `${config.baseUrl} has no ${cloudPath} (HTTP 404), so it is not Testsigma's cloud API; if it is a self-hosted ` +
        `open-source Testsigma server, its trigger cannot carry ${inputs}. No run was started. Remove ${inputs} ` +
        'and set api-dialect: open-source, or check base-url.',
      { kind: 'http', statusCode: 404 }
    )
    cannotCarry.brief = `the open-source server cannot take ${inputs}`
    throw cannotCarry
  }
  deps.log.info(
    `${config.baseUrl} has no ${cloudPath} (HTTP 404): trying ${serverName('open-source')}'s API ` +
      `(${runsPath('open-source')}), kept for the rest of this step`
  )
  try {
    return { state: await sendTrigger(request, 'open-source', deps, deadline, trigger), dialect: 'open-source' }
  } catch (error) {
    if (!(error instanceof TestsigmaError) || !error.missingPath) throw error
    const neither = new TestsigmaError(
      `${config.baseUrl} has neither ${cloudPath} nor ${runsPath('open-source')} (HTTP 404 for both), so no run ` +
        "was started. Check that base-url is the Testsigma server's address, without a path.",
      error.fault
    )
    neither.brief = 'base-url is not a Testsigma server'
    throw neither
  }
}

/**
 * The trigger's own signal, which aborts a grace period after the job's: a trigger answered within it names the
 * run to stop. `unanswered` is set when the grace ran out with the request in flight, when whether a run started is
 * unknown.
 */
interface TriggerInFlight {
  signal: AbortSignal
  unanswered: boolean
}

async function sendTrigger(
  request: TriggerRequest,
  dialect: ApiDialect,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight
): Promise<RunState> {
  const send = async (): Promise<RunState> => {
    try {
      return await deps.client.triggerRun(request, dialect, trigger.signal)
    } catch (error) {
      // Cut off by the end of the grace: the request went out, and whether it started a run is unknown.
      if (trigger.signal.aborted) trigger.unanswered = true
      throw error
    }
  }
  return withRetry(send, {
    request: 'trigger',
    clock: deps.clock,
    deadline,
    signal: deps.signal,
    policy: withShortStreak(),
    random: deps.random,
    // The trigger is only retried when no run was started.
    onRetry: (error, attempt, delayMs, giveUpInMs) =>
      announceRetry(deps.log, 'Trigger', error, attempt, delayMs, giveUpInMs)
  })
}

/**
 * A retry, said so that an outage does not look like a hang: one warning when a streak of faults starts, then an
 * info line per attempt with when the next one is and how long the retries go on.
 */
function announceRetry(
  log: Log,
  what: string,
  error: Error,
  attempt: number,
  delayMs: number,
  giveUpInMs: number
): void {
  const plan = `next attempt in ${formatDuration(delayMs)}, retrying for up to ${formatDuration(giveUpInMs)}`
  if (attempt === 1) log.warning(`${what} failed (${oneLine(error.message)}); ${plan}`)
  else log.info(`${what} failed again (attempt ${attempt}: ${clip(oneLine(error.message), 200)}); ${plan}`)
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

/**
 * Uploads the app build (`app-file`) before the trigger. Returns the uploaded version, or the report of a step that
 * starts no run: the upload failed, or the job was cancelled meanwhile.
 */
async function uploadStep(
  appConfig: AppConfig,
  config: Config,
  deps: StepDeps,
  deadline: number
): Promise<{ app: UploadedApp } | { report: Partial<RunReport> }> {
  let stored: UploadedApp | undefined
  try {
    // Loaded only for an app build: most steps upload none, and start-up pays for what it loads.
    const [{ inspectAppFile }, { uploadApp }] = await Promise.all([
      import('./upload/app-file.js'),
      import('./upload/upload-app.js')
    ])
    const archive = appConfig.archive ?? (await inspectAppFile(appConfig.file))
    const limits = { deadline, pollIntervalMs: config.pollIntervalMs, onStored: (app: UploadedApp) => (stored = app) }
    return { app: await uploadApp(appConfig, archive, deps, limits) }
  } catch (error) {
    const facts: Partial<RunReport> = stored === undefined ? {} : { app: stored }
    if (deps.signal.aborted || isAbort(error)) {
      const note = 'The job was cancelled while the app build was uploaded or processed; no run was started.'
      deps.log.warning(note)
      return { report: { ...facts, outcome: 'cancelled', error: note } }
    }
    const message = oneLine((error as Error).message)
    return { report: { ...facts, outcome: 'failed', error: message, errorBrief: briefOf(error) } }
  }
}

/** The trigger's fields; `app-devices` install the version this step uploaded, beside `upload-versions`. */
function triggerRequest(config: Config, app?: UploadedApp): TriggerRequest {
  const request: TriggerRequest = { testPlanId: config.testPlanId }
  if (config.buildNumber !== undefined) request.buildNo = config.buildNumber
  if (config.environmentId !== undefined) request.environmentId = config.environmentId
  const appVersions =
    app === undefined || config.app === undefined
      ? undefined
      : Object.fromEntries(config.app.devices.map(device => [device, app.versionId]))
  if (config.uploadVersions !== undefined || appVersions !== undefined) {
    request.uploadVersions = { ...config.uploadVersions, ...appVersions }
  }
  if (config.runtimeData !== undefined) request.runtimeData = config.runtimeData
  return request
}

/** Best effort, bounded in time, never throws: a failed stop is reported, not raised. Stops this run only. */
async function stopRun(runId: string, dialect: ApiDialect, deps: StepDeps): Promise<NonNullable<RunReport['stop']>> {
  deps.log.info(`Stopping Testsigma run ${runId}`)
  try {
    // Not the cancelled job's signal: that one has already fired.
    await deps.client.stopRun(runId, dialect, AbortSignal.timeout(STOP_TIMEOUT_MS))
    deps.log.info(`Run ${runId} stopped`)
    return { stopped: true, runId }
  } catch (error) {
    const detail = isAbort(error) ? 'no answer in time' : oneLine((error as Error).message)
    deps.log.warning(`Could not stop Testsigma run ${runId}: ${detail}`)
    return { stopped: false, runId, detail }
  }
}

/**
 * One request for the JUnit XML of the run that decided the verdict, used both for the file (when `junit-report`
 * asks for one) and for the failed tests. Never throws: what could not be had is said as `junitNotes` decides, and
 * the verdict stands.
 */
async function fetchJunitReport(
  config: Config,
  state: RunState,
  deps: StepDeps,
  /** timeout-minutes' end (clock time): no retry starts after it, whatever is left of the minute. */
  deadline: number
): Promise<Pick<RunReport, 'junitReportPath' | 'testCases' | 'reportWarning'>> {
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
    try {
      testCases = await parseJunitReport(xml, { planName: state.planName })
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
