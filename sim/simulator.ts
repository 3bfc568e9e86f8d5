/**
 * A Testsigma REST API simulator on loopback: a real node:http server that answers like the API in
 * docs/testsigma-api.md. It serves the tests, `npm run demo` and the benchmark; it is not in the bundle.
 *
 * Runs follow scripts of frames (status, result, counts): frame i is served on the i-th status read
 * (`progress: 'poll'`, deterministic for tests) or from `atMs` after the trigger (`progress: 'time'`,
 * for real-time runs). Faults can be queued per route and are served before normal answers.
 *
 * What it models, each from the docs' section:
 * - the cloud's answers in the 2023 shape (`consolidated*`, `childResult`, `runningCount`, no `abortedCount`;
 *   §3.4 sample B/C), or the 2021 shape per plan (`shape: 'cloud-2021'`, sample A);
 * - re-run chains (§4.1): a plan's `reRuns` are created after its run completed without passing, at once or a few
 *   reads later, each a new run nested in its parent's answer as `childResult` (a second level is possible);
 * - the open-source server (`dialect: 'open-source'`, §2.2, §5, §7): `/api/v1/test_plan_results`, `testPlanId`,
 *   snake_case answers, Spring's 404 for the cloud's paths, its error bodies (unknown plan, plan already running,
 *   nothing to stop) and its stop, which stops whichever run of the plan is active;
 * - the stop's `canStopAll`, which defaults to true on the cloud: "stop all executions" (§5);
 * - the open-source server's listing of a plan's runs (`?query=testPlanId:…,buildNo:…&sort=id,desc`, §2.4); the
 *   cloud documents none, and answers Spring's 404 for it here;
 * - the per-test and per-step results (§6.4, `results.ts`): the case list and the paged step results;
 * - Testsigma's JUnit shape (§6.3): one `<plan> || <device>` suite per device, a text-only `<failure>` in
 *   Testsigma's words for every case that did not pass, times as `ss.SSS`.
 * Where the real behaviour is unknown (the cloud's `consolidatedStatus` timeline, the cloud's error texts), the
 * choice is an option or says so.
 */
import { IncomingMessage, Server, ServerResponse } from 'node:http'
import { springNotFound } from './answers.js'
import { Fault, serveFault } from './faults.js'
import { closeServer, listenOnLoopback, readAll, send } from './loopback-server.js'
import type { PlanScript, RunFrame, SimRun } from './plans.js'
import { serveJunit } from './reports.js'
import { CASE_LIST_PATH, ResultsOptions, serveCaseList, serveStepPage, STEP_RESULTS_PATH } from './results.js'
import { CLOUD_RUNS, OSS_RUNS, SimRuns } from './runs.js'
import { ReceivedForm, SimUploads, UploadRoute } from './uploads.js'

export type { Fault } from './faults.js'
export type { UploadProcessing } from './uploads.js'
export type { ResultsOptions } from './results.js'
export type {
  JunitAnswer,
  PlanScript,
  ReRunScript,
  RunFrame,
  SimCounts,
  SimRun,
  SimStep,
  SimTestCase
} from './plans.js'
export { BUSY_TEXT, countsOf, failingPlan, FINISHED, passingPlan, reRunPlan } from './plans.js'
export { junitXml } from './reports.js'

export type Route = 'trigger' | 'status' | 'stop' | 'junit'
/** `cases`: a run's test case results; `steps`: a test case result's step results (`sim/results.ts`). */
export type ResultsRoute = 'cases' | 'steps'

export interface RecordedRequest {
  method: string
  path: string
  route: Route | ResultsRoute | UploadRoute | 'list' | 'other'
  headers: IncomingMessage['headers']
  /** The body as text; empty for an upload, whose form is in `form`. */
  body: string
  json?: unknown
  /** An upload's multipart form as received (the file counted, not kept). */
  form?: ReceivedForm
  /** Date.now() when the request arrived. */
  at: number
}

export interface SimulatorOptions {
  apiKey: string
  plans?: PlanScript[]
  port?: number
  /** Which server to be; default 'cloud'. */
  dialect?: 'cloud' | 'open-source'
  /** Which per-test and per-step results endpoints the server has (`sim/results.ts`); default both, steps at v2. */
  results?: ResultsOptions
}

export class TestsigmaSimulator {
  readonly requests: RecordedRequest[] = []
  /** The uploads (`sim/uploads.ts`): add some, script their processing, inject their faults, read what was stored. */
  readonly uploads = new SimUploads()
  /** The runs and their re-run chains (`sim/runs.ts`). */
  private readonly chains: SimRuns
  private readonly faults: Record<Route | ResultsRoute, Fault[]> = {
    trigger: [],
    status: [],
    stop: [],
    junit: [],
    cases: [],
    steps: []
  }
  private server?: Server
  readonly dialect: 'cloud' | 'open-source'
  url = ''

