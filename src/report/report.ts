import { describeCounts, describeProgress, RunState } from '../run.js'
import type { TestCaseResult } from './junit.js'

/** How the step ended, as far as the run is concerned. */
export type Outcome =
  /** The run finished (passed or not). */
  | 'finished'
  /** `wait: false`: the run was started and not waited for. */
  | 'triggered'
  | 'timed-out'
  | 'cancelled'
  /** A request failed for good, before or while waiting. */
  | 'failed'

/** Everything the reporting needs, in one value: outputs, summary, annotations and verdict all read it. */
export interface RunReport {
  outcome: Outcome
  testPlanId: string
  /** Absent when the trigger itself failed. */
  runId?: string
  runUrl?: string
  /** The last state read; absent when the trigger failed. */
  state?: RunState
  buildNumber?: string
  failOnFailure: boolean
  timeoutMs: number
  /** The JUnit file written, relative to the workspace as the user gave it. */
  junitReportPath?: string
  /** Every test case of the run's JUnit report; absent when the report could not be had or read. */
  testCases?: TestCaseResult[]
  /** Why there are no `testCases` for a finished run, as warned in the log. */
  reportWarning?: string
  /** Whether the action asked Testsigma to stop the run (cancel or timeout), and how that went. */
  stop?: { stopped: boolean; detail?: string }
  /** What went wrong, for `failed`: already a message for people. */
  error?: string
}

export interface Verdict {
  /** The step fails (red) when true. */
  failStep: boolean
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
      const message = `${label}${run} ${finished.result || 'no result'}: ${describeCounts(finished.counts)}${link}`
      return { failStep: !finished.passed && report.failOnFailure, message }
    }
    case 'triggered':
      return { failStep: false, message: `${label}${run} started; not waiting for it (wait: false)${link}` }
    case 'timed-out':
      return {
        failStep: true,
        message:
          `${label}${run} did not finish within the timeout of ${formatDuration(report.timeoutMs)}` +
          `${lastSeen(state)}.${stopNote(report)}${link}`
      }
    case 'cancelled':
      return {
        failStep: true,
        message: `${label}${run}: the job was cancelled${lastSeen(state)}.${stopNote(report)}${link}`
      }
    case 'failed':
      return { failStep: true, message: `${label}${run}: ${report.error ?? 'failed'}${lastSeen(state)}${link}` }
  }
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

/** "1 h 2 min", "2 min 5 s", "45 s", "0.8 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const parts: string[] = []
  if (hours > 0) parts.push(`${hours} h`)
  if (minutes > 0) parts.push(`${minutes} min`)
  if (seconds > 0 && hours === 0) parts.push(`${seconds} s`)
  return parts.join(' ')
}

/** Server text on one line, so it can never start a log line (and so never a `::workflow-command`). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()
}

/** At most `limit` characters (UTF-16 units), ending in "…" when cut; never splits a surrogate pair. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text
  let end = Math.max(0, limit - 1)
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}
