/**
 * The benchmark's runs: dist/index.js in a child process, as the runner starts it (sim/run-bundle.ts),
 * against the loopback simulator. Every time is Date.now() in this process, which is also the simulator's
 * clock, so the spawn, each request's arrival and the exit are on one time line.
 */
import { ChildProcess, spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import type { BundleOptions } from '../sim/run-bundle.js'
import { startBundle } from '../sim/run-bundle.js'
import { Fault, FINISHED, RunFrame, SimRun, TestsigmaSimulator } from '../sim/simulator.js'
import { API_KEY } from './context.js'
import { REPO, RssProbe } from './processes.js'

/**
 * The environment a bare node gets: what the bundle gets from run-bundle, less the action's variables.
 * Neither has NODE_EXTRA_CA_CERTS, as on GitHub's runners (reading a CA bundle slows every start).
 */
const BARE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }

let planCounter = 7000

export interface StartupSample {
  /** Spawn → exit of `node -e 0`. */
  bareNodeMs: number
  /** Spawn → trigger arrival for the least any Node action could do: require node:http, send one POST. */
  floorMs: number
  /** Spawn → arrival of the bundle's trigger request at the simulator (`wait: false`). */
  triggerMs: number
  /** Spawn → exit of that same bundle run: start-up, the trigger's round trip, outputs and exit. */
  exitMs: number
}

/**
 * The floor in its cheapest form: CommonJS (`node -e`, no ES module loader, as the bundle itself since
 * scripts/bundle.ts) and node:http only, the module the simulator's URL needs.
 */
export const FLOOR_SCRIPT =
  "require('node:http').request(process.env.BENCH_TRIGGER_URL, { method: 'POST', headers: { 'content-type': " +
  "'application/json' } }).on('response', response => response.resume()).on('error', () => {})" +
  '.end(process.env.BENCH_TRIGGER_BODY)'

/** One bare `node -e 0`, one floor script and one bundle with `wait: false` (it exits right after the trigger). */
export async function startupSample(sim: TestsigmaSimulator, node: string): Promise<StartupSample> {
  const bare = await bareNodeMs(node)
  const floorMs = await floorSample(sim, node)
  const { triggerMs, exitMs } = await bundleStartup(sim, node)
  return { bareNodeMs: bare, floorMs, triggerMs, exitMs }
}

async function bundleStartup(sim: TestsigmaSimulator, node: string): Promise<{ triggerMs: number; exitMs: number }> {
  const plan = addPlan(sim, [{ status: FINISHED, result: 'SUCCESS', counts: { total: 1, passed: 1 } }])
  const run = await startBundle({ node, inputs: { ...inputsFor(sim, plan), wait: 'false' } })
  let exitedAt = 0
  run.child.once('exit', () => (exitedAt = Date.now()))
  const result = await run.result
  await rm(result.workspace, { recursive: true, force: true })
  const log = `${result.stdout}${result.stderr}`
  if (result.exitCode !== 0) throw new Error(`start-up run exited with ${result.exitCode}: ${log}`)
  const trigger = sim.requestsTo('trigger').find(request => triggerFor(request.json) === plan)
  if (trigger === undefined) throw new Error(`start-up run did not trigger: ${log}`)
  return { triggerMs: trigger.at - run.spawnedAt, exitMs: exitedAt - run.spawnedAt }
}

