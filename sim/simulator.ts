/**
 * A Testsigma REST API simulator on loopback: a real node:http server that answers like the API in
 * docs/testsigma-api.md. It serves the tests, `npm run demo` and the benchmark; it is not in the bundle.
 *
 * Runs follow scripts of frames (status, result, counts): frame i is served on the i-th status read
 * (`progress: 'poll'`, deterministic for tests) or from `atMs` after the trigger (`progress: 'time'`,
 * for real-time runs). Faults can be queued per route and are served before normal answers.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Fault, serveFault } from './faults.js'
import { closeServer, listenOnLoopback, readAll, send } from './loopback-server.js'

export type { Fault } from './faults.js'

export interface SimCounts {
  total: number
  passed: number
  failed: number
  aborted: number
  stopped: number
  notExecuted: number
}

export interface RunFrame {
  status: string
  result: string
  /** Counts for this frame; a field set to null is served as null, as the real API sometimes does. */
  counts?: Partial<Record<keyof SimCounts, number | null>>
  message?: string
  /** With `progress: 'time'`: ms after the trigger from which this frame is served. */
  atMs?: number
  /** Extra fields merged into the run object (newer cloud fields, odd values). */
  extra?: Record<string, unknown>
}

export interface PlanScript {
  id: string
  name: string
  frames: RunFrame[]
  progress?: 'poll' | 'time'
  /** Served as the run's `duration` once finished. */
  durationMs?: number
  /** Answer of the JUnit endpoint once the run finished; default: XML made from the final counts. */
  junit?: { status?: number; contentType?: string; body: string }
  /** The open-source server's answer when the plan already runs: HTTP 500. */
  busy?: boolean
}

export type Route = 'trigger' | 'status' | 'stop' | 'junit'

export interface RecordedRequest {
  method: string
  path: string
  route: Route | 'other'
  headers: IncomingMessage['headers']
  body: string
  json?: unknown
  /** Date.now() when the request arrived. */
  at: number
}

export interface SimRun {
  id: number
  plan: PlanScript
  request: Record<string, unknown>
  triggeredAt: number
  reads: number
  /** Set by the stop call. */
  stoppedAt?: number
  /** Date.now() when a status read first served a finished frame. */
  finishedServedAt?: number
}

export interface SimulatorOptions {
  apiKey: string
  plans?: PlanScript[]
  port?: number
}

export const FINISHED = 'STATUS_COMPLETED'
/** Run ids start here, so tests and demos can name the first run. */
const FIRST_RUN_ID = 337

/** A run that passes on the third status read: queued, in progress, finished. */
export function passingPlan(id = '2048', name = 'Checkout flow'): PlanScript {
  return {
    id,
    name,
    durationMs: 125_000,
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5, passed: 0 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2 } },
      { status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5, failed: 0 } }
    ]
  }
}

/** A run that fails on the third status read: 3 passed, 1 failed, 1 aborted of 5. */
export function failingPlan(id = '4096', name = 'Checkout flow'): PlanScript {
  return {
    id,
    name,
    durationMs: 98_500,
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2, failed: 1 } },
      {
        status: FINISHED,
        result: 'FAILURE',
        message: 'Test plan execution failed',
        counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: null, notExecuted: null }
      }
    ]
  }
}

export class TestsigmaSimulator {
  readonly requests: RecordedRequest[] = []
  readonly runs = new Map<number, SimRun>()
  private readonly plans = new Map<string, PlanScript>()
  private readonly faults: Record<Route, Fault[]> = { trigger: [], status: [], stop: [], junit: [] }
  private nextRunId: number
  private server?: Server
  url = ''

  constructor(private readonly options: SimulatorOptions) {
    for (const plan of options.plans ?? []) this.addPlan(plan)
    this.nextRunId = FIRST_RUN_ID
  }

  static async start(options: SimulatorOptions): Promise<TestsigmaSimulator> {
    const simulator = new TestsigmaSimulator(options)
    await simulator.listen()
    return simulator
  }

  addPlan(plan: PlanScript): void {
    this.plans.set(plan.id, plan)
  }

