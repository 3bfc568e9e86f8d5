/**
 * `npm run bench`: how fast the committed dist/index.js starts, how soon after Testsigma finishes it exits
 * with the verdict, how many requests it sends, and what it weighs. It runs the bundle as the runner does
 * (a child process per run, sim/run-bundle.ts) against the loopback simulator, prints tables and writes the
 * figures as JSON to bench/results/. See BENCHMARKS.md for what each figure means.
 *
 *   npm run bench               full: ≥10 runs per start-up figure, 1 s and 15 s intervals (about 3 minutes)
 *   npm run bench -- --quick    smoke test: few runs, short intervals, about 10 s; no composition build
 *
 * No figure fails the command: it exits non-zero only when a run does not behave (no trigger, wrong exit).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { BUNDLE } from '../sim/run-bundle.js'
import type { Fault } from '../sim/simulator.js'
import { TestsigmaSimulator } from '../sim/simulator.js'
import { bundleComposition, Composition, withoutPackage } from './bundle-composition.js'
import {
  BundleBuild,
  buildWithStats,
  EvaluationSample,
  measureEvaluation,
  REPO,
  rssProbe,
  scratchDir,
  writeBundleCopy
} from './footprint.js'
import { API_KEY, bareNodeMs, importMs, startupSample, timedRun, TimedRun } from './scenarios.js'
import { startSlowProxy } from './slow-proxy.js'
import {
  backoffRangeMs,
  cadenceDriftMs,
  idealStatusRequests,
  justAfterPoll,
  kib,
  ms,
  percent,
  renderTable,
  spread,
  Spread
} from './stats.js'

const quick = process.argv.includes('--quick')
const DEFAULT_INTERVAL_MS = 15_000

const FAULT_BURST: Array<{ label: string; fault: Fault }> = [
  { label: '502', fault: { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' } },
  { label: '502', fault: { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' } },
  { label: '502', fault: { type: 'status', status: 502, body: '<html><title>502 Bad Gateway</title></html>' } },
  { label: 'dropped connection', fault: { type: 'drop' } },
  { label: 'non-JSON 200', fault: { type: 'non-json' } }
]

const settings = quick
  ? {
      startupRuns: 3,
      importRuns: 0,
      evaluationRuns: 2,
      fastIntervalMs: 1000,
      marginMs: 30,
      phases: [] as number[],
      defaultInterval: false,
      burst: FAULT_BURST.slice(0, 1),
      timeoutMinutes: '0.03',
      composition: false
    }
  : {
      startupRuns: 15,
      importRuns: 10,
      evaluationRuns: 10,
      fastIntervalMs: 1000,
      marginMs: 50,
      phases: [0.25, 0.75],
      defaultInterval: true,
      burst: FAULT_BURST,
      timeoutMinutes: '0.0425',
      composition: true
    }

/** The package whose cost the what-if start-up row shows: the bundle with its modules emptied. */
const WHAT_IF_WITHOUT = 'undici'

const IMPORTS = ['@actions/core', '@actions/http-client', 'undici', 'tunnel', '@actions/github']

const TARGETS = { startupRatio: 1.6, lagOverIntervalMs: 300, requestsOverIdeal: 1, peakRssMb: 100 }

function signed(value: number): string {
  return `${value < 0 ? '−' : '+'} ${ms(Math.abs(value))}`
}

function progress(message: string): void {
  process.stderr.write(`· ${message}\n`)
}

const node = process.env.ACTION_NODE ?? process.execPath
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
const scratch = await scratchDir()
const rss = await rssProbe(node, scratch)
const sim = await TestsigmaSimulator.start({ apiKey: API_KEY })
const problems: string[] = []

// ── the bundle's make-up (first: the build loads the CPU, which would disturb the timings) ────────────
const bundleText = await readFile(BUNDLE, 'latin1')
let build: BundleBuild | undefined
let whatIfBundle: string | undefined
if (settings.composition) {
  progress('bundle composition: ncc build --stats-out into a scratch directory (~15 s)')
  build = await buildWithStats(scratch)
  if (!build.sameAsDist) problems.push('dist/index.js is not the bundle of src/: run `npm run bundle`')
  const stubbed = withoutPackage(bundleText, build.modules, WHAT_IF_WITHOUT)
  if (stubbed !== undefined) whatIfBundle = await writeBundleCopy(scratch, `without-${WHAT_IF_WITHOUT}`, stubbed)
}

