/**
 * Verdict lag, status requests and cadence drift: runs scripted to complete at a known time after the
 * trigger (`progress: 'time'`), at the short interval (mid-interval, just after a poll, 25 % and 75 % into
 * an interval, behind a slow server) and at the default 15 s interval (just after a poll).
 */
import { BenchContext, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { timedRun, TimedRun } from './scenarios.js'
import { startSlowProxy } from './slow-proxy.js'
import { cadenceDriftMs, idealStatusRequests, justAfterPoll, ms, renderTable, signed } from './stats.js'

export const DEFAULT_INTERVAL_MS = 15_000
const LAG_OVER_INTERVAL_TARGET_MS = 300
const REQUESTS_OVER_IDEAL_TARGET = 1

export interface LagFigures {
  scenario: string
  intervalMs: number
  completeAtMs: number
  lagMs: number
  fractionOfInterval: number
  /** Completion → the first status answer that says finished. */
  waitMs?: number
  /** That answer → exit. */
  tailMs?: number
  statusRequests: number
  idealRequests: number
  cadenceDriftMs: number
  exitCode: number | null
  peakRssKib?: number
}

/** One run's figures; a run that misbehaves adds to `problems`. */
export function lagFigures(scenario: string, intervalMs: number, run: TimedRun, problems: string[]): LagFigures {
  const completeAtMs = run.completeAtMs as number
  const lagMs = run.exitAt - completeAtMs
  if (run.exitCode !== 0) problems.push(`${scenario}: exit code ${run.exitCode}\n${run.log}`)
  if (run.finishedServedAt === undefined) problems.push(`${scenario}: the finished run was never read`)
  const clean = run.faultsServed === 0 ? run.statusArrivals : run.statusArrivals.filter(at => at < completeAtMs)
  return {
    scenario,
    intervalMs,
    completeAtMs,
    lagMs,
    fractionOfInterval: lagMs / intervalMs,
    waitMs: run.finishedServedAt === undefined ? undefined : run.finishedServedAt - completeAtMs,
    tailMs: run.finishedServedAt === undefined ? undefined : run.exitAt - run.finishedServedAt,
    statusRequests: run.statusArrivals.length,
    idealRequests: idealStatusRequests(completeAtMs, intervalMs),
    cadenceDriftMs: cadenceDriftMs(clean, intervalMs),
    exitCode: run.exitCode,
    peakRssKib: run.peakRssKib
  }
}

export interface VerdictLag {
  section: Section
  runs: LagFigures[]
  /** When polls fall after the trigger: phase + k × interval. */
  phaseMs: number
  /** The worst moment to complete: `marginMs` after poll 2. */
  worstAt: (intervalMs: number) => number
}

/** VERDICT LAG (with status requests and cadence drift as columns). */
export async function verdictLagFigure(context: BenchContext): Promise<VerdictLag> {
  const { sim, rss, settings } = context
  const fast = settings.fastIntervalMs
  const problems: string[] = []
  const runs: LagFigures[] = []
  const load = startLoadProbe()

  progress(`verdict lag at ${ms(fast)}: completion mid-interval (learns when polls fall), then just after a poll`)
  const calibration = await timedRun(sim, rss, { intervalMs: fast, completeAtMs: 2.5 * fast })
  runs.push(lagFigures('mid-interval', fast, calibration, problems))
  const phaseMs = (calibration.statusArrivals[0] ?? fast) - fast
  const worstAt = (intervalMs: number): number => justAfterPoll(2, intervalMs, phaseMs, settings.marginMs)
  const worst = await timedRun(sim, rss, { intervalMs: fast, completeAtMs: worstAt(fast) })
  runs.push(lagFigures('just after a poll', fast, worst, problems))
  for (const phase of settings.phases) {
    const completeAtMs = justAfterPoll(2, fast, phaseMs, phase * fast)
    const run = await timedRun(sim, rss, { intervalMs: fast, completeAtMs })
    runs.push(lagFigures(`${phase * 100} % into an interval`, fast, run, problems))
  }

  const delay = settings.slowDelayMs
  progress(`verdict lag at ${ms(fast)} with a server that answers ${ms(delay)} late (fixed cadence or drift?)`)
  const slowProxy = await startSlowProxy(sim.url, delay)
  const slow = await timedRun(sim, rss, { intervalMs: fast, completeAtMs: 3.5 * fast, baseUrl: slowProxy.url })
  await slowProxy.close()
  runs.push(lagFigures(`server ${ms(delay)} slow, mid-interval`, fast, slow, problems))
  /** How far the slow run's polls would have drifted had the loop slept a whole interval after each answer. */
  const driftIfSleepingAfterAnswers = (slow.statusArrivals.length - 1) * delay

  if (settings.defaultInterval) {
    progress(`verdict lag at the default ${ms(DEFAULT_INTERVAL_MS)} interval, completion just after a poll (~30 s)`)
    const run = await timedRun(sim, rss, { completeAtMs: worstAt(DEFAULT_INTERVAL_MS) })
    runs.push(lagFigures('just after a poll', DEFAULT_INTERVAL_MS, run, problems))
  }
  const reading = load.stop()

  const lines = [
    `VERDICT LAG: run completes at a known time → process exit (wait = completion → finished read; tail = → exit; ${describeLoad(reading)})`,
    renderTable(
      ['interval', 'completion', 'lag', '× interval', 'wait', 'tail', 'status req', 'ideal', 'cadence drift'],
      runs.map(run => [
        `${ms(run.intervalMs)}, ${run.scenario}`,
        ms(run.completeAtMs),
        ms(run.lagMs),
        run.fractionOfInterval.toFixed(2),
        run.waitMs === undefined ? '—' : ms(run.waitMs),
        run.tailMs === undefined ? '—' : ms(run.tailMs),
        String(run.statusRequests),
        String(run.idealRequests),
        ms(run.cadenceDriftMs)
      ])
    ),
    `ideal: one poll per interval after the trigger until one falls at or after completion (⌈completion / interval⌉); ` +
      `cadence drift: how far polls stray from first poll + k × interval (sleeping a whole interval after each ` +
      `answer would have drifted the slow-server run by ${ms(driftIfSleepingAfterAnswers)})`
  ]

  const intervals = [...new Set(runs.map(run => run.intervalMs))]
  const worstRequestsOver = Math.max(...runs.map(run => run.statusRequests - run.idealRequests))
  const section: Section = {
    key: 'verdictLag',
    lines,
    figures: {
      runs,
      phaseMs,
      slowServer: { delayMs: delay, driftIfSleepingAfterAnswersMs: driftIfSleepingAfterAnswers }
    },
    load: reading,
    peakRssKib: runs.flatMap(run => (run.peakRssKib === undefined ? [] : [run.peakRssKib])),
    targets: [
      ...intervals.map(intervalMs => {
        const worstLag = Math.max(...runs.filter(run => run.intervalMs === intervalMs).map(run => run.lagMs))
        return {
          name: `verdict lag ≤ interval + ${LAG_OVER_INTERVAL_TARGET_MS / 1000} s (${ms(intervalMs)})`,
          measured: `${ms(worstLag)} worst (interval ${signed(worstLag - intervalMs)})`,
          met: worstLag - intervalMs <= LAG_OVER_INTERVAL_TARGET_MS
        }
      }),
      {
        name: `status requests ≤ ideal + ${REQUESTS_OVER_IDEAL_TARGET} (clean runs)`,
        measured: `ideal ${signed(worstRequestsOver, String)} at most`,
        met: worstRequestsOver <= REQUESTS_OVER_IDEAL_TARGET
      }
    ],
    problems
  }
  return { section, runs, phaseMs, worstAt }
}
