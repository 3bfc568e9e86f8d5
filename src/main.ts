import * as core from '@actions/core'
import { runTestPlan } from './action.js'
import { systemClock } from './clock.js'
import { cleartextWarning, Config, InputError, parseConfig } from './config.js'
import { decideVerdict, planLabel, RunReport } from './report/report.js'
import { commentOnPullRequest } from './github/pr-comment.js'
import { annotationPlanFor, failedTestAnnotations } from './report/annotations.js'
import { runOutputs } from './report/outputs.js'
import { renderSummary } from './report/summary.js'
import { TestsigmaClient } from './testsigma/client.js'
import { ACTION_NAME, ACTION_VERSION } from './version.js'

const REQUEST_TIMEOUT_MS = 30_000
const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`
// The runner sends SIGINT, then SIGTERM 7.5 s later, then kills: be gone well before that.
const EXIT_AFTER_SIGNAL_MS = 4500

/** The action's entry: wires inputs, client, clock and signals to `runTestPlan`, then reports. */
export async function run(): Promise<void> {
  // Masked before anything else can print it.
  const rawKey = core.getInput('api-key')
  if (rawKey !== '') core.setSecret(rawKey)
  const rawToken = core.getInput('github-token')
  if (rawToken !== '') core.setSecret(rawToken)

  let config: Config
  try {
    config = parseConfig(name => core.getInput(name), process.env.GITHUB_WORKSPACE ?? process.cwd())
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(`${error.message}. Nothing was sent to Testsigma.`)
      return
    }
    throw error
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
    const client = new TestsigmaClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      userAgent: USER_AGENT,
      requestTimeoutMs: REQUEST_TIMEOUT_MS
    })
    const report = await runTestPlan(config, {
      client,
      clock: systemClock,
      log: core,
      signal: cancellation.signal,
      onRunStarted: (runId, url) => {
        core.setOutput('run-id', runId)
        core.setOutput('run-url', url)
      }
    })
    await publish(report, config, cancellation.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Outputs, annotations, job summary, pull-request comment and the step's colour, all from the one report. */
async function publish(report: RunReport, config: Config, signal: AbortSignal): Promise<void> {
  for (const [name, value] of Object.entries(runOutputs(report))) core.setOutput(name, value)
  const verdict = decideVerdict(report)

  const annotations = failedTestAnnotations(report.testCases ?? [], annotationPlanFor(report, verdict))
  for (const annotation of annotations) {
    const emit = { error: core.error, warning: core.warning, notice: core.notice }[annotation.level]
    emit(annotation.message, { title: annotation.title })
  }

  try {
    await core.summary.addRaw(renderSummary(report)).write()
  } catch (error) {
    // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it; the log has the verdict.
    core.debug(`Job summary not written: ${(error as Error).message}`)
  }

  if (config.prComment) {
    await commentOnPullRequest(report, {
      token: config.githubToken,
      userAgent: USER_AGENT,
      env: process.env,
      log: core,
      signal
    })
  }

  if (verdict.failStep) {
    core.setFailed(verdict.message)
  } else if (report.outcome === 'finished' && report.state?.passed !== true) {
    core.warning(verdict.message, { title: `${planLabel(report)} did not pass (fail-on-failure: false)` })
  } else {
    core.info(verdict.message)
  }
}
