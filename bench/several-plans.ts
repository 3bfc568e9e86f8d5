/**
 * Several test plans in one step (`test-plan-id: a, b, c`): 1, 3 and 10 plans, each completing at a known time
 * after its trigger (`progress: 'time'`), run by one bundle. Wall time against the last plan's end, status requests
 * per plan against what the plan needs alone, and peak RSS against one plan's.
 */
import { rm } from 'node:fs/promises'
import { BenchContext, API_KEY, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { idealStatusRequests, ms, renderTable, signed } from './stats.js'
import { FINISHED } from '../sim/simulator.js'

const PLAN_COUNTS = [1, 3, 10]
// The wall time may pass the last plan's end by one poll interval and the tail (the reports, the exit).
const TAIL_TARGET_MS = 300
const RSS_TARGET_KIB = 10 * 1024
let planCounter = 9000

interface PlansRun {
  plans: number
  /** The last plan's completion, ms after the first trigger arrived. */
  lastEndMs: number
  /** The exit, ms after the first trigger arrived. */
  exitMs: number
  /** Status requests each plan's run got, and what it needs alone (⌈completion / interval⌉). */
  requests: Array<{ sent: number; alone: number }>
  peakRssKib?: number
  exitCode: number | null
  /** The triggers' arrivals, ms after the first: how close together they were sent. */
  triggerSpreadMs: number
}

async function plansRun(context: BenchContext, count: number, intervalMs: number): Promise<PlansRun> {
  const { sim, rss } = context
  // Completions spread over two intervals, starting after two: the order of ends is not the order of ids.
  const ends = Array.from({ length: count }, (_, i) =>
    Math.round(2.2 * intervalMs + ((i * 7) % count) * ((1.9 * intervalMs) / count))
  )
  const ids = ends.map(endMs => {
    const id = String((planCounter += 1))
    sim.addPlan({
      id,
      name: `Benchmark plan ${id}`,
      progress: 'time',
      durationMs: endMs,
      frames: [
        { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 1 }, atMs: 0 },
        { status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5 }, atMs: endMs }
      ]
    })
    return id
  })
  const { run, peakKib } = await rss.start({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': ids.join(', '),
      'base-url': sim.url,
      'poll-interval-seconds': String(intervalMs / 1000),
      'junit-report': 'reports/testsigma-junit.xml'
    }
  })
  let exitedAt = 0
  run.child.once('exit', () => (exitedAt = Date.now()))
  const result = await run.result
  await rm(result.workspace, { recursive: true, force: true })
  const simRuns = ids.map(id => [...sim.runs.values()].find(simRun => simRun.plan.id === id))
  if (simRuns.some(simRun => simRun === undefined)) throw new Error(`a plan was not triggered: ${result.stdout}`)
  const triggeredAts = simRuns.map(simRun => simRun?.triggeredAt ?? 0)
  const first = Math.min(...triggeredAts)
  const requests = simRuns.map((simRun, i) => {
    const path = `/api/v1/execution_results/${simRun?.id}`
    return {
      sent: sim.requests.filter(request => request.route === 'status' && request.path === path).length,
      alone: idealStatusRequests(ends[i], intervalMs)
    }
  })
  return {
    plans: count,
    lastEndMs: Math.max(...ends.map((endMs, i) => triggeredAts[i] - first + endMs)),
    exitMs: exitedAt - first,
    requests,
    peakRssKib: await peakKib,
    exitCode: result.exitCode,
    triggerSpreadMs: Math.max(...triggeredAts) - first
  }
}

/** SEVERAL PLANS: wall time, status requests per plan, peak RSS. */
export async function severalPlansFigure(context: BenchContext): Promise<Section> {
  const intervalMs = context.settings.fastIntervalMs
  const load = startLoadProbe()
  const problems: string[] = []
  const runs: PlansRun[] = []
  for (const count of PLAN_COUNTS) {
    progress(`several plans: ${count} in one step, interval ${ms(intervalMs)}`)
    const run = await plansRun(context, count, intervalMs)
    if (run.exitCode !== 0) problems.push(`${count} plans: exit code ${run.exitCode}`)
    runs.push(run)
  }
  const reading = load.stop()
  const over = (run: PlansRun): number => run.exitMs - run.lastEndMs
  const worstOver = Math.max(...runs.map(over))
  const requestsOver = Math.max(...runs.flatMap(run => run.requests.map(r => r.sent - r.alone)))
  const one = runs.find(run => run.plans === 1)?.peakRssKib
  const ten = runs.find(run => run.plans === 10)?.peakRssKib
  const lines = [
    `SEVERAL PLANS: one step, plans ending at known times, interval ${ms(intervalMs)} (${describeLoad(reading)})`,
    renderTable(
      ['plans', 'triggers within', 'last end', 'exit', 'exit − last end', 'status req (sent / alone)', 'peak RSS'],
      runs.map(run => [
        String(run.plans),
        ms(run.triggerSpreadMs),
        ms(run.lastEndMs),
        ms(run.exitMs),
        signed(over(run)),
        `${run.requests.reduce((sum, r) => sum + r.sent, 0)} / ${run.requests.reduce((sum, r) => sum + r.alone, 0)}`,
        run.peakRssKib === undefined ? '—' : `${(run.peakRssKib / 1024).toFixed(1)} MiB`
      ])
    )
  ]
  return {
    key: 'severalPlans',
    lines,
    figures: { intervalMs, runs },
    load: reading,
    targets: [
      {
        name: `several plans: exit ≤ last plan's end + interval + ${TAIL_TARGET_MS} ms`,
        measured: `${ms(worstOver)} after the last end at worst`,
        met: worstOver <= intervalMs + TAIL_TARGET_MS
      },
      {
        name: 'several plans: status requests per plan ≤ alone',
        measured: requestsOver <= 0 ? 'never more than alone' : `${requestsOver} more than alone at worst`,
        met: requestsOver <= 0
      },
      {
        name: 'several plans: peak RSS of 10 plans ≤ 1 plan + 10 MiB',
        measured:
          one === undefined || ten === undefined
            ? 'not measured'
            : `${signed((ten - one) / 1024, v => `${v.toFixed(1)} MiB`)}`,
        met: one === undefined || ten === undefined ? undefined : ten - one <= RSS_TARGET_KIB
      }
    ],
    problems
  }
}
