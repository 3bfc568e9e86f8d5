/**
 * The run object as each server shape answers it (docs/testsigma-api.md §3.4): the cloud's 2023 shape (samples B
 * and C: consolidated fields, no `abortedCount`), its 2021 shape (sample A) and the open-source server's snake_case
 * (O-dto), a run's re-run nested as `childResult`.
 */
import { countsOf, FINISHED, messageOf, PlanScript, RunFrame, SimCounts, SimRun } from './plans.js'

/** What a run object is made from besides the run: the server's dialect, what each run reads now, a plan's last run. */
export interface RunView {
  dialect: 'cloud' | 'open-source'
  currentFrame(run: SimRun): RunFrame
  lastRunId(plan: PlanScript): number | null
}

/** The run object in the simulator's dialect and the plan's shape, its re-run nested. */
export function runObject(
  view: RunView,
  run: SimRun,
  frame: RunFrame,
  options: { execution: boolean }
): Record<string, unknown> {
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
    run.child === undefined ? null : runObject(view, run.child, view.currentFrame(run.child), { execution: false })
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

  if (view.dialect === 'open-source') {
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
      ? { id: Number(run.plan.id), name: run.plan.name, reRunType, lastRunId: view.lastRunId(run.plan) }
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
  const chain = consolidated(view, run, frame)
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
    // Every docs sample has false and no source defines the field (§3.1, §10): true here is the simulator's.
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
function consolidated(
  view: RunView,
  run: SimRun,
  frame: RunFrame
): { status: string; result: string; duration: number | null } {
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
    const latestFrame = view.currentFrame(latest)
    duration = duration !== null && latestFrame.status === FINISHED ? duration + (latest.durationMs ?? 0) : null
  }
  const latestFrame = latest === run ? frame : view.currentFrame(latest)
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
