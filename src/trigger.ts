/**
 * Starting the run: the trigger's fields, the dialect fallback of `api-dialect: auto`, and the grace a trigger in
 * flight gets when the job is cancelled, so the run it started can still be stopped.
 */
import type { Config } from './config.js'
import { announceRetry } from './log.js'
import { withRetry, withShortStreak } from './retry.js'
import type { StepDeps } from './step.js'
import { ApiDialect, inputsNotCarried, runsPath, serverName, TriggerRequest } from './testsigma/dialect.js'
import { TestsigmaError } from './testsigma/errors.js'
import type { RunState } from './testsigma/run-state.js'
import type { UploadedApp } from './upload/upload-app.js'

/**
 * Sends the trigger in the dialect `api-dialect` names; in `auto`, the cloud's first and, when the server has no
 * such path (a 404 no handler answered: certainly nothing started), the open-source server's, which is then kept
 * for the rest of the step. Throws what the step reports.
 */
export async function startRun(
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
    if (choice !== 'auto' || !(error instanceof TestsigmaError) || !error.missingPath) {
      if (choice === 'auto' && error instanceof TestsigmaError && error.fault.statusCode === 404) {
        deps.log.info(
          `The cloud path's HTTP 404 is not the server's answer for a path it does not have (a JSON body that ` +
            `names the path), so the open-source server's trigger was not sent: the first may have started a run`
        )
      }
      throw error
    }
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
    `${config.baseUrl} has no ${cloudPath} (HTTP 404 with the server's own answer for a path it does not have, ` +
      `which names that path: no run was started): trying ${serverName('open-source')}'s API ` +
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
export interface TriggerInFlight {
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

/** A signal that aborts `graceMs` after `signal` does. */
export function afterGrace(signal: AbortSignal, graceMs: number): AbortSignal {
  const later = new AbortController()
  const abortLater = (): void => {
    setTimeout(() => later.abort(signal.reason), graceMs)
  }
  if (signal.aborted) abortLater()
  else signal.addEventListener('abort', abortLater, { once: true })
  return later.signal
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
