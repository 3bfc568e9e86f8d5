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
 * - Testsigma's JUnit shape (§6.3): one `<plan> || <device>` suite per device, a text-only `<failure>` in
 *   Testsigma's words for every case that did not pass, times as `ss.SSS`.
 * Where the real behaviour is unknown (the cloud's `consolidatedStatus` timeline, the cloud's error texts), the
 * choice is an option or says so.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Fault, serveFault } from './faults.js'
import { closeServer, listenOnLoopback, readAll, send } from './loopback-server.js'
import { ReceivedForm, SimUploads, UploadRoute } from './uploads.js'

export type { Fault } from './faults.js'
export type { UploadProcessing } from './uploads.js'

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
  /** With `progress: 'time'`: ms after the trigger (a re-run: after its creation) from which this frame is served. */
  atMs?: number
  /** Extra fields merged into the run object (newer cloud fields, odd values). */
  extra?: Record<string, unknown>
}

/** A custom answer of the JUnit endpoint. */
export interface JunitAnswer {
  status?: number
  contentType?: string
  body: string
}

/** A re-run of a plan's run: a new run with its own frames, created after its parent completed without passing. */
export interface ReRunScript {
  frames: RunFrame[]
  /**
   * When it appears. `progress: 'poll'`: how many reads of the parent that show it completed come before the one that
   * shows the re-run (0: the first read that shows the parent completed already shows it). `progress: 'time'`: ms
   * after the parent completed. Default 0.
   */
  appearAfter?: number
  /** How it re-runs its parent; default the plan's `reRunType`, else ONLY_FAILED_TESTS. */
  reRunType?: string
  durationMs?: number
  junit?: JunitAnswer
}

export interface PlanScript {
  id: string
  name: string
  frames: RunFrame[]
  progress?: 'poll' | 'time'
  /** Served as the run's `duration` once finished. */
  durationMs?: number
  /** Answer of the JUnit endpoint once the run finished; default: Testsigma's XML made from the final counts. */
  junit?: JunitAnswer
  /** Test devices of the default JUnit report (one `<testsuite>` each); default one, "Chrome 120 on Windows 11". */
  devices?: string[]
  /** Names of the test cases in the default JUnit report, in turn; default "Test case 1", "Test case 2", … */
  caseNames?: string[]
  /** Refuse every trigger as a plan already running (the open-source server also does so while a run is active). */
  busy?: boolean
  /** The cloud's answer shape; default 'cloud-2023'. */
  shape?: 'cloud-2023' | 'cloud-2021'
  /**
   * The plan's re-run setting, served as `execution.reRunType` on the cloud; default NONE, or ONLY_FAILED_TESTS when
   * the plan has `reRuns`.
   */
  reRunType?: string
  /** `isReRunEnabled` of 2023 answers; default: whether `reRunType` is not NONE. */
  isReRunEnabled?: boolean
  /** The chain: `reRuns[0]` re-runs the triggered run, `reRuns[1]` re-runs that re-run, … */
  reRuns?: ReRunScript[]
  /**
   * The `consolidated*` timeline of 2023 answers, which the docs do not show for a chain (§4.3):
   * - 'chain' (default): the latest run's status and result, so between the parent's completion and the re-run's
   *   appearance it reads completed;
   * - 'pending': not completed (STATUS_IN_PROGRESS, QUEUED) while a re-run is still to appear;
   * - 'own': each run's own status and result, whatever its re-runs say.
   */
  consolidated?: 'chain' | 'pending' | 'own'
  /** The trigger's counts: 0 as the docs' samples show (default), or null. */
  triggerCounts?: 'zero' | 'null'
}

export type Route = 'trigger' | 'status' | 'stop' | 'junit'

export interface RecordedRequest {
  method: string
  path: string
  route: Route | UploadRoute | 'other'
  headers: IncomingMessage['headers']
  /** The body as text; empty for an upload, whose form is in `form`. */
  body: string
  json?: unknown
  /** An upload's multipart form as received (the file counted, not kept). */
  form?: ReceivedForm
  /** Date.now() when the request arrived. */
  at: number
}