// ── start-up ───────────────────────────────────────────────────────────────────────────────────────────
const loadBefore = os.loadavg()[0]
progress(
  `start-up: ${settings.startupRuns} × (node -e 0, floor script, bundle${whatIfBundle ? ', what-if bundle' : ''}), ` +
    'alternating, after one warm-up'
)
await startupSample(sim, node, whatIfBundle)
const startupSamples = []
for (let i = 0; i < settings.startupRuns; i++) startupSamples.push(await startupSample(sim, node, whatIfBundle))
const bareNode = spread(startupSamples.map(sample => sample.bareNodeMs))
const floor = spread(startupSamples.map(sample => sample.floorMs))
const toTrigger = spread(startupSamples.map(sample => sample.triggerMs))
const whatIf = whatIfBundle === undefined ? undefined : spread(startupSamples.map(sample => sample.whatIfMs as number))
const startupRatio = toTrigger.median / bareNode.median
const floorRatio = floor.median / bareNode.median

const importCosts: Array<{ specifier: string; ms: Spread; overBareMs: number }> = []
if (settings.importRuns > 0) {
  progress(`import costs: ${settings.importRuns} × node -e "await import(…)" for ${IMPORTS.length} packages`)
  const samples = new Map<string, number[]>(IMPORTS.map(specifier => [specifier, []]))
  const bare: number[] = []
  for (let i = 0; i < settings.importRuns; i++) {
    bare.push(await bareNodeMs(node))
    for (const specifier of IMPORTS) samples.get(specifier)?.push(await importMs(node, specifier))
  }
  const bareMedian = spread(bare).median
  for (const [specifier, values] of samples) {
    const figures = spread(values)
    importCosts.push({ specifier, ms: figures, overBareMs: figures.median - bareMedian })
  }
}

progress(`evaluation of the bundle's parts: ${settings.evaluationRuns} instrumented runs`)
const evaluations: EvaluationSample[] = []
for (let i = 0; i < settings.evaluationRuns; i++) {
  const sample = await measureEvaluation(node, scratch)
  if (sample !== undefined) evaluations.push(sample)
}

// ── verdict lag and requests ───────────────────────────────────────────────────────────────────────────
interface LagFigures {
  scenario: string
  intervalMs: number
  completeAtMs: number
  lagMs: number
  fractionOfInterval: number
  waitMs?: number
  tailMs?: number
  statusRequests: number
  idealRequests: number
  cadenceDriftMs: number
  faults?: string[]
  faultsServed?: number
  extraLagMs?: number
  extraRequests?: number
  exitCode: number | null
  peakRssKib?: number
}

