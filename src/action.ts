import { isAbort } from './clock.js'
import type { Config } from './config.js'
import { fetchTests } from './fetch-tests.js'
import { announceRetry } from './log.js'
import { ReRunContext, startReRunIfDue } from './re-run.js'
import type { RunReport } from './report/report.js'
import { describeProgress } from './report/words.js'
import type { StepDeps } from './step.js'
import { stopLimitMs } from './step-bounds.js'
import { afterGrace, startRun } from './trigger.js'
import type { ApiDialect } from './testsigma/dialect.js'
import { briefOf } from './testsigma/errors.js'
import { runUrl, testPlanUrl } from './testsigma/links.js'
import { withFirstRunCounts } from './testsigma/re-run-counts.js'
import { KNOWN_STATUSES, RunState, stopTarget } from './testsigma/run-state.js'
import { formatDuration, oneLine } from './text.js'
import type { AppConfig } from './upload/app-inputs.js'
import type { UploadedApp } from './upload/upload-app.js'
import { waitForCompletion } from './wait.js'

// A trigger in flight when the job is cancelled gets this long to answer, so the run it started can be stopped.
const TRIGGER_GRACE_MS = 1000

/** What a step that runs several plans did once for all of them, and how this plan fits among them. */
export interface PreparedPlan {
  /** The app build already uploaded for every plan: this plan uploads none. */
  app?: UploadedApp
  /** When the first status read comes after the trigger (default: one poll interval): spreads the plans' reads. */
  firstPollAfterMs?: number
  /**
   * On a later attempt of the workflow run: this plan's run in an earlier attempt, as found, which may turn the trigger
   * into a re-run of that run's failed tests (`re-run.ts`).
   */
  reRun?: ReRunContext
}

/** A plan's report before anything happened: a failure until something better is known. */
export function reportBase(config: Config): RunReport {
  return {
    outcome: 'failed',
    testPlanId: config.testPlanId,
    buildNumber: config.buildNumber,
    failOnFailure: config.failOnFailure,
    timeoutMs: config.timeoutMs
  }
}

/**
 * One step: trigger the test plan, wait for the run and its re-runs, read which tests did not pass and why. Never
 * throws for API faults.
 */
