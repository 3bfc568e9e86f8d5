import type { RunState } from '../testsigma/run-state.js'
import { formatDuration, oneLine } from '../text.js'
import type { RunReport } from './report.js'
import { describeCounts, describeProgress } from './words.js'

/**
 * How the step ends, decided once here and read by everything that shows it:
 * - `error`: the step fails (red), `setFailed` with the message;
 * - `warning`: the run finished without passing and `fail-on-failure: false` keeps the step green; the
 *   message is a warning annotation with `title`;
 * - `info`: the step is green and there is nothing to warn about (passed, or `wait: false`).
 */
export type VerdictLevel = 'error' | 'warning' | 'info'

export interface Verdict {
  level: VerdictLevel
  /** The annotation's title, for the `warning` level. */
  title?: string
  /** One line that tells the result, for the log and the annotation. */
  message: string
}

/** "Test plan "Checkout flow"" when the name is known, else "Test plan 2048". */
export function planLabel(report: RunReport): string {
  const name = report.state?.planName
  return name === undefined ? `Test plan ${report.testPlanId}` : `Test plan ${JSON.stringify(oneLine(name))}`
}

export function decideVerdict(report: RunReport): Verdict {
  const label = planLabel(report)
  const link = report.runUrl === undefined ? '' : ` — ${report.runUrl}`
  const run = report.runId === undefined ? '' : ` run ${report.runId}`
  const state = report.state
  switch (report.outcome) {
    case 'finished': {
      const finished = state as RunState
      // The link is to the run whose result decided it: the last re-run of a chain.
      const decider = report.finalRunUrl === undefined ? link : ` — ${report.finalRunUrl}`
      const of = report.reRunOf
      const reRanPhrase = of === undefined ? '' : ` (re-ran the failed tests of run ${of.runId}, attempt ${of.attempt})`
      const message =
        `${label}${run} ${finished.result || 'no result'}${reRanPhrase}${reRunPhrase(finished)}: ` +
        `${describeCounts(finished.counts)}${decider}`
      if (finished.passed) return { level: 'info', message }
      if (report.failOnFailure) return { level: 'error', message }
      return { level: 'warning', title: `${label} did not pass (fail-on-failure: false)`, message }
    }
    case 'triggered':
      return { level: 'info', message: `${label}${run} started; not waiting for it (wait: false)${link}` }
    case 'timed-out':
      return {
        level: 'error',
        message:
          `${label}${run} did not finish within the timeout of ${formatDuration(report.timeoutMs)}` +
          `${lastSeen(state)}.${stopNote(report)} If it needs longer, raise timeout-minutes.${link}`
      }
    case 'cancelled':
      return {
        level: 'error',
        message: `${label}${run}: the job was cancelled${lastSeen(state)}.${stopNote(report)}${link}`
      }
    case 'failed':
      return { level: 'error', message: `${label}${run}: ${report.error ?? 'failed'}${lastSeen(state)}${link}` }
  }
}

/** " on re-run 1 (run 339)" for a passed chain, " after 2 re-runs (run 341)" for one that did not pass, else "". */
export function reRunPhrase(state: RunState): string {
  if (state.reRuns === 0) return ''
  const final = `(run ${state.finalRunId})`
  if (state.passed) return ` on re-run ${state.reRuns} ${final}`
  return ` after ${state.reRuns} re-run${state.reRuns === 1 ? '' : 's'} ${final}`
}

function lastSeen(state: RunState | undefined): string {
  return state === undefined ? '' : ` (last seen ${describeProgress(state)})`
}

function stopNote(report: RunReport): string {
  if (report.stop === undefined) return ''
  return report.stop.stopped
    ? ' The Testsigma run was stopped.'
    : ` The Testsigma run could not be stopped: ${report.stop.detail ?? 'unknown reason'}.`
}