  /** Serves `fault` to the next `times` requests of `route`, before any normal answer. */
  injectFault(route: Route, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults[route].push(fault)
  }

  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter(request => request.route === route)
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    await closeServer(server)
  }

  private async listen(): Promise<void> {
    const { server, url } = await listenOnLoopback(
      (request, response) => this.handle(request, response),
      this.options.port
    )
    this.server = server
    this.url = url
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request)
    const path = (request.url ?? '/').split('?')[0]
    const method = request.method ?? 'GET'
    const route = routeOf(method, path)
    let json: unknown
    try {
      json = body === '' ? undefined : JSON.parse(body)
    } catch {
      json = undefined
    }
    this.requests.push({ method, path, route, headers: request.headers, body, json, at: Date.now() })

    if (route !== 'other') {
      const fault = this.faults[route].shift()
      // A `delay` fault answers normally after its wait.
      if (fault !== undefined && (await serveFault(fault, response))) return
    }
    if (request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      // The real server's 401 body is plain text even when labelled JSON.
      return send(response, 401, 'Unauthorized: invalid API key', 'application/json')
    }
    switch (route) {
      case 'trigger':
        return this.trigger(body, response)
      case 'status':
        return this.status(path, response)
      case 'stop':
        return this.stop(path, json, response)
      case 'junit':
        return this.junit(path, response)
      default:
        return sendJson(response, 404, errorBody(`No handler for ${method} ${path}`))
    }
  }

  private trigger(body: string, response: ServerResponse): void {
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(body) as Record<string, unknown>
    } catch {
      return send(response, 400, '', 'application/json')
    }
    const plan = this.plans.get(String(parsed.executionId))
    if (plan === undefined) {
      return sendJson(response, 500, errorBody(`Test Plan not found with id ${String(parsed.executionId)}`))
    }
    if (plan.busy === true) return sendJson(response, 500, errorBody('Test plan is currently running'))
    const run: SimRun = { id: this.nextRunId++, plan, request: parsed, triggeredAt: Date.now(), reads: 0 }
    this.runs.set(run.id, run)
    sendJson(response, 200, this.runObject(run, { status: 'STATUS_CREATED', result: 'QUEUED' }, false))
  }

  private status(path: string, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return sendJson(response, 404, errorBody('Execution result not found'))
    run.reads += 1
    const frame = this.currentFrame(run)
    if (frame.status === FINISHED && run.finishedServedAt === undefined) run.finishedServedAt = Date.now()
    sendJson(response, 200, this.runObject(run, frame, true))
  }

  private stop(path: string, json: unknown, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return sendJson(response, 404, errorBody('Execution result not found'))
    if ((json as { result?: unknown } | undefined)?.result !== 'STOPPED') {
      return sendJson(response, 400, errorBody('Only {"result":"STOPPED"} is supported'))
    }
    run.stoppedAt ??= Date.now()
    sendJson(response, 200, this.runObject(run, this.currentFrame(run), true))
  }

  private junit(path: string, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return sendJson(response, 404, errorBody('Execution result not found'))
    const frame = this.currentFrame(run)
    if (frame.status !== FINISHED) {
      // The real server answers 200 with a plain-text error here.
      return send(response, 200, 'Report generation failed, Test plan run is not completed', 'text/plain')
    }
    const custom = run.plan.junit
    if (custom !== undefined) {
      return send(response, custom.status ?? 200, custom.body, custom.contentType ?? 'application/xml')
    }
    send(response, 200, junitXml(run.plan, countsOf(frame)), 'application/xml')
  }

  private runOf(path: string): SimRun | undefined {
    const id = Number(path.split('/').pop())
    return this.runs.get(id)
  }

  /** The frame a read sees now: by reads or elapsed time, or STOPPED after a stop. */
  currentFrame(run: SimRun): RunFrame {
    const { frames } = run.plan
    let frame: RunFrame
    if (run.plan.progress === 'time') {
      const elapsed = Date.now() - run.triggeredAt
      frame = frames.filter(candidate => (candidate.atMs ?? 0) <= elapsed).pop() ?? frames[0]
    } else {
      frame = frames[Math.min(run.reads, frames.length) - 1] ?? frames[0]
    }
    if (run.stoppedAt !== undefined && frame.status !== FINISHED) {
      const counts = countsOf(frame)
      const unfinished = counts.total - (counts.passed + counts.failed + counts.aborted + counts.notExecuted)
      return {
        status: FINISHED,
        result: 'STOPPED',
        message: 'Test plan execution stopped',
        counts: { ...frame.counts, stopped: Math.max(0, unfinished) }
      }
    }
    return frame
  }

  private runObject(run: SimRun, frame: RunFrame, withExecution: boolean): Record<string, unknown> {
    const finished = frame.status === FINISHED
    const count = (name: keyof SimCounts): number | null => {
      const value = frame.counts?.[name]
      return value === undefined ? (frame.counts === undefined ? null : 0) : value
    }
    return {
      id: run.id,
      executionId: Number(run.plan.id),
      execution: withExecution ? { id: Number(run.plan.id), name: run.plan.name } : null,
      status: frame.status,
      result: frame.result,
      message: frame.message ?? (finished ? 'Test plan execution completed' : 'Test plan execution in progress'),
      startTime: run.triggeredAt,
      endTime: finished ? run.triggeredAt + (run.plan.durationMs ?? 0) : null,
      duration: finished ? (run.plan.durationMs ?? null) : null,
      buildNo: run.request.buildNo ?? null,
      environmentId: run.request.environmentId ?? null,
      triggeredType: 'API',
      totalCount: count('total'),
      passedCount: count('passed'),
      failedCount: count('failed'),
      abortedCount: count('aborted'),
      stoppedCount: count('stopped'),
      notExecutedCount: count('notExecuted'),
      preRequisiteFailedCount: null,
      queuedCount: null,
      totalRunningCount: null,
      totalQueuedCount: null,
      ...frame.extra
    }
  }
}

