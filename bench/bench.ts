/**
 * `npm run bench`: the figures of BENCHMARKS.md, one function each, measured on the committed dist/ run as
 * the runner runs it (a child process per run, sim/run-bundle.ts) against the loopback simulator. Prints
 * every section with the machine's load beside it, and writes the figures as JSON to bench/results/.
 *
 *   npm run bench               full: 31 start-up rounds, 1 s and 15 s intervals, composition (~3 minutes)
 *   npm run bench -- --quick    smoke test: 3 start-up rounds, 250 ms interval, no build (~10 s)
 *   ACTION_NODE=/path/to/node npm run bench     the bundle under another node binary
 *
 * No figure fails the command: it exits 1 only when a run misbehaves (no trigger, an unexpected exit code,
 * a finished run never read, no stop at the deadline, a stale dist/, an instrument that no longer fits).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { compositionFigure } from './composition.js'
import { BenchContext, createContext, FULL, QUICK, Section, Target } from './context.js'
import { evaluationFigure } from './evaluation.js'
import { faultBurstFigure } from './fault-burst.js'
import { footprintFigure } from './footprint.js'
import { REPO } from './processes.js'
import { HEAVY_LOAD_PER_CORE, HEAVY_OTHERS_CPU } from './load.js'
import { resultsTailFigure } from './results-tail.js'
import { severalPlansFigure } from './several-plans.js'
import { renderTable } from './stats.js'
import { startupFigure } from './startup.js'
import { timeoutFigure } from './timeout.js'
import { uploadFigure } from './upload.js'
import { verdictLagFigure } from './verdict-lag.js'
import { removeScratchDirs } from '../sim/scratch.js'

/** Every figure, in the order of BENCHMARKS.md (the composition first: its build would disturb timings). */
async function measure(context: BenchContext): Promise<Section[]> {
  const composition = context.settings.composition ? await compositionFigure(context) : undefined
  const startup = await startupFigure(context)
  const evaluation = await evaluationFigure(context, composition?.moduleNames ?? new Map<string, string>())
  const lag = await verdictLagFigure(context)
  const faults = await faultBurstFigure(context, lag)
  const timeout = await timeoutFigure(context, lag.phaseMs)
  const resultsTail = await resultsTailFigure(context)
  const peakRss = [lag.section, faults, timeout].flatMap(section => section.peakRssKib ?? [])
  const footprint = await footprintFigure(context, peakRss)
  const upload = await uploadFigure(context)
  const severalPlans = await severalPlansFigure(context)
  return [
    startup,
    evaluation,
    lag.section,
    faults,
    timeout,
    resultsTail,
    footprint,
    upload,
    severalPlans,
    ...(composition ? [composition.section] : [])
  ]
}

function header(context: BenchContext, date: string): string[] {
  const cpus = os.cpus()
  return [
    `Testsigma action benchmark (${context.settings.mode} mode) — ${date}`,
    `node ${context.nodeVersion} runs the bundle (the benchmark runs on ${process.version}) · ${cpus.length} cores ` +
      `(${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()} ${os.arch()}`,
    'Children run without NODE_EXTRA_CA_CERTS, as on GitHub-hosted runners. Heavy load: other processes took ' +
      `≥ ${HEAVY_OTHERS_CPU * 100} % of the CPU during a figure (without /proc: a load average ≥ ${HEAVY_LOAD_PER_CORE} per core).`
  ]
}

function targetTable(targets: Target[]): string[] {
  return [
    'TARGETS',
    renderTable(
      ['target', 'measured', 'met'],
      targets.map(target => [
        target.name,
        target.measured,
        target.met === undefined
          ? `not judged${target.note ? ` (${target.note})` : ''}`
          : target.met
            ? 'met'
            : 'NOT MET'
      ])
    )
  ]
}

const settings = process.argv.includes('--quick') ? QUICK : FULL
const context = await createContext(settings)
const date = new Date().toISOString()
let sections: Section[]
try {
  sections = await measure(context)
} finally {
  await context.sim.close()
  await rm(context.scratch, { recursive: true, force: true })
  // The workspaces of the bundle's runs.
  removeScratchDirs()
}
const targets = sections.flatMap(section => section.targets)
console.log(
  [...header(context, date), ...sections.flatMap(section => ['', ...section.lines]), '', ...targetTable(targets)].join(
    '\n'
  )
)

const results = {
  schema: 2,
  mode: settings.mode,
  date,
  node: { bundle: context.nodeVersion, bench: process.version },
  machine: {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim(),
    os: `${os.type()} ${os.release()} ${os.arch()}`
  },
  ...Object.fromEntries(sections.map(section => [section.key, { load: section.load, figures: section.figures }])),
  targets
}
const resultsDir = path.join(REPO, 'bench', 'results')
await mkdir(resultsDir, { recursive: true })
const resultsFile = path.join(resultsDir, settings === QUICK ? 'latest-quick.json' : 'latest.json')
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nFigures written to ${path.relative(process.cwd(), resultsFile)}`)

const problems = sections.flatMap(section => section.problems)
if (problems.length > 0) {
  console.error(`\nThe benchmark saw runs misbehave:\n${problems.join('\n')}`)
  process.exitCode = 1
}
