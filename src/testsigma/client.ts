/**
 * The Testsigma REST API as the action uses it (docs/testsigma-api.md): one object that carries the connection's
 * settings (base URL, key, time limits) and offers every endpoint. One request per call: retries are the caller's
 * (`retry.ts`). The endpoints live by concern in `runs-api.ts`, `reports-api.ts` and `uploads-api.ts`, and share
 * one transport (`connection.ts`).
 */
import { ClientOptions, Connection } from './connection.js'
import type { ApiDialect, TriggerRequest } from './dialect.js'
import { getJunitReport } from './reports-api.js'
import { getStepPage, getTestCaseList, StepResultsVersion } from './results-api.js'
import type { RunState } from './run-state.js'
import { getRun, listRuns, reRunFailedTests, stopRun, triggerRun } from './runs-api.js'
import type { StepPage, TestCaseList } from './test-results.js'
import type { UploadFacts } from './upload-answers.js'
import { AppBuildRequest, findUploads, getUpload, sendAppBuild } from './uploads-api.js'

export type { ClientOptions } from './connection.js'
export type { TriggerRequest } from './dialect.js'

/** Speaks the Testsigma REST API (see docs/testsigma-api.md). */
export class TestsigmaClient {
  private readonly connection: Connection

  constructor(private readonly options: ClientOptions) {
    this.connection = new Connection(options)
  }

  /** The same client, its requests also over within `ms` from now (the JUnit report's minute). */
  within(ms: number): TestsigmaClient {
    const deadline = Math.min(this.options.deadline ?? Infinity, Date.now() + ms)
    return new TestsigmaClient({ ...this.options, deadline })
  }

  /** Starts a run of the test plan. Sent once: whether to send it again is `retry.ts`'s decision. */
  triggerRun(request: TriggerRequest, dialect: ApiDialect, signal?: AbortSignal): Promise<RunState> {
    return triggerRun(this.connection, request, dialect, signal)
  }

  /** Re-runs only the tests of run `runId` that did not pass (the cloud's API). Sent once, like a trigger. */
  reRunFailedTests(planId: string, runId: string, signal?: AbortSignal): Promise<RunState> {
    return reRunFailedTests(this.connection, planId, runId, signal)
  }

  /** The run and its re-runs (nested in its answer); an answer about another run (or plan) is refused. */
  getRun(runId: string, dialect: ApiDialect, signal?: AbortSignal, planId?: string): Promise<RunState> {
    return getRun(this.connection, runId, dialect, signal, planId)
  }

  /** The plan's runs, newest first (the open-source server only); those with `buildNo` when given. */
  listRuns(
    planId: string,
    options: { buildNo?: string; size: number },
    signal?: AbortSignal
  ): Promise<Array<Record<string, unknown>>> {
    return listRuns(this.connection, planId, options, signal)
  }

  /** Asks Testsigma to stop this run only (`canStopAll: false`); it then finishes with result STOPPED. */
  stopRun(runId: string, dialect: ApiDialect, signal?: AbortSignal): Promise<void> {
    return stopRun(this.connection, runId, dialect, signal)
  }

  /** The run's JUnit XML (a body that is not XML is an error, never a report). */
  getJunitReport(runId: string, signal?: AbortSignal): Promise<string> {
    return getJunitReport(this.connection, runId, signal)
  }

  /** The run's test cases, one per case and device, with their results (not on the open-source server). */
  getTestCaseList(runId: string, signal?: AbortSignal): Promise<TestCaseList> {
    return getTestCaseList(this.connection, runId, signal)
  }

  /** One page of a test case result's steps, in the order they ran. */
  getStepPage(
    request: { runId: string; caseResultId: string; page: number; pageSize: number; version: StepResultsVersion },
    signal?: AbortSignal
  ): Promise<StepPage> {
    return getStepPage(this.connection, request, signal)
  }

  /** The uploads whose name the server matches to `name`; the caller filters them again (`uploadsNamed`). */
  findUploads(name: string, signal?: AbortSignal): Promise<UploadFacts[]> {
    return findUploads(this.connection, name, signal)
  }

  /** One upload, and its answer as it came, for `versionReadiness`. */
  getUpload(uploadId: number, signal?: AbortSignal): Promise<{ upload: UploadFacts; answer: unknown }> {
    return getUpload(this.connection, uploadId, signal)
  }

  /** Sends an app build as a new upload or a new version of one. Sent once (`retry.ts`'s `upload` rule). */
  sendAppBuild(build: AppBuildRequest, signal?: AbortSignal): Promise<{ upload: UploadFacts; answer: unknown }> {
    return sendAppBuild(this.connection, build, signal)
  }
}
