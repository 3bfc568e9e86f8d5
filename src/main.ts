import * as actionsCore from '@actions/core'
import { runTestPlan } from './action.js'
import { Clock, systemClock } from './clock.js'
import { Config, parseConfig } from './config.js'
import { InputError, isUnexpandedExpression } from './inputs.js'
import { cleartextWarning } from './testsigma/server-inputs.js'
import { ActionCore, GuardedCore, guardedCore } from './core-edge.js'
import { readMergeQueueEntry } from './github/event.js'
import { describeMergeQueueEntry, mergeQueueBuildNumber } from './github/merge-queue.js'
import { commentOnPullRequest, commentOnPullRequestForPlans, PullRequestCommentOptions } from './github/pr-comment.js'
import { findPreviousRuns } from './github/previous-run.js'
import { isPullRequestEvent } from './github/pull-request.js'
import { RUN_ANNOTATION_TITLE, runAnnotationOf, runAttempt } from './github/run-metadata.js'
import type { ReRunContext } from './re-run.js'
import { junitWorkerReader } from './report/junit-reader.js'
import { planPlansPublication } from './report/plans-publication.js'
import { planPublication, Publication } from './report/publication.js'
import type { RunReport } from './report/report.js'
import { renderInputErrorSummary } from './report/summary.js'
import { runTestPlans } from './run-plans.js'
import type { StepDeps } from './step.js'
import { BackoffGate } from './testsigma/backoff-gate.js'
import { TestsigmaClient } from './testsigma/client.js'
import { USER_AGENT } from './version.js'
import { checkReportTarget, InputFileError } from './workspace.js'
import { commentLimitMs, PAST_TIMEOUT_MS } from './step-bounds.js'

export interface MainDeps {
  core: ActionCore
  /** The runner's variables (GITHUB_WORKSPACE, the pull request's event, …). */
  env: NodeJS.ProcessEnv
  clock: Clock
  /** Told when the verdict has been written (index.ts's exit guard): `passed` is a green step. */
  onVerdict?: (passed: boolean) => void
  /**
   * Date.now() when the process started (index.ts: `performance.timeOrigin`): timeout-minutes counts from there, so
   * the start-up is inside it too. Default: when `run` is called.
   */
  startedAt?: number
  /** The entry file, started as a worker thread to read the JUnit report (index.ts); absent: read on this thread. */
  junitWorker?: URL
}

const REQUEST_TIMEOUT_MS = 30_000
// The runner sends SIGINT, then SIGTERM 7.5 s later, then kills: be gone well before that.
const EXIT_AFTER_SIGNAL_MS = 4500

/** The action's entry: wires inputs, client, clock and signals to `runTestPlan`, then publishes the report. */
export async function run(deps: MainDeps = { core: actionsCore, env: process.env, clock: systemClock }): Promise<void> {
  // Masked before anything else can print it.
  const rawKey = deps.core.getInput('api-key')
  if (rawKey !== '') deps.core.setSecret(rawKey)
  // An unexpanded `${{ github.token }}` is no secret; masking it would hide it in the message that explains it.
  const rawToken = deps.core.getInput('github-token')
  const token = isUnexpandedExpression(rawToken) ? '' : rawToken
  if (token !== '') deps.core.setSecret(token)
  // From here on, everything the action says reaches the runner through this one edge.
  const core = guardedCore(deps.core, [rawKey.trim(), token.trim()])
  const fail = (message: string): void => {
    core.setFailed(message)
    deps.onVerdict?.(false)
  }
  try {
    await runStep(deps, core, fail)
  } catch (error) {
    fail(`The action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`)
  }
}

