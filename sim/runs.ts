/**
 * The simulator's runs and re-run chains (docs/testsigma-api.md §2 to §5): the trigger, the status read, the stop, in
 * the cloud's or the open-source server's dialect. A run follows its plan's frames by reads or by time; a run that
 * completed without passing grows a re-run when its plan's script has one (§4.1), at once or some reads later.
 */
import type { ServerResponse } from 'node:http'
import { errorBody, sendJson, springNotFound } from './answers.js'
import { send } from './loopback-server.js'
import { BUSY_TEXT, countsOf, FINISHED, MESSAGES, PlanScript, RunFrame, SimRun, zeroCounts } from './plans.js'
import { runObject } from './run-object.js'

// The re-run types the cloud documents (D-rerun) and the open-source server's enum (O-reruntype).
const RE_RUN_TYPES = [
  'ALL_TESTS',
  'ONLY_FAILED_TESTS',
  'ALL_ITERATIONS',
  'ONLY_FAILED_ITERATIONS',
  'ONLY_FAILED_ITERATIONS_IN_FAILED_TESTS',
  'USER_PICKED'
]
// O-msg, AutomatorMessages.RE_RUN_PARENT_ID_ALREADY_EXSISTS.
const RE_RUN_EXISTS = 'ReRun Parent Id Already Exists'

/** Run ids start here, so tests and demos can name the first run. */
const FIRST_RUN_ID = 337

export const CLOUD_RUNS = '/api/v1/execution_results'
export const OSS_RUNS = '/api/v1/test_plan_results'

export class SimRuns {
  readonly runs = new Map<number, SimRun>()
  private readonly plans = new Map<string, PlanScript>()
  private nextRunId = FIRST_RUN_ID

  constructor(readonly dialect: 'cloud' | 'open-source') {}

  addPlan(plan: PlanScript): void {
    this.plans.set(plan.id, plan)
  }

  /** The runs' collection in this dialect: a request elsewhere reaches no handler. */
  get runsPath(): string {
    return this.dialect === 'cloud' ? CLOUD_RUNS : OSS_RUNS
  }