function routeOf(method: string, path: string): Route | 'other' {
  if (method === 'POST' && path === '/api/v1/execution_results') return 'trigger'
  if (/^\/api\/v1\/execution_results\/\d+$/.test(path)) {
    if (method === 'GET') return 'status'
    if (method === 'PUT') return 'stop'
  }
  if (method === 'GET' && /^\/api\/v1\/reports\/junit\/\d+$/.test(path)) return 'junit'
  return 'other'
}

export function countsOf(frame: RunFrame): SimCounts {
  const value = (name: keyof SimCounts): number => frame.counts?.[name] ?? 0
  return {
    total: value('total'),
    passed: value('passed'),
    failed: value('failed'),
    aborted: value('aborted'),
    stopped: value('stopped'),
    notExecuted: value('notExecuted')
  }
}

/** A JUnit report as Testsigma shapes it: one suite per device, one case per test case. */
export function junitXml(plan: PlanScript, counts: SimCounts): string {
  const cases: string[] = []
  let n = 0
  const add = (outcome: 'passed' | 'failed' | 'aborted' | 'skipped', howMany: number): void => {
    for (let i = 0; i < howMany; i++) {
      n += 1
      const open = `    <testcase name="Test case ${n}" classname="${escapeXml(plan.name)}" time="1.5">`
      if (outcome === 'passed') cases.push(`${open}</testcase>`)
      else if (outcome === 'skipped') cases.push(`${open}<skipped/></testcase>`)
      else cases.push(`${open}<failure message="Test case ${n} ${outcome}">Step 2 ${outcome}</failure></testcase>`)
    }
  }
  add('passed', counts.passed)
  add('failed', counts.failed)
  add('aborted', counts.aborted)
  add('skipped', counts.notExecuted + counts.stopped)
  const failures = counts.failed + counts.aborted
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(plan.name)}" tests="${n}" failures="${failures}">`,
    `  <testsuite name="Chrome 120 on Windows 11" tests="${n}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}

function errorBody(message: string): Record<string, unknown> {
  return { timeStamp: null, error: message, code: null, fieldErrors: null, objectErrors: null }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json')
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