function lagFigures(scenario: string, intervalMs: number, run: TimedRun): LagFigures {
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

const fast = settings.fastIntervalMs
const lagRuns: LagFigures[] = []
progress(`verdict lag at ${ms(fast)}: completion mid-interval (learns when polls fall), then just after a poll`)
const calibration = await timedRun(sim, rss, { intervalMs: fast, completeAtMs: 2.5 * fast })
lagRuns.push(lagFigures('mid-interval', fast, calibration))
// Polls fall at phase + k × interval after the trigger; the worst moment to complete is just after one.
const phaseMs = calibration.statusArrivals[0] - fast
const worstAt = (intervalMs: number): number => justAfterPoll(2, intervalMs, phaseMs, settings.marginMs)
lagRuns.push(
  lagFigures('just after a poll', fast, await timedRun(sim, rss, { intervalMs: fast, completeAtMs: worstAt(fast) }))
)
for (const phase of settings.phases) {
  const completeAtMs = justAfterPoll(2, fast, phaseMs, phase * fast)
  lagRuns.push(
    lagFigures(`${phase * 100} % into an interval`, fast, await timedRun(sim, rss, { intervalMs: fast, completeAtMs }))
  )
}
const slowDelayMs = quick ? 100 : 250
progress(`verdict lag at ${ms(fast)} with a server that answers ${ms(slowDelayMs)} late (fixed cadence or drift?)`)
const slowProxy = await startSlowProxy(sim.url, slowDelayMs)
const slowRun = await timedRun(sim, rss, { intervalMs: fast, completeAtMs: 3.5 * fast, baseUrl: slowProxy.url })
await slowProxy.close()
lagRuns.push(lagFigures(`server ${ms(slowDelayMs)} slow, mid-interval`, fast, slowRun))
/** How far the slow run's polls would have drifted had the loop slept a whole interval after each answer. */
const driftIfSleepingAfterAnswers = (slowRun.statusArrivals.length - 1) * slowDelayMs

if (settings.defaultInterval) {
  progress(`verdict lag at the default ${ms(DEFAULT_INTERVAL_MS)} interval, completion just after a poll (~30 s)`)
  const run = await timedRun(sim, rss, { completeAtMs: worstAt(DEFAULT_INTERVAL_MS) })
  lagRuns.push(lagFigures('just after a poll', DEFAULT_INTERVAL_MS, run))
}

const faultRuns: LagFigures[] = []
const burst = settings.burst.map(entry => entry.fault)
const burstLabels = settings.burst.map(entry => entry.label)
const faultIntervals = settings.defaultInterval ? [fast, DEFAULT_INTERVAL_MS] : [fast]
for (const intervalMs of faultIntervals) {
  progress(`a burst of ${burst.length} fault(s) on the poll that would read the finished run, at ${ms(intervalMs)}`)
  // A simulator of its own: faults queue per route, so none can be left over for another run.
  const faulty = await TestsigmaSimulator.start({ apiKey: API_KEY })
  const run = await timedRun(faulty, rss, {
    intervalMs: intervalMs === DEFAULT_INTERVAL_MS ? undefined : intervalMs,
    completeAtMs: worstAt(intervalMs),
    faultsAtCompletion: burst
  })
  await faulty.close()
  const figures = lagFigures('fault burst, completion just after a poll', intervalMs, run)
  const clean = lagRuns.find(lag => lag.intervalMs === intervalMs && lag.scenario === 'just after a poll')
  faultRuns.push({
    ...figures,
    faults: burstLabels,
    faultsServed: run.faultsServed,
    extraLagMs: clean === undefined ? undefined : figures.lagMs - clean.lagMs,
    extraRequests: clean === undefined ? undefined : figures.statusRequests - clean.statusRequests
  })
}

progress(`timeout: a run that never finishes, interval ${ms(fast)}, timeout-minutes ${settings.timeoutMinutes}`)
const timeoutMs = Number(settings.timeoutMinutes) * 60_000
const timeoutRun = await timedRun(sim, rss, { intervalMs: fast, timeoutMinutes: settings.timeoutMinutes })
if (timeoutRun.exitCode !== 1) problems.push(`timeout run: exit code ${timeoutRun.exitCode}\n${timeoutRun.log}`)
const deadline = {
  intervalMs: fast,
  timeoutMs,
  lastPollMs: timeoutRun.statusArrivals[timeoutRun.statusArrivals.length - 1],
  stopRequestAfterDeadlineMs: (timeoutRun.stopArrival ?? Number.NaN) - timeoutMs,
  exitAfterDeadlineMs: timeoutRun.exitAt - timeoutMs,
  /** The poll a loop that slept whole intervals would have sent next. */
  nextScheduledPollMs: Math.ceil(timeoutMs / fast) * fast + phaseMs
}
await sim.close()

// ── footprint ──────────────────────────────────────────────────────────────────────────────────────────
const distBytes = (await stat(BUNDLE)).size
// Chunks ncc splits off for dynamic import() (say, a client loaded only when a feature is asked for).
const lazyChunks = await Promise.all(
  (await readdir(path.dirname(BUNDLE)))
    .filter(file => file.endsWith('.js') && file !== path.basename(BUNDLE))
    .map(async file => ({ file, bytes: (await stat(path.join(path.dirname(BUNDLE), file))).size }))
)
const sourceMaps = /sourceMappingURL|source-map-support/.test(bundleText)
const composition: Composition | undefined = build && bundleComposition(bundleText, build.modules)
const compositionSameAsDist = build?.sameAsDist
const moduleNames = new Map(
  (build?.modules ?? []).map(module => [String(module.id), module.name.replace(/^\.\/node_modules\//, '')])
)
const peakRss = lagRuns
  .concat(faultRuns)
  .map(run => run.peakRssKib)
  .concat(timeoutRun.peakRssKib)
  .filter((value): value is number => value !== undefined)
const peakRssMb = peakRss.length === 0 ? undefined : spread(peakRss.map(value => (value * 1024) / 1e6))

// Evaluation: the median of each part across runs.
const evaluation =
  evaluations.length === 0
    ? undefined
    : {
        runs: evaluations.length,
        firstStatementMs: spread(evaluations.map(sample => sample.firstStatementMs)).median,
        evaluatedMs: spread(evaluations.map(sample => sample.evaluatedMs)).median,
        topLevelRequires: evaluations[0].topLevelRequires.map(({ id }) => ({
          module: moduleNames.get(id) ?? `module ${id}`,
          ms: spread(evaluations.map(sample => sample.topLevelRequires.find(entry => entry.id === id)?.ms ?? 0)).median
        }))
      }

// ── targets ────────────────────────────────────────────────────────────────────────────────────────────
const cleanLag = lagRuns
const worstRequestsOver = Math.max(...cleanLag.map(run => run.statusRequests - run.idealRequests))
const targets = [
  {
    name: 'start-up ≤ 1.6 × bare node',
    measured: `${startupRatio.toFixed(2)} ×`,
    met: startupRatio <= TARGETS.startupRatio
  },
  ...[fast, DEFAULT_INTERVAL_MS]
    .filter(intervalMs => cleanLag.some(run => run.intervalMs === intervalMs))
    .map(intervalMs => {
      const worst = Math.max(...cleanLag.filter(run => run.intervalMs === intervalMs).map(run => run.lagMs))
      return {
        name: `verdict lag ≤ interval + 0.3 s (${ms(intervalMs)})`,
        measured: `${ms(worst)} worst (interval ${signed(worst - intervalMs)})`,
        met: worst - intervalMs <= TARGETS.lagOverIntervalMs
      }
    }),
  {
    name: 'timeout: stop sent ≤ deadline + 0.3 s',
    measured: `deadline ${signed(deadline.stopRequestAfterDeadlineMs)}`,
    met: deadline.stopRequestAfterDeadlineMs <= TARGETS.lagOverIntervalMs
  },
  {
    name: 'status requests ≤ ideal + 1 (clean runs)',
    measured: `ideal ${worstRequestsOver >= 0 ? '+' : '−'} ${Math.abs(worstRequestsOver)} at most`,
    met: worstRequestsOver <= TARGETS.requestsOverIdeal
  },
  {
    name: 'peak RSS ≤ 100 MB',
    measured: peakRssMb === undefined ? 'not measured' : `${peakRssMb.max.toFixed(1)} MB max`,
    met: peakRssMb !== undefined && peakRssMb.max <= TARGETS.peakRssMb
  },
  {
    name: 'dist/index.js as small as the dependencies allow',
    measured:
      composition === undefined
        ? kib(distBytes)
        : `${kib(distBytes)}, ${percent(composition.packages[0].bytes / composition.totalBytes)} ${composition.packages[0].name}`,
    met: undefined as boolean | undefined
  }
]

// ── report ─────────────────────────────────────────────────────────────────────────────────────────────
const loadAfter = os.loadavg()[0]
const cpus = os.cpus()
const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()} ${os.arch()}`
const spreadRow = (label: string, figures: Spread): string[] => [
  label,
  ms(figures.median),
  ms(figures.min),
  ms(figures.max)
]

const out: string[] = []
out.push(`Testsigma action benchmark (${quick ? 'quick' : 'full'} mode) — ${new Date().toISOString()}`)
out.push(`node ${nodeVersion} (the bundle's; the bench runs on ${process.version}) · ${machine}`)
out.push(
  `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after: ` +
    'other work on the machine slows start-up figures most; compare runs made at similar load'
)
out.push('')
out.push(`START-UP: spawn → trigger request at the simulator (${toTrigger.n} runs each, alternating)`)
out.push(
  renderTable(
    ['', 'median', 'min', 'max'],
    [
      spreadRow('bare `node -e 0` (spawn → exit)', bareNode),
      spreadRow('floor: node:http(s) + one POST (spawn → trigger)', floor),
      spreadRow('dist/index.js (spawn → trigger)', toTrigger),
      ...(whatIf === undefined
        ? []
        : [spreadRow(`what-if: dist/index.js without ${WHAT_IF_WITHOUT} (spawn → trigger)`, whatIf)])
    ]
  )
)
out.push(
  `ratio of medians: ${startupRatio.toFixed(2)} × bare node (target ≤ ${TARGETS.startupRatio}); ` +
    `the floor is ${floorRatio.toFixed(2)} ×; ratio of minimums ${(toTrigger.min / bareNode.min).toFixed(2)} ×` +
    (whatIf === undefined ? '' : `; without ${WHAT_IF_WITHOUT} ${(whatIf.median / bareNode.median).toFixed(2)} ×`)
)
if (importCosts.length > 0) {
  out.push('')
  out.push(
    `IMPORT COSTS, unbundled from node_modules (${settings.importRuns} runs each; "await import(x)", spawn → exit)`
  )
  out.push(
    renderTable(
      ['module', 'median', 'min', 'max', 'over bare node'],
      importCosts.map(cost => [...spreadRow(cost.specifier, cost.ms), ms(cost.overBareMs)])
    )
  )
}
if (evaluation !== undefined) {
  out.push('')
  out.push(
    `IN THE BUNDLE: where start-up goes (instrumented copy of dist/index.js, no inputs; median of ${evaluation.runs} runs)`
  )
  out.push(
    renderTable(
      ['part', 'ms'],
      [
        [
          'process start → first statement (node bootstrap, reading and compiling the bundle)',
          ms(evaluation.firstStatementMs)
        ],
        ...evaluation.topLevelRequires.map(entry => [
          `evaluating ${entry.module} (required at top level)`,
          ms(entry.ms)
        ]),
        ['whole top level evaluated (first statement → end)', ms(evaluation.evaluatedMs - evaluation.firstStatementMs)]
      ]
    )
  )
}
out.push('')
out.push('VERDICT LAG: run completes at a known time → process exit (wait = completion → finished read; tail = → exit)')
out.push(
  renderTable(
    ['interval', 'completion', 'lag', '× interval', 'wait', 'tail', 'status req', 'ideal', 'cadence drift'],
    lagRuns.map(run => [
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
  )
)
out.push(
  `cadence drift: how far polls stray from first poll + k × interval; sleeping a whole interval after each ` +
    `answer would have drifted the slow-server run by ${ms(driftIfSleepingAfterAnswers)}`
)
out.push('')
const backoff = backoffRangeMs(burst.length)
out.push(
  `FAULT BURST: ${burstLabels.join(', ')} on the poll that would read the finished run ` +
    `(retry backoff for ${burst.length}: ${ms(backoff.min)}–${ms(backoff.max)})`
)
out.push(
  renderTable(
    ['interval', 'faults served', 'status req', 'extra req', 'lag', 'extra lag', 'extra × interval'],
    faultRuns.map(run => [
      ms(run.intervalMs),
      String(run.faultsServed),
      String(run.statusRequests),
      run.extraRequests === undefined ? '—' : String(run.extraRequests),
      ms(run.lagMs),
      run.extraLagMs === undefined ? '—' : ms(run.extraLagMs),
      run.extraLagMs === undefined ? '—' : (run.extraLagMs / run.intervalMs).toFixed(2)
    ])
  )
)
out.push('')
out.push(
  `TIMEOUT: never-finishing run, interval ${ms(fast)}, timeout ${ms(timeoutMs)}: last poll at ${ms(deadline.lastPollMs)}, ` +
    `stop request at deadline ${signed(deadline.stopRequestAfterDeadlineMs)}, exit at deadline ${signed(deadline.exitAfterDeadlineMs)} ` +
    `(the next poll would have been at ${ms(deadline.nextScheduledPollMs)}; the action's clock starts a few ms before the trigger arrives)`
)
out.push('')
out.push('FOOTPRINT')
out.push(
  renderTable(
    ['', 'value'],
    [
      [
        `peak RSS (${peakRss.length} runs; ${rss.method})`,
        peakRssMb === undefined
          ? 'not measured'
          : `median ${peakRssMb.median.toFixed(1)} MB, max ${peakRssMb.max.toFixed(1)} MB`
      ],
      ['dist/index.js', `${kib(distBytes)} (${distBytes} bytes)`],
      ...lazyChunks.map(chunk => [`dist/${chunk.file} (loaded on demand, not at start)`, kib(chunk.bytes)]),
      ['source maps in the bundle', sourceMaps ? 'yes' : 'none']
    ]
  )
)
if (composition !== undefined) {
  out.push('')
  out.push(
    `WHAT TAKES THE BYTES of dist/index.js (≈: share of concatenated ES modules by source size${compositionSameAsDist ? '' : '; NOTE: dist is stale'})`
  )
  out.push(
    renderTable(
      ['package', 'bytes', 'share', 'pulled in by'],
      composition.packages.map(share => [
        share.name,
        `${share.exact ? '' : '≈ '}${kib(share.bytes)}`,
        percent(share.bytes / composition.totalBytes),
        share.pulledInBy.join(', ')
      ])
    )
  )
  out.push(
    `largest modules: ${composition.largestModules.map(module => `${module.name} ${kib(module.bytes)}`).join(', ')}`
  )
}
out.push('')
out.push('TARGETS')
out.push(
  renderTable(
    ['target', 'measured', 'met'],
    targets.map(target => [
      target.name,
      target.measured,
      target.met === undefined ? 'see note' : target.met ? 'met' : 'NOT MET'
    ])
  )
)
console.log(out.join('\n'))

const results = {
  schema: 1,
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  node: { bundle: nodeVersion, bench: process.version },
  machine: {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`
  },
  loadAverage: { before: loadBefore, after: loadAfter },
  startup: {
    runs: toTrigger.n,
    bareNodeMs: bareNode,
    floorMs: floor,
    toTriggerMs: toTrigger,
    ratio: startupRatio,
    floorRatio,
    whatIf:
      whatIf === undefined
        ? undefined
        : { without: WHAT_IF_WITHOUT, toTriggerMs: whatIf, ratio: whatIf.median / bareNode.median },
    ratioOfMinimums: toTrigger.min / bareNode.min
  },
  importCosts,
  evaluation,
  verdictLag: lagRuns,
  slowServer: { delayMs: slowDelayMs, driftIfSleepingAfterAnswersMs: driftIfSleepingAfterAnswers },
  faultBurst: faultRuns,
  timeout: deadline,
  footprint: {
    peakRssMb,
    rssMethod: rss.method,
    distBytes,
    lazyChunks,
    sourceMaps,
    composition: composition === undefined ? undefined : { ...composition, sameAsDist: compositionSameAsDist }
  },
  targets
}
const resultsDir = path.join(REPO, 'bench', 'results')
await mkdir(resultsDir, { recursive: true })
const resultsFile = path.join(resultsDir, quick ? 'latest-quick.json' : 'latest.json')
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nFigures written to ${path.relative(process.cwd(), resultsFile)}`)
await rm(scratch, { recursive: true, force: true })

if (problems.length > 0) {
  console.error(`\nThe benchmark saw runs misbehave:\n${problems.join('\n')}`)
  process.exitCode = 1
}