export async function runTestPlan(config: Config, deps: StepDeps, prepared: PreparedPlan = {}): Promise<RunReport> {
  const { client, clock, log, signal } = deps
  const deadline = deps.deadline ?? clock.now() + config.timeoutMs
  const base = reportBase(config)

  let app = prepared.app
  if (app !== undefined) base.app = app
  else if (config.app !== undefined) {
    const uploaded = await uploadStep(config.app, config, deps, deadline)
    if ('report' in uploaded) return { ...base, ...uploaded.report }
    app = uploaded.app
    base.app = app
  }

  log.info(`Starting Testsigma test plan ${config.testPlanId} at ${config.baseUrl}`)
  let start: { state: RunState; dialect: ApiDialect }
  // Not aborted at once by a cancellation: an answer within the grace names the run to stop.
  const trigger = { signal: afterGrace(signal, TRIGGER_GRACE_MS), unanswered: false }
  let reRunStart: Awaited<ReturnType<typeof startReRunIfDue>>
  try {
    reRunStart = await startReRunIfDue(config, deps, deadline, trigger, prepared.reRun)
    start = reRunStart ?? (await startRun(config, deps, deadline, trigger, app))
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
  // A re-run of failed tests counts as Testsigma shows its chain: with the first run's passes.
  const firstRun = reRunStart?.firstRun
  const asShown = (state: RunState): RunState => (firstRun === undefined ? state : withFirstRunCounts(firstRun, state))
  const { dialect } = start
  const started = asShown(start.state)
  const startedAt = clock.now()

  const url = runUrl(config.baseUrl, started.runId)
  const report: RunReport = { ...base, runId: started.runId, runUrl: url, finalRunUrl: url, state: started }
  if (reRunStart !== undefined) report.reRunOf = reRunStart.reRunOf
  log.info(`Run ${started.runId} started: ${url}`)
  try {
    deps.onRunStarted?.(started.runId, url)
  } catch (error) {
    // Publishing the run's id must never leave it running unwatched: it is still followed, or stopped.
    log.warning(`Could not publish run ${started.runId} (${oneLine((error as Error).message)}); following it anyway`)
  }
  if (signal.aborted) {
    // The trigger answered within the grace after the job was cancelled.
    const cancelled: RunReport = { ...report, outcome: 'cancelled' }
    return config.stopOnCancel
      ? { ...cancelled, stop: await stopRun(started.runId, dialect, deps, deadline) }
      : cancelled
  }
  if (!config.wait) return { ...report, outcome: 'triggered' }
  // The run takes far longer than getting ready to read its report: get ready now, off both start-up and the
  // verdict (and not at all for a step that does not wait).
  deps.readJunit?.prepare()

  log.startGroup(
    `Waiting for run ${started.runId} (status every ${formatDuration(config.pollIntervalMs)}, ` +
      `for at most ${formatDuration(config.timeoutMs)})`
  )
  let faultStreak = 0
  let reRunsSeen = 0
  const outcome = await waitForCompletion({
    initial: started,
    readRun: async requestSignal =>
      asShown(await client.getRun(started.runId, dialect, requestSignal, config.testPlanId)),
    intervalMs: config.pollIntervalMs,
    firstPollAfterMs: prepared.firstPollAfterMs,
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
  if (last.notFollowed !== undefined) {
    const { runId, why } = last.notFollowed
    log.warning(
      `Run ${runId} is nested in Testsigma's answer as a re-run of run ${last.finalRunId}, but ${why}: nothing shows ` +
        `it is this run's re-run, so it was not followed (nor stopped), and the result of run ${last.finalRunId} ` +
        `stands. Check it at ${runUrl(config.baseUrl, runId)}`
    )
  }
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
      return { ...finished, ...(await fetchTests(config, state, deps, deadline)) }
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
      return { ...stopped, stop: await stopRun(target, dialect, deps, deadline) }
    }
  }
}

/**
 * Uploads the app build (`app-file`) before the trigger. Returns the uploaded version, or the report of a step that
 * starts no run: the upload failed, or the job was cancelled meanwhile.
 */
export async function uploadStep(
  appConfig: AppConfig,
  config: Config,
  deps: StepDeps,
  deadline: number
): Promise<{ app: UploadedApp } | { report: Partial<RunReport> }> {
  let stored: UploadedApp | undefined
  // Loaded only for an app build: most steps upload none, and start-up pays for what it loads.
  const { closeAppFile } = await import('./upload/app-file.js')
  let archive = appConfig.archive
  try {
    const [{ inspectAppBuild }, { uploadApp }] = await Promise.all([
      import('./upload/find-app-file.js'),
      import('./upload/upload-app.js')
    ])
    archive ??= await inspectAppBuild(appConfig.file)
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
  } finally {
    // Opened once by the check, read by the upload (and again by a second attempt): closed once it is over.
    await closeAppFile(archive)
  }
}

/**
 * Best effort, bounded in time, never throws: a failed stop is reported, not raised. Stops this run only. Its limit
 * keeps the step within timeout-minutes plus its margin (`step-bounds.ts`); the runner kills a cancelled job 7.5 s
 * after its first signal, and the stop leaves room to report before that too.
 */
async function stopRun(
  runId: string,
  dialect: ApiDialect,
  deps: StepDeps,
  deadline: number
): Promise<NonNullable<RunReport['stop']>> {
  deps.log.info(`Stopping Testsigma run ${runId}`)
  try {
    // Not the cancelled job's signal: that one has already fired.
    await deps.client.stopRun(runId, dialect, AbortSignal.timeout(stopLimitMs(deadline, deps.clock.now())))
    deps.log.info(`Run ${runId} stopped`)
    return { stopped: true, runId }
  } catch (error) {
    const detail = isAbort(error) ? 'no answer in time' : oneLine((error as Error).message)
    deps.log.warning(`Could not stop Testsigma run ${runId}: ${detail}`)
    return { stopped: false, runId, detail }
  }
}