  constructor(private readonly options: SimulatorOptions) {
    this.dialect = options.dialect ?? 'cloud'
    this.chains = new SimRuns(this.dialect)
    for (const plan of options.plans ?? []) this.addPlan(plan)
  }

  /** Every run made so far, by id (a trigger's and each re-run). */
  get runs(): Map<number, SimRun> {
    return this.chains.runs
  }

  /** The frame a read of `run` sees now. */
  currentFrame(run: SimRun): RunFrame {
    return this.chains.currentFrame(run)
  }

  static async start(options: SimulatorOptions): Promise<TestsigmaSimulator> {
    const simulator = new TestsigmaSimulator(options)
    await simulator.listen()
    return simulator
  }

  addPlan(plan: PlanScript): void {
    this.chains.addPlan(plan)
  }

  /** Serves `fault` to the next `times` requests of `route`, before any normal answer. */
  injectFault(route: Route | ResultsRoute, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults[route].push(fault)
  }

  requestsTo(route: Route | ResultsRoute | UploadRoute | 'list'): RecordedRequest[] {
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
    const [path, search = ''] = (request.url ?? '/').split('?')
    if (SimUploads.serves(path) && this.dialect === 'cloud') {
      // Before reading the body: an upload is parsed as it streams in, never held whole.
      const authorized = request.headers.authorization === `Bearer ${this.options.apiKey}`
      return this.uploads.handle(request, response, authorized, entry => this.requests.push({ ...entry, body: '' }))
    }
    const body = await readAll(request)
    const method = request.method ?? 'GET'
    const route = routeOf(method, path)
    let json: unknown
    try {
      json = body === '' ? undefined : JSON.parse(body)
    } catch {
      json = undefined
    }
    this.requests.push({ method, path, route, headers: request.headers, body, json, at: Date.now() })

    if (route !== 'other' && route !== 'list') {
      const fault = this.faults[route].shift()
      if (fault?.type === 'after-acting') {
        // The request is acted on (its answer goes nowhere), then the fault is the answer.
        this.answer(request, route, path, search, json, new ServerResponse(request))
        await serveFault(fault, response)
        return
      }
      // A `delay` fault answers normally after its wait.
      if (fault !== undefined && (await serveFault(fault, response))) return
    }
    this.answer(request, route, path, search, json, response)
  }

  private answer(
    request: IncomingMessage,
    route: Route | ResultsRoute | 'list' | 'other',
    path: string,
    search: string,
    json: unknown,
    response: ServerResponse
  ): void {
    if (request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      // The real server's 401 body is plain text even when labelled JSON (O-apiauth).
      const text = this.dialect === 'cloud' ? 'Unauthorized: invalid API key' : 'Incorrect API Key'
      return send(response, 401, text, 'application/json')
    }
    // A path of the other dialect (or none) reaches no handler: Spring's default 404 (docs §7).
    const own = route === 'junit' || route === 'cases' || route === 'steps' || path.startsWith(this.chains.runsPath)
    if (!own) return springNotFound(response, path)
    switch (route) {
      case 'trigger':
        return this.chains.trigger(json, response)
      case 'status':
        return this.chains.status(path, response)
      case 'stop':
        return this.chains.stop(path, json, response)
      case 'junit':
        return serveJunit(this.chains, this.url, path, response)
      case 'list':
        return this.chains.list(new URLSearchParams(search), response)
      case 'cases':
        return serveCaseList(this.chains, path, response, this.options.results ?? {})
      case 'steps':
        return serveStepPage(this.chains, path, new URLSearchParams(search), response, this.options.results ?? {})
      default:
        return springNotFound(response, path)
    }
  }
}

function routeOf(method: string, path: string): Route | ResultsRoute | 'list' | 'other' {
  if (method === 'GET' && CASE_LIST_PATH.test(path)) return 'cases'
  if (method === 'GET' && STEP_RESULTS_PATH.test(path)) return 'steps'
  const runs = path.startsWith(`${CLOUD_RUNS}`) || path.startsWith(`${OSS_RUNS}`)
  if (runs) {
    const rest = path.replace(/^\/api\/v1\/(execution_results|test_plan_results)/, '')
    if (method === 'POST' && rest === '') return 'trigger'
    if (method === 'GET' && rest === '') return 'list'
    if (method === 'GET' && /^\/\d+$/.test(rest)) return 'status'
    if (method === 'PUT' && (rest === '' || /^\/\d+$/.test(rest))) return 'stop'
  }
  if (method === 'GET' && /^\/api\/v1\/reports\/junit\/\d+$/.test(path)) return 'junit'
  return 'other'
}