export interface SimRun {
  id: number
  plan: PlanScript
  request: Record<string, unknown>
  /** Date.now() when the run was created (by the trigger, or as a re-run). */
  triggeredAt: number
  /** Reads that showed this run (a read of a run also shows its re-runs). */
  reads: number
  /** Set by the stop call. */
  stoppedAt?: number
  /** The `canStopAll` the stop that stopped it carried (undefined: none sent). */
  stoppedWithCanStopAll?: unknown
  /** Date.now() when a status read first served a finished frame. */
  finishedServedAt?: number
  frames: RunFrame[]
  durationMs?: number
  junit?: JunitAnswer
  /** 0 for the triggered run, n for the n-th re-run of the chain. */
  depth: number
  parent?: SimRun
  child?: SimRun
  /** How this run re-runs its parent (re-runs only). */
  reRunType?: string
  /** Reads that showed this run completed (they time its re-run's appearance). */
  completedReads: number
  /** The open-source server found another run of the plan active when this run's re-run was due: none is made. */
  reRunRefused?: boolean
}

export interface SimulatorOptions {
  apiKey: string
  plans?: PlanScript[]
  port?: number
  /** Which server to be; default 'cloud'. */
  dialect?: 'cloud' | 'open-source'
}

export const FINISHED = 'STATUS_COMPLETED'
/** Run ids start here, so tests and demos can name the first run. */
const FIRST_RUN_ID = 337

const CLOUD_RUNS = '/api/v1/execution_results'
const OSS_RUNS = '/api/v1/test_plan_results'

// The open-source server's texts (O-msg, O-aes, docs §3.3, §7).
export const BUSY_TEXT =
  'The specified Test Plan is currently running. Please wait until the current Test Plan is complete. You may also ' +
  'use Testsigma Test Plan Status Check API to wait for the current Test Plan to complete. More details - ' +
  'https://testsigma.com/docs/continuous-integration/rest-api/'
const MESSAGES = {
  created: 'Test Plan execution is initiated and waiting to be queued',
  queued: 'Test plan is queued',
  preFlight: 'Test plan is moved to pre flight status',
  inProgress: 'Test Plan in Progress',
  passed: 'Test plan execution completed',
  failed: 'Test plan execution failed',
  stopped: 'User stopped the Test Plan'
}

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
        message: MESSAGES.failed,
        counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: null, notExecuted: null }
      }
    ]
  }
}

/**
 * A plan that re-runs its failed tests: the run fails 3 of 5 on its third read, then its re-run (ONLY_FAILED_TESTS)
 * appears `appearAfter` reads later and runs those 2 to `reRunResult`, on its second read.
 */
export function reRunPlan(
  id = '5120',
  options: { reRunResult?: 'SUCCESS' | 'FAILURE'; appearAfter?: number; name?: string } = {}
): PlanScript {
  const passes = (options.reRunResult ?? 'SUCCESS') === 'SUCCESS'
  return {
    id,
    name: options.name ?? 'Checkout flow',
    durationMs: 98_500,
    reRunType: 'ONLY_FAILED_TESTS',
    devices: ['Chrome 120 on Windows 11', 'Pixel 8'],
    frames: [
      { status: 'STATUS_QUEUED', result: 'QUEUED', counts: { total: 5 } },
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 5, passed: 2, failed: 1 } },
      {
        status: FINISHED,
        result: 'FAILURE',
        counts: { total: 5, passed: 3, failed: 1, aborted: 1, stopped: 0, notExecuted: 0 }
      }
    ],
    reRuns: [
      {
        appearAfter: options.appearAfter ?? 0,
        durationMs: 41_250,
        frames: [
          { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 2, passed: 0 } },
          {
            status: FINISHED,
            result: passes ? 'SUCCESS' : 'FAILURE',
            counts: passes ? { total: 2, passed: 2, failed: 0 } : { total: 2, passed: 1, failed: 1 }
          }
        ]
      }
    ]
  }
}

export class TestsigmaSimulator {
  readonly requests: RecordedRequest[] = []
  /** The uploads (`sim/uploads.ts`): add some, script their processing, inject their faults, read what was stored. */
  readonly uploads = new SimUploads()
  readonly runs = new Map<number, SimRun>()
  private readonly plans = new Map<string, PlanScript>()
  private readonly faults: Record<Route, Fault[]> = { trigger: [], status: [], stop: [], junit: [] }
  private nextRunId: number
  private server?: Server
  readonly dialect: 'cloud' | 'open-source'
  url = ''

