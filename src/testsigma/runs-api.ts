/**
 * The runs' endpoints (docs/testsigma-api.md §2, §3, §5): trigger a run of a test plan, read a run and its re-runs,
 * stop one run. Each says, when it fails, what it means for the run (started, maybe started, not started).
 */
import type { Connection } from './connection.js'
import { describeBody, parseJson } from './connection.js'
import {
  ApiDialect,
  isMissingPath,
  isStray404,
  reRunBody,
  runPath,
  runsPath,
  serverName,
  stopBody,
  triggerBody,
  TriggerRequest
} from './dialect.js'
import { briefly, briefOf, TestsigmaError } from './errors.js'
import { DEFAULT_BASE_URL, testPlanUrl } from './links.js'
import { runsInPage, runsQuery } from './lost-trigger.js'
import { aboutAnotherRun, MalformedRunError, RunState, toRunState } from './run-state.js'
import type { HttpAnswer } from './transport.js'

/** Starts a run of the test plan. Sent once: whether to send it again is `retry.ts`'s decision. */
export async function triggerRun(
  connection: Connection,
  request: TriggerRequest,
  dialect: ApiDialect,
  signal?: AbortSignal
): Promise<RunState> {
  const planId = request.testPlanId
  // The plan is named once, by whoever shows the message ("Test plan 2048: …"), not in every clause of it.
  const what = 'the trigger'
  const body = JSON.stringify(triggerBody(dialect, request))
  let answer: HttpAnswer
  try {
    answer = await connection.send('POST', runsPath(dialect), what, signal, { body })
  } catch (error) {
    if (!(error instanceof TestsigmaError)) throw error
    const advice = error.fault.notSent === true ? 'No run was started.' : mayHaveStarted(connection, planId)
    const started = new TestsigmaError(`${error.message}. ${advice}`, error.fault)
    started.runMayExist = error.fault.notSent !== true
    throw briefly(started, `${briefOf(error)}${error.fault.notSent === true ? '' : ' (a run may have started)'}`)
  }
  if (answer.statusCode === 200 || answer.statusCode === 201) return startedRun(connection, answer, what, planId, 'run')
  throw triggerRefusal(connection, planId, dialect, answer)
}

/**
 * Asks the cloud to re-run only the tests of run `runId` that did not pass (D-rerun): the answer is the new run, which
 * names its parent (`reRunParentId`). Sent once, like a trigger. A refusal says that nothing else was started.
 */
export async function reRunFailedTests(
  connection: Connection,
  planId: string,
  runId: string,
  signal?: AbortSignal
): Promise<RunState> {
  const what = `the re-run of the failed tests of run ${runId}`
  const body = JSON.stringify(reRunBody(planId, runId))
  const notFull = 'The plan was not run in full instead, which would run every test again.'
  let answer: HttpAnswer
  try {
    answer = await connection.send('POST', runsPath('cloud'), what, signal, { body })
  } catch (error) {
    if (!(error instanceof TestsigmaError)) throw error
    const notSent = error.fault.notSent === true
    const advice = notSent ? `No re-run was started. ${notFull}` : mayHaveStarted(connection, planId)
    const failed = new TestsigmaError(`${error.message}. ${advice}`, error.fault)
    failed.runMayExist = !notSent
    throw briefly(failed, `${briefOf(error)}${notSent ? '' : ' (a re-run may have started)'}`)
  }
  if (answer.statusCode !== 200 && answer.statusCode !== 201) {
    const refusal = connection.refusal(what, answer)
    // As for a trigger: a proxy answers so after it forwarded the request, which may have started the re-run; not
    // when the text is the server's own refusal (O-aes, O-msg: a run of the plan in progress, a re-run there already).
    const refusedByServer = /currently running|ReRun Parent Id Already Exists|Could not find resource/i.test(
      refusal.serverMessage ?? ''
    )
    const mayExist = !refusedByServer && (answer.statusCode >= 500 || answer.statusCode === 429)
    const advice = mayExist
      ? mayHaveStarted(connection, planId)
      : `No re-run was started. ${notFull} The plan's runs: ${testPlanUrl(connection.baseUrl, planId)}`
    const refused = new TestsigmaError(`${refusal.message}. ${advice}`, refusal.fault, refusal.serverMessage)
    refused.runMayExist = mayExist
    const brief = `Testsigma refused to re-run the failed tests of run ${runId}`
    throw briefly(refused, mayExist ? `${brief} (a re-run may have started)` : brief)
  }
  return startedRun(connection, answer, what, planId, 're-run')
}

/**
 * The run a 2xx answer to a trigger or a re-run request started; a body that is not one of this plan's runs is a
 * failure that says a run may have started (it was not sent again).
 */