async function floorSample(sim: TestsigmaSimulator, node: string): Promise<number> {
  const executionId = (planCounter += 1)
  const spawnedAt = Date.now()
  const child = spawn(node, ['-e', FLOOR_SCRIPT], {
    cwd: REPO,
    env: {
      ...BARE_ENV,
      BENCH_TRIGGER_URL: `${sim.url}/api/v1/execution_results`,
      BENCH_TRIGGER_BODY: JSON.stringify({ executionId })
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  await exited(child)
  const trigger = sim.requestsTo('trigger').find(request => triggerFor(request.json) === String(executionId))
  if (trigger === undefined) throw new Error('the floor script sent no request')
  return trigger.at - spawnedAt
}

function triggerFor(json: unknown): string {
  return String((json as { executionId?: unknown } | undefined)?.executionId)
}

/** Spawn → exit of `node -e 0`. */
export async function bareNodeMs(node: string): Promise<number> {
  const spawnedAt = Date.now()
  const child = spawn(node, ['-e', '0'], { cwd: REPO, env: BARE_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  const code = await exited(child)
  if (code !== 0) throw new Error(`${node} -e 0 exited with ${code}`)
  return Date.now() - spawnedAt
}

export interface TimedRunOptions {
  /** poll-interval-seconds as ms; undefined leaves the input unset (the action's default). */
  intervalMs?: number
  /** When the run completes, ms after the trigger; undefined: it never does. */
  completeAtMs?: number
  timeoutMinutes?: string
  /** Queued for the status route at the completion time, so they meet the poll that would read it finished. */
  faultsAtCompletion?: Fault[]
  /** Where the action sends its requests, when not straight to the simulator (a slow proxy in front of it). */
  baseUrl?: string
}

/** A run on one time line; every time is ms after the trigger arrived at the simulator. */
export interface TimedRun {
  completeAtMs?: number
  statusArrivals: number[]
  finishedServedAt?: number
  stopArrival?: number
  exitAt: number
  exitCode: number | null
  peakRssKib?: number
  /** Status requests answered with a fault. */
  faultsServed: number
  log: string
}

/** Runs the bundle against a plan whose frames change on the clock (`progress: 'time'`). */
export async function timedRun(sim: TestsigmaSimulator, rss: RssProbe, options: TimedRunOptions): Promise<TimedRun> {
  const frames: RunFrame[] = [
    { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5 }, atMs: 0 },
    { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 1 }, atMs: 1 }
  ]
  if (options.completeAtMs !== undefined) {
    frames.push({ status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5 }, atMs: options.completeAtMs })
  }
  const plan = addPlan(sim, frames, options.completeAtMs)
  const inputs: BundleOptions['inputs'] = {
    ...inputsFor(sim, plan),
    'base-url': options.baseUrl ?? sim.url,
    'junit-report': 'reports/testsigma-junit.xml'
  }
  if (options.intervalMs !== undefined) inputs['poll-interval-seconds'] = String(options.intervalMs / 1000)
  if (options.timeoutMinutes !== undefined) inputs['timeout-minutes'] = options.timeoutMinutes

  const { run, peakKib } = await rss.start({ inputs })
  let exitedAt = 0
  run.child.once('exit', () => (exitedAt = Date.now()))
  let injectedAt: number | undefined
  const faults = options.faultsAtCompletion ?? []
  if (faults.length > 0 && options.completeAtMs !== undefined) {
    const triggered = await waitForTrigger(sim, plan)
    const completeAt = options.completeAtMs
    setTimeout(
      () => {
        injectedAt = Date.now()
        for (const fault of faults) sim.injectFault('status', fault)
      },
      triggered.triggeredAt + completeAt - Date.now()
    )
  }
  const result = await run.result
  await rm(result.workspace, { recursive: true, force: true })
  const simRun = simRunOf(sim, plan)
  if (simRun === undefined) throw new Error(`run did not trigger: ${result.stdout}${result.stderr}`)
  const at = (time: number): number => time - simRun.triggeredAt
  const runPath = `/api/v1/execution_results/${simRun.id}`
  const status = sim.requests.filter(request => request.route === 'status' && request.path === runPath)
  const stop = sim.requests.find(request => request.route === 'stop' && request.path === runPath)
  const faultsServed =
    injectedAt === undefined ? 0 : status.filter(request => request.at >= (injectedAt ?? 0)).length - 1
  return {
    completeAtMs: options.completeAtMs,
    statusArrivals: status.map(request => at(request.at)),
    finishedServedAt: simRun.finishedServedAt === undefined ? undefined : at(simRun.finishedServedAt),
    stopArrival: stop === undefined ? undefined : at(stop.at),
    exitAt: at(exitedAt),
    exitCode: result.exitCode,
    peakRssKib: await peakKib,
    faultsServed: Math.max(0, faultsServed),
    log: result.stdout
  }
}

function addPlan(sim: TestsigmaSimulator, frames: RunFrame[], durationMs?: number): string {
  const id = String((planCounter += 1))
  sim.addPlan({ id, name: `Benchmark plan ${id}`, progress: 'time', durationMs, frames })
  return id
}

function inputsFor(sim: TestsigmaSimulator, planId: string): Record<string, string> {
  return { 'api-key': API_KEY, 'test-plan-id': planId, 'base-url': sim.url }
}

function simRunOf(sim: TestsigmaSimulator, planId: string): SimRun | undefined {
  return [...sim.runs.values()].find(run => run.plan.id === planId)
}

async function waitForTrigger(sim: TestsigmaSimulator, planId: string): Promise<SimRun> {
  const giveUp = Date.now() + 30_000
  for (;;) {
    const run = simRunOf(sim, planId)
    if (run !== undefined) return run
    if (Date.now() > giveUp) throw new Error(`plan ${planId} was not triggered within 30 s`)
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', code => resolve(code))
  })
}
