/**
 * Fault burst: 502 pages, a dropped connection and a 200 with an HTML body, queued to meet the poll that
 * would read the finished run (worst-case completion), against the clean worst-case run at the same interval.
 */
import type { Fault } from '../sim/simulator.js'
import { TestsigmaSimulator } from '../sim/simulator.js'
import { BenchContext, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { API_KEY } from './context.js'
import { timedRun } from './scenarios.js'
import { backoffRangeMs, ms, renderTable } from './stats.js'
import { DEFAULT_INTERVAL_MS, lagFigures, LagFigures, VerdictLag } from './verdict-lag.js'

const BAD_GATEWAY: Fault = { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' }

export const FAULT_BURST: Array<{ label: string; fault: Fault }> = [
  { label: '502', fault: BAD_GATEWAY },
  { label: '502', fault: BAD_GATEWAY },
  { label: '502', fault: BAD_GATEWAY },
  { label: 'dropped connection', fault: { type: 'drop' } },
  { label: 'non-JSON 200', fault: { type: 'non-json' } }
]

export interface FaultRun extends LagFigures {
  faults: string[]
  faultsServed: number
  extraLagMs?: number
  extraRequests?: number
}

/** FAULT BURST, at the short interval and, in full mode, at the default one. */
export async function faultBurstFigure(context: BenchContext, lag: VerdictLag): Promise<Section> {
  const { settings, rss } = context
  const burst = FAULT_BURST.slice(0, settings.faults)
  const labels = burst.map(entry => entry.label)
  const intervals = settings.defaultInterval
    ? [settings.fastIntervalMs, DEFAULT_INTERVAL_MS]
    : [settings.fastIntervalMs]
  const problems: string[] = []
  const runs: FaultRun[] = []
  const load = startLoadProbe()
  for (const intervalMs of intervals) {
    progress(`a burst of ${burst.length} fault(s) on the poll that would read the finished run, at ${ms(intervalMs)}`)
    // A simulator of its own: faults queue per route, so none can be left over for another run.
    const faulty = await TestsigmaSimulator.start({ apiKey: API_KEY })
    const run = await timedRun(faulty, rss, {
      intervalMs: intervalMs === DEFAULT_INTERVAL_MS ? undefined : intervalMs,
      completeAtMs: lag.worstAt(intervalMs),
      faultsAtCompletion: burst.map(entry => entry.fault)
    })
    await faulty.close()
    const figures = lagFigures('fault burst, completion just after a poll', intervalMs, run, problems)
    const clean = lag.runs.find(other => other.intervalMs === intervalMs && other.scenario === 'just after a poll')
    runs.push({
      ...figures,
      faults: labels,
      faultsServed: run.faultsServed,
      extraLagMs: clean === undefined ? undefined : figures.lagMs - clean.lagMs,
      extraRequests: clean === undefined ? undefined : figures.statusRequests - clean.statusRequests
    })
  }
  const reading = load.stop()
  const backoff = backoffRangeMs(burst.length)
  const lines = [
    `FAULT BURST: ${labels.join(', ')} on the poll that would read the finished run ` +
      `(retry backoff for ${burst.length}, uncapped: ${ms(backoff.min)}–${ms(backoff.max)}; ${describeLoad(reading)})`,
    renderTable(
      ['interval', 'faults served', 'status req', 'extra req', 'lag', 'extra lag', 'extra × interval'],
      runs.map(run => [
        ms(run.intervalMs),
        String(run.faultsServed),
        String(run.statusRequests),
        run.extraRequests === undefined ? '—' : String(run.extraRequests),
        ms(run.lagMs),
        run.extraLagMs === undefined ? '—' : ms(run.extraLagMs),
        run.extraLagMs === undefined ? '—' : (run.extraLagMs / run.intervalMs).toFixed(2)
      ])
    )
  ]
  return {
    key: 'faultBurst',
    lines,
    figures: runs,
    load: reading,
    targets: [],
    problems,
    peakRssKib: runs.flatMap(run => (run.peakRssKib === undefined ? [] : [run.peakRssKib]))
  }
}
