/**
 * Start-up: spawn → the trigger request arriving at the simulator, with `wait: false`, against a bare
 * `node -e 0` (spawn → exit) and the floor (the least any Node action could do), measured alternately in
 * the same rounds after one warm-up round. Also spawn → exit of the same bundle runs: the whole process.
 */
import { BenchContext, progress, Section } from './context.js'
import { describeLoad, LoadReading, startLoadProbe } from './load.js'
import { startupSample, StartupSample } from './scenarios.js'
import { ms, renderTable, spread, Spread } from './stats.js'

export const STARTUP_TARGET = 2.1
/** The target is judged on medians of at least this many rounds (quick mode runs fewer). */
export const ROUNDS_FOR_TARGET = 15

export interface StartupFigures {
  rounds: number
  bareNodeMs: Spread
  floorMs: Spread
  triggerMs: Spread
  exitMs: Spread
  /** Medians over bare node's median. */
  ratio: { trigger: number; floor: number; exit: number }
  load: LoadReading
}

/** START-UP. */
export async function startupFigure(context: BenchContext): Promise<Section> {
  const rounds = context.settings.startupRounds
  progress(`start-up: ${rounds} rounds of node -e 0, the floor, dist/index.js (alternating, after one warm-up)`)
  await startupSample(context.sim, context.node)
  const load = startLoadProbe()
  const samples: StartupSample[] = []
  for (let i = 0; i < rounds; i++) samples.push(await startupSample(context.sim, context.node))
  const reading = load.stop()

  const of = (pick: (sample: StartupSample) => number): Spread => spread(samples.map(pick))
  const bareNodeMs = of(sample => sample.bareNodeMs)
  const figures: StartupFigures = {
    rounds,
    bareNodeMs,
    floorMs: of(sample => sample.floorMs),
    triggerMs: of(sample => sample.triggerMs),
    exitMs: of(sample => sample.exitMs),
    ratio: { trigger: 0, floor: 0, exit: 0 },
    load: reading
  }
  figures.ratio = {
    trigger: figures.triggerMs.median / bareNodeMs.median,
    floor: figures.floorMs.median / bareNodeMs.median,
    exit: figures.exitMs.median / bareNodeMs.median
  }
  const row = (label: string, figure: Spread, ratio?: number): string[] => [
    label,
    ms(figure.median),
    ms(figure.min),
    ms(figure.max),
    ratio === undefined ? '' : `${ratio.toFixed(2)} ×`
  ]
  const judged = reading.heavy
    ? 'measured under heavy load'
    : rounds < ROUNDS_FOR_TARGET
      ? `${rounds} rounds, fewer than ${ROUNDS_FOR_TARGET}`
      : undefined
  const heavy = reading.heavy
    ? ' — MEASURED UNDER HEAVY LOAD: not comparable with other runs, and not judged against the target'
    : ''
  const lines = [
    `START-UP on node ${context.nodeVersion} (${rounds} rounds, alternating; ${describeLoad(reading)})`,
    renderTable(
      ['', 'median', 'min', 'max', '× bare node'],
      [
        row('bare `node -e 0` (spawn → exit)', bareNodeMs),
        row('floor: node:http (CommonJS) + one POST (spawn → trigger)', figures.floorMs, figures.ratio.floor),
        row('dist/index.js (spawn → trigger)', figures.triggerMs, figures.ratio.trigger),
        row('dist/index.js, whole process with wait: false (spawn → exit)', figures.exitMs, figures.ratio.exit)
      ]
    ),
    `spawn → trigger: ${figures.ratio.trigger.toFixed(2)} × bare node (target ≤ ${STARTUP_TARGET}), ` +
      `the floor ${figures.ratio.floor.toFixed(2)} ×${heavy}`
  ]
  return {
    key: 'startup',
    lines,
    figures,
    load: reading,
    targets: [
      {
        name: `start-up (spawn → trigger) ≤ ${STARTUP_TARGET} × bare node`,
        measured: `${figures.ratio.trigger.toFixed(2)} × (floor ${figures.ratio.floor.toFixed(2)} ×)`,
        met: judged === undefined ? figures.ratio.trigger <= STARTUP_TARGET : undefined,
        note: judged
      }
    ],
    problems: []
  }
}