function startedRun(
  connection: Connection,
  answer: HttpAnswer,
  what: string,
  planId: string,
  started: 'run' | 're-run'
): RunState {
  let state: RunState
  try {
    state = toRunState(parseJson(answer.body))
  } catch (error) {
    const unreadable = new TestsigmaError(
      `${describeBody(error)} in answer to ${what}. ${mayHaveStarted(connection, planId)}`,
      { kind: 'malformed' }
    )
    unreadable.runMayExist = true
    throw unreadable
  }
  const other = aboutAnotherRun(state, { planId })
  if (other !== undefined) {
    const foreign = new TestsigmaError(
      `Testsigma answered ${what} with ${other} (run ${state.runId}), not a run of this one. ` +
        mayHaveStarted(connection, planId),
      { kind: 'malformed' }
    )
    foreign.runMayExist = true
    throw briefly(foreign, `Testsigma answered about another test plan (a ${started} may have started)`)
  }
  return state
}

/** The run and its re-runs (nested in its answer). */
export async function getRun(
  connection: Connection,
  runId: string,
  dialect: ApiDialect,
  signal?: AbortSignal,
  /** The run's test plan: an answer about a run of another plan is not this run's. */
  planId?: string
): Promise<RunState> {
  const what = `the status request for run ${runId}`
  const answer = await connection.send('GET', runPath(dialect, runId), what, signal)
  if (answer.statusCode !== 200) throw connection.refusal(what, answer)
  let state: RunState
  try {
    state = toRunState(parseJson(answer.body))
  } catch (error) {
    throw new TestsigmaError(`${describeBody(error)} in answer to ${what}`, { kind: 'malformed' })
  }
  // A proxy's cache or a confused server: another run's status would give this run its verdict.
  const other = aboutAnotherRun(state, { runId, planId })
  if (other !== undefined) {
    const foreign = new TestsigmaError(`Testsigma answered ${what} with ${other}: not the status of run ${runId}`, {
      kind: 'malformed'
    })
    throw briefly(foreign, 'Testsigma answered about another run')
  }
  return state
}

/** Asks Testsigma to stop this run only (`canStopAll: false`); it then finishes with result STOPPED. */
export async function stopRun(
  connection: Connection,
  runId: string,
  dialect: ApiDialect,
  signal?: AbortSignal
): Promise<void> {
  const what = `the stop request for run ${runId}`
  const body = JSON.stringify(stopBody())
  const answer = await connection.send('PUT', runPath(dialect, runId), what, signal, { body, untilDeadline: false })
  if (answer.statusCode < 200 || answer.statusCode >= 300) throw connection.refusal(what, answer)
}

