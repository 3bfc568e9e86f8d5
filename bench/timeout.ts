/**
 * Timeout: a run that never finishes, `timeout-minutes` such that the deadline falls between two polls:
 * when the last status request, the stop request and the exit come relative to the deadline.
 */
import { BenchContext, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { timedRun } from './scenarios.js'
import { ms, signed } from './stats.js'

const STOP_AFTER_DEADLINE_TARGET_MS = 300

export interface TimeoutFigures {
  intervalMs: number
  timeoutMs: number
  lastPollMs: number
  stopRequestAfterDeadlineMs: number
  exitAfterDeadlineMs: number
  /** The poll a loop that slept whole intervals would have sent next. */
  nextScheduledPollMs: number
  peakRssKib?: number
}

/** TIMEOUT. `phaseMs`: when polls fall after the trigger, from the verdict-lag runs. */
export async function timeoutFigure(context: BenchContext, phaseMs: number): Promise<Section> {
  const { settings, sim, rss } = context
  const intervalMs = settings.fastIntervalMs
  progress(`timeout: a run that never finishes, interval ${ms(intervalMs)}, timeout-minutes ${settings.timeoutMinutes}`)
  const load = startLoadProbe()
  const timeoutMs = Number(settings.timeoutMinutes) * 60_000
  const run = await timedRun(sim, rss, { intervalMs, timeoutMinutes: settings.timeoutMinutes })
  const reading = load.stop()
  const problems: string[] = []
  if (run.exitCode !== 1) problems.push(`timeout run: exit code ${run.exitCode}\n${run.log}`)
  if (run.stopArrival === undefined) problems.push(`timeout run: no stop request\n${run.log}`)
  const figures: TimeoutFigures = {
    intervalMs,
    timeoutMs,
    lastPollMs: run.statusArrivals[run.statusArrivals.length - 1] ?? Number.NaN,
    stopRequestAfterDeadlineMs: (run.stopArrival ?? Number.NaN) - timeoutMs,
    exitAfterDeadlineMs: run.exitAt - timeoutMs,
    nextScheduledPollMs: Math.ceil(timeoutMs / intervalMs) * intervalMs + phaseMs,
    peakRssKib: run.peakRssKib
  }
  const lines = [
    `TIMEOUT: never-finishing run, interval ${ms(intervalMs)}, timeout ${ms(timeoutMs)}: last poll at ${ms(figures.lastPollMs)}, ` +
      `stop request at deadline ${signed(figures.stopRequestAfterDeadlineMs)}, exit at deadline ${signed(figures.exitAfterDeadlineMs)} ` +
      `(the next poll would have been at ${ms(figures.nextScheduledPollMs)}; the action's clock starts a few ms before the trigger arrives; ${describeLoad(reading)})`
  ]
  return {
    key: 'timeout',
    lines,
    figures,
    load: reading,
    targets: [
      {
        name: `timeout: stop sent ≤ deadline + ${STOP_AFTER_DEADLINE_TARGET_MS / 1000} s`,
        measured: `deadline ${signed(figures.stopRequestAfterDeadlineMs)}`,
        met: figures.stopRequestAfterDeadlineMs <= STOP_AFTER_DEADLINE_TARGET_MS
      }
    ],
    problems,
    peakRssKib: run.peakRssKib === undefined ? [] : [run.peakRssKib]
  }
}
