/**
 * "Re-run failed jobs" for one test plan: re-run only the failed tests of the run the previous attempt started, or run
 * the plan in full, and why. Two pure steps: `whatToCheck` from what the step knows before asking Testsigma (the
 * attempt, the commit, the metadata found, an app build), then `decideReRun` from Testsigma's own answer about that
 * run. The metadata is never trusted for more than where to look: the run's plan, state and result are Testsigma's.
 */
import type { PreviousRun } from './github/run-metadata.js'
import type { DialectChoice } from './testsigma/dialect.js'
import { FINISHED_STATUS, PASSED_RESULT, RunState } from './testsigma/run-state.js'

// Testsigma's clock and GitHub's may differ by this much when a run is tied to the job that started it.
const CLOCK_SLACK_MS = 5 * 60_000

/** What the step knows of the workflow run's attempts, for one test plan. */
export interface ReRunContext {
  /** GITHUB_RUN_ATTEMPT of this step: above 1 on "Re-run failed jobs" or "Re-run all jobs". */
  attempt: number
  /** GITHUB_SHA of this attempt. */
  sha?: string
  /** The previous attempt's run of this plan, as the metadata says; absent when none was found. */
  previous?: PreviousRun
  /** Why nothing could be looked up (another event, no token, GitHub refused). */
  unavailable?: string
}

export type PreCheck = { kind: 'check'; previous: PreviousRun } | { kind: 'full'; why: string }

export type ReRunDecision =
  /** Re-run the failed tests of `runId`, the deepest run of the previous chain; `notPassed` of its tests did not pass. */
  { kind: 're-run'; runId: string; notPassed: number } | { kind: 'full'; why: string }

/** Whether a previous run is worth asking Testsigma about, before any request. */
export function whatToCheck(
  context: ReRunContext,
  step: { planId: string; uploadsApp: boolean; apiDialect?: DialectChoice }
): PreCheck {
  const full = (why: string): PreCheck => ({ kind: 'full', why })
  if (context.attempt <= 1) return full('this is the first attempt of the workflow run')
  if (step.uploadsApp) {
    return full(
      'this step uploads its app build (app-file) again in this attempt, a new version: re-running only the failed ' +
        'tests would mix two builds in one result'
    )
  }
  if (step.apiDialect === 'open-source') {
    return full(
      "the open-source server's API cannot re-run failed tests (its trigger ignores the re-run fields and would start " +
        'the whole plan)'
    )
  }
  const { previous } = context
  if (previous === undefined) {
    return full(context.unavailable ?? `no earlier attempt's run of test plan ${step.planId} was found`)
  }
  const ran = `run ${previous.runId} of attempt ${previous.attempt}`
  if (previous.attempt >= context.attempt) {
    return full(`${previous.source} names ${ran}, which is not an earlier attempt than this one`)
  }
  if (context.sha === undefined || context.sha !== previous.sha) {
    const now = context.sha === undefined ? 'an unknown commit' : `commit ${context.sha.slice(0, 7)}`
    return full(`${ran} tested commit ${previous.sha.slice(0, 7)}, and this attempt tests ${now}`)
  }
  return { kind: 'check', previous }
}

/**
 * From Testsigma's answer about the previous run (its chain): re-run the failed tests of its deepest run only when the
 * run belongs to this plan, every run of the chain completed, and the result is neither a pass nor a stop.
 */
export function decideReRun(previous: PreviousRun, state: RunState, planId: string): ReRunDecision {
  const full = (why: string): ReRunDecision => ({ kind: 'full', why })
  const run = `run ${previous.runId} (attempt ${previous.attempt})`
  if (state.planId === undefined) return full(`Testsigma's answer about ${run} does not say its test plan`)
  if (state.planId !== planId) return full(`${run} is a run of test plan ${state.planId}, not ${planId}`)
  const window = previous.startedBetween
  if (window !== undefined) {
    // Found where any step could have written it: the run must have started while that attempt's job ran.
    const started = state.chain[0].startTime
    const ranFrom = `${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}`
    if (started === undefined) {
      return full(`Testsigma's answer does not say when ${run} started, so it cannot be tied to the job (${ranFrom})`)
    }
    if (started < window.from - CLOCK_SLACK_MS || started > window.to + CLOCK_SLACK_MS) {
      return full(
        `${run} started at ${new Date(started).toISOString()}, not while the job of attempt ${previous.attempt} ran (${ranFrom})`
      )
    }
  }
  const running = state.chain.find(chainRun => chainRun.status !== FINISHED_STATUS)
  if (running !== undefined) return full(`${run} never finished (run ${running.runId} is ${running.status})`)
  const final = state.chain[state.chain.length - 1]
  const deepest = final.runId === previous.runId ? run : `${run} and its re-run ${final.runId}`
  if (state.passed || final.result === PASSED_RESULT) return full(`${deepest} passed`)
  if (final.result === 'STOPPED') return full(`${deepest} was stopped before its tests finished`)
  const notPassed = final.counts.total - final.counts.passed
  if (final.counts.total > 0 && notPassed <= 0) {
    return full(`${deepest} ended ${final.result || 'without a result'}, but its counts show no test that did not pass`)
  }
  return { kind: 're-run', runId: final.runId, notPassed: Math.max(notPassed, 0) }
}