  constructor(private readonly options: SimulatorOptions) {
    for (const plan of options.plans ?? []) this.addPlan(plan)
    this.nextRunId = FIRST_RUN_ID
    this.dialect = options.dialect ?? 'cloud'
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

  requestsTo(route: Route | UploadRoute): RecordedRequest[] {
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

  private get runsPath(): string {
    return this.dialect === 'cloud' ? CLOUD_RUNS : OSS_RUNS
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0]
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

    if (route !== 'other') {
      const fault = this.faults[route].shift()
      // A `delay` fault answers normally after its wait.
      if (fault !== undefined && (await serveFault(fault, response))) return
    }
    if (request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      // The real server's 401 body is plain text even when labelled JSON (O-apiauth).
      const text = this.dialect === 'cloud' ? 'Unauthorized: invalid API key' : 'Incorrect API Key'
      return send(response, 401, text, 'application/json')
    }
    // A path of the other dialect (or none) reaches no handler: Spring's default 404 (docs §7).
    if (route !== 'junit' && !path.startsWith(this.runsPath)) return springNotFound(response, path)
    switch (route) {
      case 'trigger':
        return this.trigger(json, response)
      case 'status':
        return this.status(path, response)
      case 'stop':
        return this.stop(path, json, response)
      case 'junit':
        return this.junit(path, response)
      default:
        return springNotFound(response, path)
    }
  }

  private trigger(json: unknown, response: ServerResponse): void {
    if (json === null || typeof json !== 'object') return send(response, 400, '', 'application/json')
    const parsed = json as Record<string, unknown>
    const planField = this.dialect === 'cloud' ? parsed.executionId : parsed.testPlanId
    const planId = typeof planField === 'number' || typeof planField === 'string' ? String(planField) : undefined
    if (planId === undefined) {
      // The open-source server looks the plan up by a null id (docs §2.2, inferred).
      return sendJson(response, 500, errorBody('The given id must not be null!', null))
    }
    const plan = this.plans.get(planId)
    if (plan === undefined) {
      // The open-source server's words (O-tps); the cloud's are unknown (§10), so the simulator makes up its own.
      const text =
        this.dialect === 'cloud' ? `Test Plan not found with id ${planId}` : `Could not find resource with id:${planId}`
      return sendJson(response, 500, errorBody(text, this.dialect === 'cloud' ? null : text))
    }
    // The open-source server refuses a plan with any run not completed, a re-run included (O-aes).
    const active =
      this.dialect === 'open-source' && [...this.runs.values()].some(run => run.plan === plan && this.isActive(run))
    if (plan.busy === true || active) return sendJson(response, 500, errorBody(BUSY_TEXT, BUSY_TEXT))
    const run = this.createRun(plan, parsed, plan.frames, 0)
    run.durationMs = plan.durationMs
    run.junit = plan.junit
    const created: RunFrame = { status: 'STATUS_CREATED', result: 'QUEUED', message: MESSAGES.created }
    if (plan.triggerCounts !== 'null') created.counts = zeroCounts()
    sendJson(response, 200, this.runObject(run, created, { execution: false }))
  }

  private status(path: string, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return this.unknownRun(path, response)
    this.read(run)
    sendJson(response, 200, this.runObject(run, this.currentFrame(run), { execution: true }))
  }

  private stop(path: string, json: unknown, response: ServerResponse): void {
    const body = (json ?? {}) as { result?: unknown; canStopAll?: unknown }
    if (body.result !== 'STOPPED') {
      // An enum value the server cannot read: Spring's 400 with an empty body (docs §7, inferred).
      return send(response, 400, '', 'application/json')
    }
    if (this.dialect === 'cloud') {
      const run = this.runOf(path)
      const idLess = !/\/\d+$/.test(path)
      if (!idLess && run === undefined) return this.unknownRun(path, response)
      // "canStopAll": true, the default, stops all executions (D-rerun), whoever started them.
      if (body.canStopAll !== false) for (const any of this.runs.values()) this.stopRun(any, body.canStopAll)
      else if (run !== undefined) this.stopRun(run, body.canStopAll)
      // Which run the id-less form answers with is unknown (§5).
      if (run === undefined) return sendJson(response, 200, {})
      return sendJson(response, 200, this.runObject(run, this.currentFrame(run), { execution: true }))
    }
    // The open-source server stops whichever run of the plan is active, found by plan, not by id (O-aes).
    const run = this.runOf(path)
    if (run === undefined) return this.unknownRun(path, response)
    const active = [...this.runs.values()].find(candidate => candidate.plan === run.plan && this.isActive(candidate))
    if (active === undefined) {
      return sendJson(response, 500, errorBody(`No Queued executions for test plan - ${run.plan.name}`, null))
    }
    this.stopRun(active, body.canStopAll)
    sendJson(response, 200, this.runObject(run, this.currentFrame(run), { execution: true }))
  }

  private junit(path: string, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return this.unknownRun(path, response)
    const frame = this.currentFrame(run)
    if (frame.status !== FINISHED) {
      // The real server answers 200 with a plain-text error here (O-junitctl).
      return send(response, 200, 'Report generation failed, Test plan run is not completed', 'application/xml')
    }
    const custom = run.junit
    if (custom !== undefined) {
      return send(response, custom.status ?? 200, custom.body, custom.contentType ?? 'application/xml')
    }
    send(
      response,
      200,
      junitXml(run.plan, countsOf(frame), { runId: run.id, baseUrl: this.url, durationMs: run.durationMs }),
      'application/xml'
    )
  }

  private unknownRun(path: string, response: ServerResponse): void {
    sendJson(response, 404, errorBody(`Resource not found for id: ${path.split('/').pop() ?? ''}`, '0'))
  }

  private runOf(path: string): SimRun | undefined {
    const last = path.split('/').pop() ?? ''
    return /^\d+$/.test(last) ? this.runs.get(Number(last)) : undefined
  }

  private createRun(plan: PlanScript, request: Record<string, unknown>, frames: RunFrame[], depth: number): SimRun {
    const run: SimRun = {
      id: this.nextRunId++,
      plan,
      request,
      triggeredAt: Date.now(),
      reads: 0,
      frames,
      depth,
      completedReads: 0
    }
    this.runs.set(run.id, run)
    return run
  }

  /** One read that shows `run` and, nested, its re-runs: it moves them along and creates a re-run when one is due. */
  private read(run: SimRun): void {
    run.reads += 1
    const frame = this.currentFrame(run)
    if (frame.status === FINISHED) {
      run.completedReads += 1
      run.finishedServedAt ??= Date.now()
      this.maybeReRun(run, frame)
    }
    if (run.child !== undefined) this.read(run.child)
  }

  /** §4.1: a re-run is made of a completed run that neither passed nor was stopped, when the plan's script has one. */
  private maybeReRun(run: SimRun, frame: RunFrame): void {
    const script = run.plan.reRuns?.[run.depth]
    if (script === undefined || run.child !== undefined || run.reRunRefused === true) return
    if (run.stoppedAt !== undefined || frame.result === 'SUCCESS' || frame.result === 'STOPPED') return
    const wait = script.appearAfter ?? 0
    const due =
      run.plan.progress === 'time'
        ? Date.now() - (run.finishedServedAt ?? Date.now()) >= wait
        : run.completedReads > wait
    if (!due) return
    // The re-run's start goes through the "already running" check: another active run means no re-run (O-aes).
    if (
      this.dialect === 'open-source' &&
      [...this.runs.values()].some(other => other.plan === run.plan && this.isActive(other))
    ) {
      run.reRunRefused = true
      return
    }
    const child = this.createRun(run.plan, {}, script.frames, run.depth + 1)
    child.parent = run
    child.durationMs = script.durationMs
    child.junit = script.junit
    child.reRunType = script.reRunType ?? run.plan.reRunType ?? 'ONLY_FAILED_TESTS'
    run.child = child
  }

  private isActive(run: SimRun): boolean {
    return this.currentFrame(run).status !== FINISHED
  }

  private stopRun(run: SimRun, canStopAll: unknown): void {
    if (!this.isActive(run) || run.stoppedAt !== undefined) return
    run.stoppedAt = Date.now()
    run.stoppedWithCanStopAll = canStopAll
  }

  /** The frame a read sees now: by reads or elapsed time, or STOPPED after a stop. */
  currentFrame(run: SimRun): RunFrame {
    const { frames } = run
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
        message: MESSAGES.stopped,
        counts: { ...frame.counts, stopped: Math.max(0, unfinished) }
      }
    }
    return frame
  }

  /** The run object in the simulator's dialect and the plan's shape, its re-run nested. */
  private runObject(run: SimRun, frame: RunFrame, options: { execution: boolean }): Record<string, unknown> {
    const finished = frame.status === FINISHED
    const counts = frame.counts
    const count = (name: keyof SimCounts): number | null => {
      const value = counts?.[name]
      return value === undefined ? (counts === undefined ? null : 0) : value
    }
    const done = countsOf(frame)
    const running = finished
      ? 0
      : Math.max(0, done.total - (done.passed + done.failed + done.aborted + done.stopped + done.notExecuted))
    const endTime = finished ? run.triggeredAt + (run.durationMs ?? 0) : null
    const duration = finished ? (run.durationMs ?? null) : null
    const message = frame.message ?? messageOf(frame)
    const child =
      run.child === undefined ? null : this.runObject(run.child, this.currentFrame(run.child), { execution: false })
    const executionDetails = {
      page_timeout: 30,
      element_timeout: 30,
      recovery_action: 'Run_Next_Testcase',
      on_aborted_action: 'Reuse_Session',
      screenshot_option: 'ALL_TYPES',
      group_prerequisite_fail: 'Abort',
      test_case_prerequisite_fail: 'Abort',
      test_step_prerequisite_fail: 'Run_Next_Testcase'
    }

    if (this.dialect === 'open-source') {
      // O-dto: snake_case, no plan object, no consolidated fields.
      return {
        id: run.id,
        dry_test_plan: null,
        test_plan_id: Number(run.plan.id),
        start_time: run.triggeredAt,
        end_time: endTime,
        duration,
        result: frame.result,
        status: frame.status,
        message,
        build_no: run.request.buildNo ?? null,
        environment_id: null,
        total_count: count('total'),
        failed_count: count('failed'),
        passed_count: count('passed'),
        aborted_count: count('aborted'),
        stopped_count: count('stopped'),
        not_executed_count: count('notExecuted'),
        queued_count: 0,
        is_visually_passed: null,
        test_device_id: null,
        child_result: child,
        re_run_parent_id: run.parent?.id ?? null,
        re_run_type: run.reRunType ?? null,
        triggered_type: run.depth === 0 ? 'API' : 'MANUAL',
        total_running_count: 0,
        test_plan_details: { ...executionDetails, environment_param_name: null },
        total_queued_count: 0,
        created_date: run.triggeredAt,
        updated_date: Date.now(),
        ...frame.extra
      }
    }

    const reRunType = run.plan.reRunType ?? (run.plan.reRuns === undefined ? 'NONE' : 'ONLY_FAILED_TESTS')
    const common = {
      id: run.id,
      execution: options.execution
        ? { id: Number(run.plan.id), name: run.plan.name, reRunType, lastRunId: this.lastRunId(run.plan) }
        : null,
      executionId: Number(run.plan.id),
      startTime: run.triggeredAt,
      endTime,
      duration,
      result: frame.result,
      status: frame.status,
      message,
      executedBy: 10,
      buildNo: run.request.buildNo ?? null,
      environmentId: run.request.environmentId ?? null
    }
    const details = { ...executionDetails, global_param_name: null }
    if (run.plan.shape === 'cloud-2021') {
      // Sample A: abortedCount, preRequisiteFailedCount and reRunType at the top; no consolidated fields.
      return {
        ...common,
        totalCount: count('total'),
        failedCount: count('failed'),
        passedCount: count('passed'),
        abortedCount: count('aborted'),
        stoppedCount: count('stopped'),
        notExecutedCount: count('notExecuted'),
        preRequisiteFailedCount: counts === undefined ? null : 0,
        queuedCount: counts === undefined ? null : 0,
        isVisuallyPassed: null,
        environment: null,
        childResult: child,
        reRunParentId: run.parent?.id ?? null,
        reRunType: run.reRunType ?? null,
        triggeredType: run.depth === 0 ? 'API' : 'MANUAL',
        totalRunningCount: 0,
        executionDetails: details,
        totalQueuedCount: 0,
        ...frame.extra
      }
    }
    // Samples B and C: no abortedCount, runningCount, the consolidated fields.
    const chain = this.consolidated(run, frame)
    return {
      ...common,
      totalCount: count('total'),
      failedCount: count('failed'),
      passedCount: count('passed'),
      stoppedCount: count('stopped'),
      notExecutedCount: count('notExecuted'),
      queuedCount: counts === undefined ? null : 0,
      runningCount: counts === undefined ? null : running,
      visualTestResult: null,
      environment: null,
      childResult: child,
      reRunParentId: run.parent?.id ?? null,
      triggeredType: run.depth === 0 ? 'API' : 'MANUAL',
      totalRunningCount: 0,
      executionDetails: details,
      totalQueuedCount: 0,
      mobileInspectionId: null,
      environmentResultsDTO: null,
      executionResultConfig: null,
      isReRunEnabled: run.plan.isReRunEnabled ?? reRunType !== 'NONE',
      consolidatedResult: chain.result,
      consolidatedStatus: chain.status,
      resultType: 'ORIGINAL',
      consolidatedDuration: chain.duration,
      runTestCasesInParallel: false,
      runTestSuitesInParallel: false,
      scheduledId: null,
      testPlanHookResults: null,
      ...frame.extra
    }
  }

  /** The consolidated fields under the plan's chosen timeline (the real one is unknown, §4.3). */
  private consolidated(run: SimRun, frame: RunFrame): { status: string; result: string; duration: number | null } {
    const own = {
      status: frame.status,
      result: frame.result,
      duration: frame.status === FINISHED ? (run.durationMs ?? null) : null
    }
    const timeline = run.plan.consolidated ?? 'chain'
    if (timeline === 'own') return own
    let latest = run
    let duration = own.duration
    while (latest.child !== undefined) {
      latest = latest.child
      const latestFrame = this.currentFrame(latest)
      duration = duration !== null && latestFrame.status === FINISHED ? duration + (latest.durationMs ?? 0) : null
    }
    const latestFrame = latest === run ? frame : this.currentFrame(latest)
    const pending =
      latestFrame.status === FINISHED &&
      latest.child === undefined &&
      latest.reRunRefused !== true &&
      latest.stoppedAt === undefined &&
      latest.plan.reRuns?.[latest.depth] !== undefined &&
      latestFrame.result !== 'SUCCESS' &&
      latestFrame.result !== 'STOPPED'
    if (timeline === 'pending' && pending) return { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', duration: null }
    return { status: latestFrame.status, result: latestFrame.result, duration }
  }

  private lastRunId(plan: PlanScript): number | null {
    const ids = [...this.runs.values()].filter(run => run.plan === plan).map(run => run.id)
    return ids.length === 0 ? null : Math.max(...ids)
  }
}

