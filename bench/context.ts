/**
 * What every figure of the benchmark shares: the mode's settings, the node binary the bundle runs on, a
 * scratch directory, the peak-RSS probe, the simulator, and what a figure prints and records.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { TestsigmaSimulator } from '../sim/simulator.js'
import type { LoadReading } from './load.js'
import { RssProbe, rssProbe } from './processes.js'

/** The key every run of the benchmark sends, and the simulator expects. */
export const API_KEY = 'bench-api-key'

export interface Settings {
  mode: 'quick' | 'full'
  /** Alternating start-up rounds (bare node, floor, bundle), after one warm-up round. */
  startupRounds: number
  /** Instrumented runs of the bundle for "in the bundle". */
  evaluationRuns: number
  /** The short poll interval of the verdict-lag runs. */
  fastIntervalMs: number
  /** How long after a poll the worst-case run completes. */
  marginMs: number
  /** Completion points between polls, as fractions of the interval. */
  phases: number[]
  /** Whether to run at the default 15 s interval too (about a minute more). */
  defaultInterval: boolean
  /** How many answers of the fault burst to queue (of FAULT_BURST). */
  faults: number
  /** How late the slow server answers. */
  slowDelayMs: number
  timeoutMinutes: string
  /** Whether to build the bundle with webpack stats for "what takes the bytes" (about 20 s of CPU). */
  composition: boolean
}

export const QUICK: Settings = {
  mode: 'quick',
  startupRounds: 3,
  evaluationRuns: 2,
  // The action reads the status at most once a second (a shorter poll-interval-seconds is raised to 1 s).
  fastIntervalMs: 1000,
  marginMs: 30,
  phases: [],
  defaultInterval: false,
  faults: 1,
  slowDelayMs: 100,
  timeoutMinutes: '0.03',
  composition: false
}

export const FULL: Settings = {
  mode: 'full',
  startupRounds: 31,
  evaluationRuns: 10,
  fastIntervalMs: 1000,
  marginMs: 50,
  phases: [0.25, 0.75],
  defaultInterval: true,
  faults: 5,
  slowDelayMs: 250,
  timeoutMinutes: '0.0425',
  composition: true
}

/** A target of BENCHMARKS.md: met, not met, or not judged (say, measured under heavy load). */
export interface Target {
  name: string
  measured: string
  met: boolean | undefined
  /** Why `met` is undefined. */
  note?: string
}

/** One figure of BENCHMARKS.md, as printed and as recorded in the JSON. */
export interface Section {
  /** The key of its figures in bench/results/*.json. */
  key: string
  /** Printed lines, heading first. */
  lines: string[]
  figures: unknown
  load?: LoadReading
  targets: Target[]
  /** Runs that misbehaved: these make the command fail. */
  problems: string[]
  /** Peak RSS (KiB) of the runs that waited for a result, for the footprint. */
  peakRssKib?: number[]
}

export interface BenchContext {
  settings: Settings
  /** The node binary that runs the bundle (ACTION_NODE, else this one). */
  node: string
  nodeVersion: string
  scratch: string
  rss: RssProbe
  /** The simulator every run but the fault bursts talks to. */
  sim: TestsigmaSimulator
}

export async function createContext(settings: Settings): Promise<BenchContext> {
  const node = process.env.ACTION_NODE ?? process.execPath
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  const scratch = await mkdtemp(path.join(tmpdir(), 'testsigma-bench-'))
  return {
    settings,
    node,
    nodeVersion,
    scratch,
    rss: await rssProbe(node, scratch),
    sim: await TestsigmaSimulator.start({ apiKey: API_KEY })
  }
}

export function progress(message: string): void {
  process.stderr.write(`· ${message}\n`)
}