async function runStep(deps: MainDeps, core: GuardedCore, fail: (message: string) => void): Promise<void> {
  const { env } = deps
  let config: Config
  try {
    config = parseConfig(name => core.getInput(name), env.GITHUB_WORKSPACE ?? process.cwd(), env.GITHUB_SHA)
    // The file system is read here, at the edge: a link in the workspace may lead the report outside it.
    if (config.junitReport !== undefined) await checkReportTarget(config.junitReport)
    // And the app build is checked (there, inside the workspace, an APK or IPA) before anything is sent.
    // Loaded only for an app build: most steps upload none, and start-up pays for what it loads.
    if (config.app !== undefined) {
      const { inspectAppBuild } = await import('./upload/find-app-file.js')
      config.app.archive = await inspectAppBuild(config.app.file)
    }
  } catch (error) {
    if (error instanceof InputError) {
      await writeSummary(core, renderInputErrorSummary(error.input, error.message), env)
      fail(`${error.message}. Nothing was sent to Testsigma.`)
      return
    }
    // A file that the file system or its content refused: the input it came from.
    if (error instanceof InputFileError) {
      // The check's message names the input first ("app-file "x.apk" is empty"): named once here.
      const named = `${error.input} `
      const detail = error.message.startsWith(named) ? error.message.slice(named.length) : error.message
      const message = `Input "${error.input}": ${detail}`
      await writeSummary(core, renderInputErrorSummary(error.input, message), env)
      fail(`${message}. Nothing was sent to Testsigma.`)
      return
    }
    throw error
  }
  for (const warning of config.warnings ?? []) core.warning(warning)
  // In a merge queue, a run without build-number is named after its queue entry, so its runs can be told apart.
  const mergeQueue = await readMergeQueueEntry(env)
  if (mergeQueue !== undefined) {
    const named = config.buildNumber === undefined ? mergeQueueBuildNumber(mergeQueue) : undefined
    core.info(describeMergeQueueEntry(mergeQueue, named))
    if (named !== undefined) config = { ...config, buildNumber: named }
  }
  const cleartext = cleartextWarning(config.baseUrl)
  if (cleartext !== undefined) core.warning(cleartext)

  const cancellation = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancellation.signal.aborted) {
      core.info(`${signal} again: exiting now`)
      process.exit(1)
    }
    core.warning(`${signal} received: the job is being cancelled`)
    cancellation.abort()
    setTimeout(() => process.exit(1), EXIT_AFTER_SIGNAL_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    // timeout-minutes bounds every request too, in real time (the requests' timers are real), from the step's start.
    const deadline = (deps.startedAt ?? Date.now()) + config.timeoutMs
    const several = (config.testPlanIds?.length ?? 1) > 1
    const client = new TestsigmaClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      userAgent: USER_AGENT,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      deadline,
      secrets: config.githubToken === undefined ? [] : [config.githubToken],
      // Several plans back off as one client: a 429 to one holds the requests of all (backoff-gate.ts).
      ...(several ? { gate: new BackoffGate(deps.clock) } : {})
    })
    const stepDeps: StepDeps = {
      client,
      clock: deps.clock,
      // The same end as the requests', where the clock is the system's (tests pass a fake clock and no start).
      deadline: deps.startedAt === undefined ? undefined : deadline,
      log: core,
      signal: cancellation.signal,
      readJunit: deps.junitWorker === undefined ? undefined : junitWorkerReader(deps.junitWorker),
      onRunStarted: (runId, url) => {
        core.setOutput('run-id', runId)
        core.setOutput('run-url', url)
      }
    }
    const reRuns = await reRunContexts(config, env, cancellation.signal, deadline)
    let publication: Publication
    let planReports: RunReport[]
    let comment: (options: PullRequestCommentOptions) => Promise<void>
    if (several) {
      const ran = await runTestPlans(config, stepDeps, reRuns)
      const report = mergeQueue === undefined ? ran : { ...ran, mergeQueue }
      publication = planPlansPublication(report)
      planReports = report.plans
      comment = options => commentOnPullRequestForPlans(report, options)
    } else {
      const ran = await runTestPlan(config, stepDeps, { reRun: reRuns.get(config.testPlanId) })
      const report = mergeQueue === undefined ? ran : { ...ran, mergeQueue }
      publication = planPublication(report)
      planReports = [report]
      comment = options => commentOnPullRequest(report, options)
    }
    await publishReport(publication, core, env)
    // For "Re-run failed jobs" where the pull-request comment does not keep it: which run a later attempt may re-run.
    const keptInComment = isPullRequestEvent(env.GITHUB_EVENT_NAME) && config.prComment === true
    if (config.rerunFailedTests === true && !keptInComment) {
      for (const notice of planReports.flatMap(report => runAnnotationOf(report, env) ?? [])) {
        core.notice(notice, { title: RUN_ANNOTATION_TITLE })
      }
    }
    // The comment comes after the verdict is known, within timeout-minutes and its margin (step-bounds.ts).
    const commentMs = commentLimitMs(deadline, Date.now(), REQUEST_TIMEOUT_MS)
    if (config.prComment && commentMs <= 0) {
      core.warning(
        `No pull-request comment: timeout-minutes and its ${PAST_TIMEOUT_MS / 1000} s margin are spent (the summary has the result)`
      )
    } else if (config.prComment) {
      await comment({
        verdict: publication.verdict,
        token: config.githubToken,
        userAgent: USER_AGENT,
        env,
        log: core,
        signal: cancellation.signal,
        timeoutMs: commentMs,
        secrets: [config.apiKey, config.githubToken ?? '']
      })
    }
    const unpublished = core.unpublished()
    if (unpublished.names.length > 0) {
      // Later steps that read the outputs would see none, or stale ones: the run's verdict, and why the step is red.
      fail(
        `${publication.verdict.message}. The step's outputs could not be written (${unpublished.names.join(', ')}: ` +
          `${unpublished.reason ?? 'refused'}), so later steps cannot read them: check the runner's GITHUB_OUTPUT file`
      )
      return
    }
    emitVerdict(publication, core)
    deps.onVerdict?.(publication.verdict.level !== 'error')
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

