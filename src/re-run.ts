/**
 * "Re-run failed jobs" in one step: on a later attempt of the workflow run, ask Testsigma to re-run only the failed
 * tests of the run the previous attempt started, instead of the whole plan, when `re-run-decision.ts` says so after
 * reading that run. Otherwise the plan runs in full, and the log says why in one line. A re-run that was asked for
 * and failed is the step's failure: never a full run started in its place.
 */
import { isAbort } from './clock.js'
import type { Config } from './config.js'
import { decideReRun, ReRunContext, whatToCheck } from './re-run-decision.js'
import type { ReportedReRun } from './report/report.js'
import { withRetry, withShortStreak } from './retry.js'
import type { StepDeps } from './step.js'
import { runUrl } from './testsigma/links.js'
import type { ChainRun, RunState } from './testsigma/run-state.js'
import { oneLine } from './text.js'
import { sendStart, TriggerInFlight } from './trigger.js'

export type { ReRunContext } from './re-run-decision.js'

/** The re-run this step started: its first answer, what it re-runs, and the first run of the chain it continues. */
export interface ReRunStart {
  state: RunState
  dialect: 'cloud'
  reRunOf: ReportedReRun
  /**
   * The first run of the previous attempt's chain, whose passes the chain's counts add (`re-run-counts.ts`); absent
   * when the re-run names another parent than the run asked for (its counts are then its own).
   */
  firstRun?: ChainRun
}

// Reading the previous run is worth a short streak of retries, not the plan's time: else the plan runs in full.
const READ_STREAK_MS = 30_000

/**
 * The re-run of the previous attempt's failed tests, started; undefined when the plan runs in full (said in the log).
 * Throws, as the trigger does, when the re-run was asked for and failed.
 */
export async function startReRunIfDue(
  config: Config,
  deps: StepDeps,
  deadline: number,
  trigger: TriggerInFlight,
  context: ReRunContext | undefined
): Promise<ReRunStart | undefined> {
  if (context === undefined || context.attempt <= 1) return undefined
  const { log, client } = deps
  const planId = config.testPlanId
  const attempt = `Attempt ${context.attempt} of this workflow run`
  const fullRun = (why: string): undefined => {
    log.info(`${attempt}: running test plan ${planId} in full, because ${why}`)
    return undefined
  }
  const check = whatToCheck(context, { planId, uploadsApp: config.app !== undefined, apiDialect: config.apiDialect })
  if (check.kind === 'full') return fullRun(check.why)
  const { previous } = check

  const read = (runId: string): Promise<RunState> =>
    withRetry(() => client.getRun(runId, 'cloud', deps.signal, planId), {
      request: 'read',
      clock: deps.clock,
      deadline,
      signal: deps.signal,
      policy: withShortStreak(undefined, READ_STREAK_MS),
      random: deps.random
    })
  let state: RunState
  let firstRun: ChainRun
  try {
    state = await read(previous.runId)
    const root = previous.rootRunId
    firstRun = root === undefined || root === previous.runId ? state.chain[0] : (await read(root)).chain[0]
  } catch (error) {
    if (deps.signal.aborted || isAbort(error)) throw error
    return fullRun(
      `run ${previous.runId} (attempt ${previous.attempt}) could not be read from Testsigma ` +
        `(${oneLine((error as Error).message)})`
    )
  }
  const decision = decideReRun(previous, state, planId)
  if (decision.kind === 'full') return fullRun(decision.why)

  const target = decision.runId
  const tests = decision.notPassed === 1 ? 'the 1 test' : `the ${decision.notPassed} tests`
  log.info(
    `${attempt}: re-running only ${tests} of run ${target} (attempt ${previous.attempt}) that did not pass, not the ` +
      `whole plan (rerun-failed-tests: true)`
  )
  const started = await sendStart(
    signal => client.reRunFailedTests(planId, target, signal),
    'Re-run request',
    deps,
    deadline,
    trigger
  )
  if (started.reRunParentId !== target) {
    // The cloud may attach a re-run to the chain's latest run (docs §4.3): the run this step started is followed all
    // the same, but its counts are its own, not added to a chain it may not continue.
    log.warning(
      `Run ${started.runId} started as the re-run of the failed tests of run ${target}, but it names ` +
        `${started.reRunParentId === undefined ? 'no parent' : `run ${started.reRunParentId} as its parent`}: ` +
        'its counts are shown as its own'
    )
  }
  return {
    state: started,
    dialect: 'cloud',
    ...(started.reRunParentId === target ? { firstRun } : {}),
    reRunOf: {
      runId: target,
      runUrl: runUrl(config.baseUrl, target),
      attempt: previous.attempt,
      firstRunId: firstRun.runId,
      notPassed: decision.notPassed
    }
  }
}