  trigger(json: unknown, response: ServerResponse): void {
    if (json === null || typeof json !== 'object') return send(response, 400, '', 'application/json')
    const parsed = json as Record<string, unknown>
    const planField = this.dialect === 'cloud' ? parsed.executionId : parsed.testPlanId
    const planId = typeof planField === 'number' || typeof planField === 'string' ? String(planField) : undefined
    if (planId === undefined) {
      // The open-source server looks the plan up by a null id (docs §2.2, inferred).
      return sendJson(response, 500, errorBody('The given id must not be null!', null))
    }
    const plan = this.plans.get(planId)
    // The cloud's re-run of a run's tests (D-rerun); the open-source server's public trigger reads none of these
    // fields (O-ctl: create() never looks at isReRun) and starts the whole plan, as below.
    if (this.dialect === 'cloud' && parsed.isReRun === true && plan !== undefined) {
      return this.reRun(plan, parsed, response)
    }
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
    const missingVersion =
      this.dialect === 'open-source' ? missingUploadVersion(plan, parsed.uploadVersions) : undefined
    if (missingVersion !== undefined) {
      // The open-source server looks up each device's version after it saved the run (and moved the plan's last
      // run to it), then stops the run with the error and answers it (C1: AgentExecutionService, O-rnf's 404).
      const text = `Couldn't find upload version with id: ${missingVersion}`
      run.frames = [{ status: FINISHED, result: 'STOPPED', message: text, counts: zeroCounts() }]
      return sendJson(response, 404, errorBody(text, '0'))
    }
    const created: RunFrame = { status: 'STATUS_CREATED', result: 'QUEUED', message: MESSAGES.created }
    if (plan.triggerCounts !== 'null') created.counts = zeroCounts()
    sendJson(response, 200, runObject(this, run, created, { execution: false }))
  }
  /**
   * A re-run asked for (D-rerun): a new run that re-runs `executionResultId`'s tests that did not pass, nested as its
   * child, naming it as `reRunParentId`. Refused as the servers refuse it: an unknown run (404), a run of another plan
   * (400, the simulator's words), a type it cannot read (Spring's 400), any run of the plan not completed (O-aes, the
   * busy text), a run that has a re-run already ("ReRun Parent Id Already Exists", O-aes, O-msg).
   */
  private reRun(plan: PlanScript, request: Record<string, unknown>, response: ServerResponse): void {
    const parentId = request.executionResultId
    const parent = typeof parentId === 'number' ? this.runs.get(parentId) : undefined
    if (parent === undefined)
      return sendJson(response, 404, errorBody(`Resource not found for id: ${String(parentId)}`, '0'))
    if (parent.plan !== plan) {
      const text = `Test Plan Result ${parent.id} does not belong to Test Plan ${plan.id}`
      return sendJson(response, 400, errorBody(text, text))
    }
    if (!RE_RUN_TYPES.includes(String(request.reRunType))) return send(response, 400, '', 'application/json')
    if (plan.busy === true || [...this.runs.values()].some(run => run.plan === plan && this.isActive(run))) {
      return sendJson(response, 500, errorBody(BUSY_TEXT, BUSY_TEXT))
    }
    if (parent.child !== undefined) return sendJson(response, 500, errorBody(RE_RUN_EXISTS, RE_RUN_EXISTS))
    const parentCounts = countsOf(this.currentFrame(parent))
    const notPassed = Math.max(0, parentCounts.total - parentCounts.passed)
    const script = plan.manualReRun ?? {
      durationMs: 95_000,
      frames: [
        { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: notPassed, passed: 0 } },
        {
          status: FINISHED,
          result: 'SUCCESS',
          counts: { total: notPassed, passed: notPassed, failed: 0, aborted: 0, stopped: 0, notExecuted: 0 }
        }
      ]
    }
    const child = this.createRun(plan, request, script.frames, parent.depth + 1)
    child.parent = parent
    if (plan.manualReRun === undefined) child.rerunsFailedOf = parent
    child.scriptedTests = script.testCases
    child.durationMs = script.durationMs
    child.junit = script.junit
    child.reRunType = String(request.reRunType)
    parent.child = child
    const created: RunFrame = {
      status: 'STATUS_CREATED',
      result: 'QUEUED',
      message: MESSAGES.created,
      counts: zeroCounts()
    }
    sendJson(response, 200, runObject(this, child, created, { execution: false }))
  }
  status(path: string, response: ServerResponse): void {
    const run = this.runOf(path)
    if (run === undefined) return this.unknownRun(path, response)
    this.read(run)
    sendJson(response, 200, runObject(this, run, this.currentFrame(run), { execution: true }))
  }
  stop(path: string, json: unknown, response: ServerResponse): void {
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
      return sendJson(response, 200, runObject(this, run, this.currentFrame(run), { execution: true }))
    }
    // The open-source server stops whichever run of the plan is active, found by plan, not by id (O-aes).
    const run = this.runOf(path)
    if (run === undefined) return this.unknownRun(path, response)
    const active = [...this.runs.values()].find(candidate => candidate.plan === run.plan && this.isActive(candidate))
    if (active === undefined) {
      return sendJson(response, 500, errorBody(`No Queued executions for test plan - ${run.plan.name}`, null))
    }
    this.stopRun(active, body.canStopAll)
    sendJson(response, 200, runObject(this, run, this.currentFrame(run), { execution: true }))
  }
  /**
   * The open-source server's listing (O-ctl-v13 `index`, docs §2.4): runs filtered by the query's `testPlanId` and
   * `buildNo` (`key:value` pairs between commas), newest first with `sort=id,desc`, `size` of them (default 50), as
   * a Spring page of run objects. The cloud documents no listing (§10): a 404 for no such path.
   */
  list(params: URLSearchParams, response: ServerResponse): void {
    if (this.dialect === 'cloud') return springNotFound(response, CLOUD_RUNS)
    const filters = new Map<string, string>()
    for (const pair of (params.get('query') ?? '').split(',')) {
      const at = pair.indexOf(':')
      if (at > 0) filters.set(pair.slice(0, at), pair.slice(at + 1))
    }
    let runs = [...this.runs.values()].filter(
      run =>
        (!filters.has('testPlanId') || run.plan.id === filters.get('testPlanId')) &&
        (!filters.has('buildNo') || run.request.buildNo === filters.get('buildNo'))
    )
    // No default order (inferred): insertion order unless asked.
    if (params.get('sort') === 'id,desc') runs = runs.sort((a, b) => b.id - a.id)
    const size = Number(params.get('size') ?? '50') || 50
    // A run the listing shows finished has been served finished, as by a status read.
    for (const run of runs.slice(0, size)) {
      if (this.currentFrame(run).status === FINISHED) run.finishedServedAt ??= Date.now()
    }
    const content = runs.slice(0, size).map(run => runObject(this, run, this.currentFrame(run), { execution: false }))
    sendJson(response, 200, {
      content,
      pageable: { sort: { sorted: true, unsorted: false, empty: false }, offset: 0, pageNumber: 0, pageSize: size },
      last: runs.length <= size,
      totalElements: runs.length,
      totalPages: Math.max(1, Math.ceil(runs.length / size)),
      number: 0,
      size,
      first: true,
      numberOfElements: content.length,
      empty: content.length === 0
    })
  }
  unknownRun(path: string, response: ServerResponse): void {
    sendJson(response, 404, errorBody(`Resource not found for id: ${path.split('/').pop() ?? ''}`, '0'))
  }
  runOf(path: string): SimRun | undefined {
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
  isActive(run: SimRun): boolean {
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
  lastRunId(plan: PlanScript): number | null {
    const ids = [...this.runs.values()].filter(run => run.plan === plan).map(run => run.id)
    return ids.length === 0 ? null : Math.max(...ids)
  }
}

/**
 * The version the open-source server fails to find for the plan's test devices, or undefined when each has one
 * (C1): `uploadVersions.optLong(deviceId)` is 0 for a device the map does not name, and no version has id 0.
 */
function missingUploadVersion(plan: PlanScript, uploadVersions: unknown): number | undefined {
  if (uploadVersions === null || typeof uploadVersions !== 'object' || plan.testDevices === undefined) return undefined
  const versions = uploadVersions as Record<string, unknown>
  for (const device of plan.testDevices) {
    const version = Number(versions[String(device)] ?? 0)
    const known = plan.uploadVersionIds?.includes(version) ?? version > 0
    if (!Number.isInteger(version) || !known) return Number.isInteger(version) ? version : 0
  }
  return undefined
}