function routeOf(method: string, path: string): Route | 'other' {
  const runs = path.startsWith(`${CLOUD_RUNS}`) || path.startsWith(`${OSS_RUNS}`)
  if (runs) {
    const rest = path.replace(/^\/api\/v1\/(execution_results|test_plan_results)/, '')
    if (method === 'POST' && rest === '') return 'trigger'
    if (method === 'GET' && /^\/\d+$/.test(rest)) return 'status'
    if (method === 'PUT' && (rest === '' || /^\/\d+$/.test(rest))) return 'stop'
  }
  if (method === 'GET' && /^\/api\/v1\/reports\/junit\/\d+$/.test(path)) return 'junit'
  return 'other'
}

function messageOf(frame: RunFrame): string {
  switch (frame.status) {
    case 'STATUS_CREATED':
      return MESSAGES.created
    case 'STATUS_QUEUED':
      return MESSAGES.queued
    case 'STATUS_PRE_FLIGHT':
      return MESSAGES.preFlight
    case FINISHED:
      return frame.result === 'SUCCESS' ? MESSAGES.passed : MESSAGES.failed
    default:
      return MESSAGES.inProgress
  }
}

function zeroCounts(): RunFrame['counts'] {
  return { total: 0, passed: 0, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
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

// What each outcome's `<failure>` message says; Testsigma prints a missing message as "null" (O-junit).
const FAILURE_MESSAGES: Record<'failed' | 'aborted' | 'stopped' | 'notExecuted', (n: number) => string> = {
  failed: n => `Step ${(n % 4) + 2} failed: element "#pay-button" was not found within 30 s`,
  aborted: () => 'null',
  stopped: () => 'null',
  notExecuted: () => 'null'
}

/**
 * A JUnit report in Testsigma's shape (docs §6.3): `<testsuites>` without attributes, one
 * `<testsuite name="<plan> || <device>" timestamp tests failures errors time>` per device with its properties and
 * `<system-out>`, and for every case that did not pass a text-only `<failure>` in Testsigma's words. The run's
 * test cases are dealt to the devices in turn; times are `ss.SSS` (a device of a long run goes past 60 s). The
 * devices run side by side, each through its own cases one after the other, so no device takes longer than the run.
 */
export function junitXml(
  plan: Pick<PlanScript, 'name' | 'devices' | 'caseNames'>,
  counts: SimCounts,
  where: { runId: number; baseUrl: string; durationMs?: number }
): string {
  const url = `${where.baseUrl}/ui/td/runs/${where.runId}`
  const outcomes: Array<'passed' | keyof typeof FAILURE_MESSAGES> = []
  const add = (outcome: (typeof outcomes)[number], howMany: number): void => {
    for (let i = 0; i < howMany; i++) outcomes.push(outcome)
  }
  add('passed', counts.passed)
  add('failed', counts.failed)
  add('aborted', counts.aborted)
  add('stopped', counts.stopped)
  add('notExecuted', counts.notExecuted)
  const devices = plan.devices ?? ['Chrome 120 on Windows 11']
  // A device's cases fill at most 90 % of the run's duration (the rest is queueing and setting up the devices).
  const runMs = where.durationMs ?? 60_000
  const suites = devices.map((device, d) => {
    const onDevice = outcomes.filter((_, i) => i % devices.length === d).length
    const slotMs = Math.floor((runMs * 0.9) / Math.max(1, onDevice))
    const cases: string[] = []
    let failures = 0
    let timeMs = 0
    outcomes.forEach((outcome, i) => {
      if (i % devices.length !== d) return
      const n = i + 1
      // Cases differ a little in length (between half and all of their slot); not executed or stopped take none.
      const caseMs =
        outcome === 'notExecuted' || outcome === 'stopped' ? 0 : Math.floor(slotMs * (0.5 + ((n * 37) % 50) / 100))
      timeMs += caseMs
      const caseName = plan.caseNames?.[(n - 1) % plan.caseNames.length] ?? `Test case ${n}`
      const open = `        <testcase name="${escapeXml(caseName)}" classname="${escapeXml(plan.name)} suite" time="${ssSss(caseMs)}"`
      if (outcome === 'passed') {
        cases.push(`${open}/>`)
        return
      }
      failures += 1
      const text = `Test failed with message:"${FAILURE_MESSAGES[outcome](n)}".please visit below URL for more details.\n ${url}`
      cases.push(`${open}>`, `            <failure>${escapeText(text)}</failure>`, '        </testcase>')
    })
    const tests = onDevice
    return [
      `    <testsuite name="${escapeXml(`${plan.name} || ${device}`)}" timestamp="2024-05-29 07:29:${String(19 + d).padStart(2, '0')}.0" tests="${tests}" failures="${failures}" errors="${failures}" time="${ssSss(timeMs)}">`,
      '        <properties>',
      `            <property name="Testsigma reports URL" value="${escapeXml(url)}"/>`,
      '        </properties>',
      ...cases,
      `        <system-out>For More info on results, visit ${escapeText(url)}</system-out>`,
      '    </testsuite>'
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<testsuites>',
    ...suites,
    '</testsuites>',
    ''
  ].join('\n')
}

/** Apache DurationFormatUtils' `ss.SSS`: total seconds, at least two digits, then milliseconds. */
function ssSss(ms: number): string {
  return `${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`
}

/** Testsigma's error DTO (O-geh, O-err): `timeStamp` always null. */
function errorBody(message: string, code: string | null): Record<string, unknown> {
  return { timeStamp: null, error: message, code, fieldErrors: null, objectErrors: null }
}

/** Spring Boot 2.4's default error body for a path no handler serves (docs §7): `message` blanked. */
function springNotFound(response: ServerResponse, path: string): void {
  sendJson(response, 404, { timestamp: Date.now(), status: 404, error: 'Not Found', message: '', path })
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json')
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** JAXB escapes only these in text; quotes stay literal (docs §6.3). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
