/**
 * Starting the run: the trigger's fields, the dialect fallback of `api-dialect: auto`, and the grace a trigger in
 * flight gets when the job is cancelled, so the run it started can still be stopped.
 */
import type { Config } from './config.js'
import { isAbort } from './clock.js'
import { announceRetry } from './log.js'
import { withRetry, withShortStreak } from './retry.js'
import type { StepDeps } from './step.js'
import { ApiDialect, inputsNotCarried, runsPath, serverName, TriggerRequest } from './testsigma/dialect.js'
import { briefly, briefOf, TestsigmaError } from './testsigma/errors.js'
import { canLookFor, highestRunId, lostTriggerCandidates } from './testsigma/lost-trigger.js'
import type { RunState } from './testsigma/run-state.js'
import { oneLine } from './text.js'
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
    return { state: await triggerOnce(request, first, deps, deadline, trigger), dialect: first }
  } catch (error) {
    if (choice !== 'auto' || !(error instanceof TestsigmaError) || !error.missingPath) {
      if (choice === 'auto' && error instanceof TestsigmaError && error.fault.statusCode === 404 && error.runMayExist) {
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
    return { state: await triggerOnce(request, 'open-source', deps, deadline, trigger), dialect: 'open-source' }
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

// After a trigger whose answer was lost, the plan's runs are searched this many times, this far apart: the server
// may still be making the run when a proxy gave up on it.
const SEARCHES = 3
const SEARCH_EVERY_MS = 2000

/**
 * The trigger in `dialect`. On the open-source server, with a build number its search can carry, the plan's
 * highest run id is read first, so that a trigger whose answer is lost (a 503 from a proxy, a timeout) can be
 * followed by a search for the run it may have started (docs §2.4, `lost-trigger.ts`): found, and alone, it is
 * this step's run. Anywhere else such a trigger stays "a run may have started".
 */
async function triggerOnce(
  request: TriggerRequest,
  dialect: ApiDialect,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight
): Promise<RunState> {
  const before =
    dialect === 'open-source' && canLookFor(request.buildNo) ? await highestRunBefore(request, deps) : undefined
  try {
    return await sendTrigger(request, dialect, deps, deadline, trigger)
  } catch (error) {
    if (before === undefined || !(error instanceof TestsigmaError) || !error.runMayExist || trigger.signal.aborted) {
      throw error
    }
    return findLostRun(error, request, before, deps, deadline)
  }
}

async function highestRunBefore(request: TriggerRequest, deps: StepDeps): Promise<bigint | undefined> {
  try {
    return highestRunId(await deps.client.listRuns(request.testPlanId, { size: 1 }, deps.signal))
  } catch (error) {
    if (isAbort(error)) throw error
    deps.log.info(
      `The plan's runs could not be listed (${oneLine((error as Error).message)}): should the trigger's answer be ` +
        'lost, its run cannot be looked for'
    )
    return undefined
  }
}

/** The run a trigger whose answer was lost started, when the plan's runs show exactly one; else `lost`, said more. */
async function findLostRun(
  lost: TestsigmaError,
  request: TriggerRequest,
  before: bigint,
  deps: StepDeps,
  deadline: number
): Promise<RunState> {
  const buildNo = request.buildNo as string
  const planId = request.testPlanId
  const more = (text: string): TestsigmaError => {
    const told = new TestsigmaError(`${lost.message} ${text}`, lost.fault, lost.serverMessage)
    told.runMayExist = true
    return briefly(told, briefOf(lost))
  }
  deps.log.info(
    `The trigger's answer was lost (${briefOf(lost)}): looking for its run among the plan's runs with build ` +
      `number ${buildNo}`
  )
  let failed: string | undefined
  let searches = 0
  try {
    for (; searches < SEARCHES; searches++) {
      if (searches > 0) {
        if (deps.clock.now() + SEARCH_EVERY_MS >= deadline) break
        await deps.clock.sleep(SEARCH_EVERY_MS, deps.signal)
      }
      let runs: Array<Record<string, unknown>>
      try {
        runs = await deps.client.listRuns(planId, { buildNo, size: 20 }, deps.signal)
        failed = undefined
      } catch (error) {
        if (isAbort(error)) throw error
        failed = oneLine((error as Error).message)
        continue
      }
      const found = lostTriggerCandidates(runs, { planId, buildNo, before })
      if (found.length > 1) {
        const ids = found.map(run => run.runId).join(' and ')
        throw more(
          `Runs ${ids} of this test plan, with build number ${buildNo}, appeared after the trigger: which one this step started cannot be told.`
        )
      }
      if (found.length === 1) {
        const [run] = found
        deps.log.warning(
          `The trigger's answer was lost (${briefOf(lost)}), but run ${run.runId} of this test plan, with build ` +
            `number ${buildNo}, appeared after it and is the only one: it is this step's run, followed from here`
        )
        return run
      }
    }
  } catch (error) {
    // Cancelled while searching: the step says what it knows, that a run may have started.
    if (isAbort(error)) throw lost
    throw error
  }
  throw more(
    failed === undefined
      ? `No run of this test plan with build number ${buildNo} appeared after the trigger (searched ${searches} time${searches === 1 ? '' : 's'}).`
      : `Searching the plan's runs for it failed: ${failed}.`
  )
}

function sendTrigger(
  request: TriggerRequest,
  dialect: ApiDialect,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight
): Promise<RunState> {
  return sendStart(signal => deps.client.triggerRun(request, dialect, signal), 'Trigger', deps, deadline, trigger)
}

/**
 * Sends a request that starts a run (a trigger, or a re-run of failed tests) under the trigger's rules: sent again
 * only when it certainly never reached the server (`retry.ts`), and marked unanswered when the grace after a
 * cancellation cut it off.
 */
export function sendStart(
  start: (signal: AbortSignal) => Promise<RunState>,
  what: string,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight
): Promise<RunState> {
  const send = async (): Promise<RunState> => {
    try {
      return await start(trigger.signal)
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
    // Only retried when no run was started.
    onRetry: (error, attempt, delayMs, giveUpInMs) => announceRetry(deps.log, what, error, attempt, delayMs, giveUpInMs)
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