// Finding the previous attempt's run is worth a few seconds, never the run's time: else the plan runs in full.
const PREVIOUS_RUN_LOOKUP_MS = 10_000

/**
 * On a later attempt of the workflow run with `rerun-failed-tests` on: each plan's run in an earlier attempt, as the
 * pull-request comment or the check annotations name it (or why none could be looked up). Empty on a first attempt.
 */
async function reRunContexts(
  config: Config,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  deadline: number
): Promise<Map<string, ReRunContext>> {
  const attempt = runAttempt(env)
  if (config.rerunFailedTests !== true || attempt <= 1) return new Map()
  const planIds = config.testPlanIds ?? [config.testPlanId]
  const found = await findPreviousRuns({
    planIds,
    attempt,
    prComment: config.prComment === true,
    token: config.githubToken,
    userAgent: USER_AGENT,
    env,
    signal,
    // Never past timeout-minutes: what is left of it goes to the run (a spent limit reads as no answer: a full run).
    timeoutMs: Math.max(1, Math.min(PREVIOUS_RUN_LOOKUP_MS, deadline - Date.now()))
  })
  return new Map(
    planIds.map(plan => [
      plan,
      { attempt, sha: env.GITHUB_SHA, previous: found.runs.get(plan), unavailable: found.unavailable }
    ])
  )
}

/** Outputs, the failed tests' annotations and the job summary, as planned. */
async function publishReport(publication: Publication, core: ActionCore, env: NodeJS.ProcessEnv): Promise<void> {
  for (const [name, value] of Object.entries(publication.outputs)) core.setOutput(name, value)
  for (const annotation of publication.annotations) {
    core[annotation.level](annotation.message, { title: annotation.title })
  }
  await writeSummary(core, publication.summary, env)
}

async function writeSummary(core: ActionCore, markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    const message = `Job summary not written: ${(error as Error).message}`
    // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it; in one, it is said (the log has the
    // verdict either way).
    if ((env.GITHUB_STEP_SUMMARY ?? '') === '') core.debug(message)
    else core.warning(message)
  }
}

/** The step's colour, last, so the verdict is the last line of the log. */
function emitVerdict({ verdict }: Publication, core: ActionCore): void {
  switch (verdict.level) {
    case 'error':
      return core.setFailed(verdict.message)
    case 'warning':
      return core.warning(verdict.message, { title: verdict.title })
    case 'info':
      return core.info(verdict.message)
  }
}
