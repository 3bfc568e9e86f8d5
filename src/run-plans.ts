/**
 * Several test plans in one step (`test-plan-id: 2048, 2051`), as a layer over the one plan's pipeline
 * (`runTestPlan`): the app build uploaded once for all, every trigger sent at once (one each, never again), every run
 * followed at the same time with its status reads spread over the poll interval, one JUnit file. Each plan stops
 * only its own run on cancel or timeout, and a plan that cannot start keeps no other from running. Never throws for
 * API faults.
 */
import { reportBase, runTestPlan, uploadStep } from './action.js'
import type { Config } from './config.js'
import type { Log } from './log.js'
import type { ReRunContext } from './re-run.js'
import type { JunitReader } from './report/junit-reader.js'
import type { PlansReport } from './report/plans-report.js'
import { renderPlansJunit } from './report/plans-junit.js'
import type { RunReport } from './report/report.js'
import type { StepDeps } from './step.js'
import { oneLine } from './text.js'
import type { UploadedApp } from './upload/upload-app.js'
import { writeReportFile } from './workspace.js'

export interface PlansDeps extends StepDeps {
  /** Called when the first plan's run exists (`run-id`, `run-url` are the first plan's). */
  onRunStarted?: (runId: string, runUrl: string) => void
}

export async function runTestPlans(
  config: Config,
  deps: PlansDeps,
  /** On a later attempt of the workflow run: each plan's run in an earlier attempt, as found ("Re-run failed jobs"). */
  reRuns?: ReadonlyMap<string, ReRunContext>
): Promise<PlansReport> {
  const ids = config.testPlanIds ?? [config.testPlanId]
  // One end for every plan: timeout-minutes is the step's.
  const deadline = deps.deadline ?? deps.clock.now() + config.timeoutMs
  const facts = { failOnFailure: config.failOnFailure, timeoutMs: config.timeoutMs, buildNumber: config.buildNumber }
  const plans = ids.map(id => planConfig(config, id))

  let app: UploadedApp | undefined
  if (config.app !== undefined) {
    const uploaded = await uploadStep(config.app, config, { ...deps, deadline }, deadline)
    if ('report' in uploaded) {
      // No build, no run: every plan says why it did not start.
      return {
        ...facts,
        app: uploaded.report.app,
        plans: plans.map(plan => ({ ...reportBase(plan), ...uploaded.report }))
      }
    }
    app = uploaded.app
  }
  // Several reports read at once would hold several readers in memory: one at a time, in the order they come.
  const readJunit = deps.readJunit === undefined ? undefined : oneAtATime(deps.readJunit)
  deps.log.info(`Starting ${ids.length} Testsigma test plans at once: ${ids.join(', ')}`)
  const settled = await Promise.allSettled(
    plans.map((plan, index) =>
      runTestPlan(
        plan,
        {
          ...deps,
          deadline,
          readJunit,
          log: planLog(deps.log, plan.testPlanId),
          onRunStarted: index === 0 ? deps.onRunStarted : undefined
        },
        // Each plan reads its status once per interval, the plans' reads spread evenly across it, none earlier
        // than it would alone (so no plan reads more often than it would alone).
        {
          app,
          firstPollAfterMs: config.pollIntervalMs + Math.floor((config.pollIntervalMs * index) / ids.length),
          // Each plan decides on its own whether to re-run its failed tests (`re-run.ts`).
          reRun: reRuns?.get(plan.testPlanId)
        }
      )
    )
  )
  const reports: RunReport[] = settled.map((result, index) =>
    result.status === 'fulfilled'
      ? result.value
      : {
          ...reportBase(plans[index]),
          error: `The action failed unexpectedly: ${oneLine(String((result.reason as Error)?.message ?? result.reason))}`
        }
  )
  const report: PlansReport = { ...facts, plans: reports, ...(app === undefined ? {} : { app }) }
  return config.junitReport === undefined
    ? report
    : { ...report, ...(await writePlansJunit(config, reports, deps.log)) }
}

/**
 * The step's settings for one of its plans: its id, and nothing the set does once for all (the file, the comment).
 * `app` stays: its devices go into the plan's trigger, and the version uploaded once is given to `runTestPlan`.
 */
function planConfig(config: Config, testPlanId: string): Config {
  return { ...config, testPlanId, testPlanIds: undefined, junitReport: undefined, prComment: false }
}

/** The one JUnit file, with every plan's cases that could be read; what it lacks is said. */
async function writePlansJunit(
  config: Config,
  plans: readonly RunReport[],
  log: Log
): Promise<Pick<PlansReport, 'junitReportPath' | 'junitWarning'>> {
  const target = config.junitReport
  if (target === undefined) return {}
  const missing = plans
    .filter(plan => plan.outcome === 'finished' && plan.testCases === undefined)
    .map(plan => plan.testPlanId)
  try {
    await writeReportFile(target, renderPlansJunit(plans))
  } catch (error) {
    const warning = `JUnit report not written to ${target.path}: ${oneLine((error as Error).message)}`
    log.warning(warning)
    return { junitWarning: warning }
  }
  log.info(`JUnit report of every plan written to ${target.path}`)
  if (missing.length === 0) return { junitReportPath: target.path }
  const junitWarning = `The JUnit report has no test cases of test plan${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (no report could be read)`
  log.warning(junitWarning)
  return { junitReportPath: target.path, junitWarning }
}

/** Each plan's lines carry its id; groups, which cannot nest or interleave in the runner's log, become lines. */
export function planLog(log: Log, testPlanId: string): Log {
  const tag = `[plan ${testPlanId}]`
  return {
    info: message => log.info(`${tag} ${message}`),
    warning: message => log.warning(`${tag} ${message}`),
    startGroup: name => log.info(`${tag} ${name}`),
    endGroup: () => undefined
  }
}

/** A reader that reads one report at a time; the others wait their turn (each still within its own limits). */
export function oneAtATime(reader: JunitReader): JunitReader {
  let turn: Promise<unknown> = Promise.resolve()
  return {
    prepare: () => reader.prepare(),
    // A plan whose tests came from the JSON results ends the prepared worker; a later read starts its own.
    release: () => reader.release?.(),
    read: (xml, options, limits) => {
      const mine = turn.then(() => reader.read(xml, options, limits))
      turn = mine.catch(() => undefined)
      return mine
    }
  }
}