function triggerRefusal(
  connection: Connection,
  planId: string,
  dialect: ApiDialect,
  answer: HttpAnswer
): TestsigmaError {
  const error = connection.refusal('the trigger', answer)
  const { statusCode } = answer
  if (statusCode === 401 || statusCode === 403) {
    // An open-source server may answer a path it does not have with 401 (docs §7, unverified).
    if (dialect === 'cloud' && connection.baseUrl !== DEFAULT_BASE_URL) {
      const hint = ' If base-url is a self-hosted open-source Testsigma server, set api-dialect: open-source.'
      const refused = new TestsigmaError(`${error.message}${hint}`, error.fault, error.serverMessage)
      return briefly(refused, 'the API key was refused')
    }
    return error
  }
  if (isMissingPath(statusCode, answer.body, runsPath(dialect))) {
    const other = dialect === 'cloud' ? 'open-source' : 'cloud'
    const said = error.serverMessage ? `: ${error.serverMessage}` : ''
    const missing = new TestsigmaError(
      `${connection.baseUrl} has no ${runsPath(dialect)} (HTTP 404${said}), ` +
        `the path of ${serverName(dialect)}, so no run was started. Check that base-url is the Testsigma ` +
        `server's address (without a path), or set api-dialect: ${other} (or auto) if it is ${serverName(other)}.`,
      error.fault,
      error.serverMessage
    )
    missing.missingPath = true
    return briefly(missing, `base-url has no ${runsPath(dialect)}`)
  }
  const text = error.serverMessage ?? ''
  const plansRuns = mayHaveStarted(connection, planId)
  let advice: string
  let brief: string | undefined
  let runMayExist = false
  const unknownId = /Could not find resource with id:\s*(\d+)/i.exec(text)?.[1]
  const unknownVersion = /Couldn't find upload version with id:\s*(\d+)/i.exec(text)?.[1]
  if (unknownId === planId) {
    // The open-source server's answer for an unknown plan (O-tps): HTTP 500, nothing started.
    advice = 'test-plan-id is unknown to this server, so no run was started: check test-plan-id and base-url.'
    brief = 'test-plan-id is unknown'
  } else if (unknownId !== undefined) {
    advice =
      `Something the run needs (id ${unknownId}) is unknown to this server, so no run was started: check ` +
      'test-plan-id and the ids in environment-id and upload-versions.'
    brief = `id ${unknownId} is unknown`
  } else if (unknownVersion !== undefined) {
    // The open-source server looks up a version for every test device of the plan, after it saved the run (C1).
    advice = uploadVersionAdvice(unknownVersion, connection, planId)
    brief =
      unknownVersion === '0'
        ? 'a test device of the plan is missing from upload-versions'
        : `upload version ${unknownVersion} is unknown`
  } else if (/currently running/i.test(text)) {
    // The open-source server refuses a plan with a run not yet completed (O-aes); the cloud's docs also
    // describe parallel runs of one plan (D-parallel), so this is this server's word, not a rule.
    advice =
      'Another run of this test plan is in progress and this server refuses to start a second one: no new run ' +
      'was started. Wait for it, or give the job a concurrency group so that workflow runs of this plan queue ' +
      `instead of overlapping (concurrency: testsigma-plan-${planId}).`
    brief = 'another run of this test plan is in progress'
  } else if (
    statusCode === 404 ||
    (statusCode >= 500 && /not\s*found|does\s*not\s*exist|no\s+\w+\s+found/i.test(text))
  ) {
    advice = 'Check test-plan-id: Testsigma does not know this test plan for this API key.'
    // Only Testsigma's own error answer says so; an empty or HTML 404 may be a proxy's, after the trigger arrived.
    if (isStray404(statusCode, answer.body)) {
      advice += ` This HTTP 404 is not Testsigma's own answer, so it does not prove that nothing started. ${plansRuns}`
      runMayExist = true
    }
    brief = 'the test plan is unknown'
  } else if (statusCode === 429 || statusCode === 503) {
    // A proxy answers so when it lost the server after forwarding the trigger too: no proof that nothing started.
    advice = `Testsigma may be busy, but a proxy also answers HTTP ${statusCode} after the trigger reached Testsigma. ${plansRuns}`
    brief = `Testsigma answered HTTP ${statusCode} (a run may have started)`
    runMayExist = true
  } else if (statusCode >= 500) {
    advice = plansRuns
    brief = `Testsigma answered HTTP ${statusCode} (a run may have started)`
    runMayExist = true
  } else {
    advice = 'Check the inputs sent with the trigger (build-number, environment-id, upload-versions, runtime-data).'
  }
  const refused = new TestsigmaError(`${error.message}. ${advice}`, error.fault, error.serverMessage)
  refused.runMayExist = runMayExist
  return brief === undefined ? refused : briefly(refused, brief)
}

/**
 * The plan's runs, newest first, as the open-source server lists them (docs §2.4): `size` of them, those with
 * `buildNo` when given. Each as the listing gives it (the caller reads them with `lost-trigger.ts`).
 */
export async function listRuns(
  connection: Connection,
  planId: string,
  options: { buildNo?: string; size: number },
  signal?: AbortSignal
): Promise<Array<Record<string, unknown>>> {
  const what = options.buildNo === undefined ? "the listing of the plan's runs" : "the search of the plan's runs"
  const answer = await connection.send('GET', `${runsPath('open-source')}${runsQuery(planId, options)}`, what, signal)
  if (answer.statusCode !== 200) throw connection.refusal(what, answer)
  try {
    return runsInPage(parseJson(answer.body))
  } catch (error) {
    const problem =
      error instanceof MalformedRunError ? error.message : `Testsigma's answer ${(error as Error).message}`
    throw new TestsigmaError(`${problem} in answer to ${what}`, { kind: 'malformed' })
  }
}

/**
 * The open-source server's answer when an upload version is missing (docs §2.2, C1): it saved the run, then looked
 * up a version for each test device of the plan (a device missing from `uploadVersions` reads as version 0), and
 * stopped the run with this message.
 */
function uploadVersionAdvice(versionId: string, connection: Connection, planId: string): string {
  const which =
    versionId === '0'
      ? 'A test device of the plan is missing from upload-versions: this server reads a device that ' +
        'upload-versions does not name as upload version 0, which does not exist. Name every test device of the ' +
        'plan in upload-versions (web devices too), or leave upload-versions out.'
      : `Upload version ${versionId} does not exist on this server: check upload-versions.`
  return (
    `${which} The server had already created the run and stopped it (result STOPPED): it was not sent again; ` +
    `see the plan's runs at ${testPlanUrl(connection.baseUrl, planId)}.`
  )
}

function mayHaveStarted(connection: Connection, planId: string): string {
  return (
    "It was not sent again, because a run may have started: check the plan's runs at " +
    `${testPlanUrl(connection.baseUrl, planId)} before re-running the job.`
  )
}
