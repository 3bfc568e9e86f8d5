import type { Fault, FaultError } from '../retry.js'
import { parseRetryAfter } from '../retry.js'
import { MalformedRunError, RunState, testPlanUrl, toRunState } from './run-state.js'
import { serverText } from './server-text.js'
import { headerValue, HttpAnswer, NoAnswerError, sendRequest } from './transport.js'

/** The body of `POST /api/v1/execution_results`, in the API's own words. */
export interface TriggerRequest {
  executionId: number
  buildNo?: string
  environmentId?: number
  uploadVersions?: Record<string, number>
  runtimeData?: Record<string, string>
}

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  userAgent: string
  /** Each request, body included, must finish within this; a hung server must not hang the step. */
  requestTimeoutMs: number
}

/** A request to Testsigma that failed; `message` says what happened and what to do, never the key. */
export class TestsigmaError extends Error implements FaultError {
  constructor(
    message: string,
    readonly fault: Fault,
    /** The server's own error text, trimmed to one line. */
    readonly serverMessage?: string
  ) {
    super(message)
    this.name = 'TestsigmaError'
  }
}

// A JUnit report of a large plan is a few MiB; far more than that is not a report.
const MAX_BODY_BYTES = 64 * 1024 * 1024

/** Speaks the Testsigma REST API (see docs/testsigma-api.md). One request per call: retries are the caller's. */
export class TestsigmaClient {
  constructor(private readonly options: ClientOptions) {}

  /** Starts a run of the test plan. Sent once: whether to send it again is `retry.ts`'s decision. */
  async triggerRun(request: TriggerRequest, signal?: AbortSignal): Promise<RunState> {
    const planId = String(request.executionId)
    const what = `the trigger of test plan ${planId}`
    let answer: HttpAnswer
    try {
      answer = await this.send('POST', '/api/v1/execution_results', what, signal, JSON.stringify(request))
    } catch (error) {
      if (!(error instanceof TestsigmaError)) throw error
      const advice = error.fault.notSent === true ? 'No run was started.' : this.mayHaveStarted(planId)
      throw new TestsigmaError(`${error.message}. ${advice}`, error.fault)
    }
    if (answer.statusCode === 200 || answer.statusCode === 201) {
      try {
        return toRunState(parseJson(answer.body))
      } catch (error) {
        throw new TestsigmaError(`${describeBody(error)} in answer to ${what}. ${this.mayHaveStarted(planId)}`, {
          kind: 'malformed'
        })
      }
    }
    throw this.triggerRefusal(planId, answer)
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<RunState> {
    const what = `the status request for run ${runId}`
    const answer = await this.send('GET', `/api/v1/execution_results/${runId}`, what, signal)
    if (answer.statusCode !== 200) throw this.refusal(what, answer)
    try {
      return toRunState(parseJson(answer.body))
    } catch (error) {
      throw new TestsigmaError(`${describeBody(error)} in answer to ${what}`, { kind: 'malformed' })
    }
  }

  /** Asks Testsigma to stop the run; it then finishes with result STOPPED. */
  async stopRun(runId: string, signal?: AbortSignal): Promise<void> {
    const what = `the stop request for run ${runId}`
    const body = JSON.stringify({ result: 'STOPPED' })
    const answer = await this.send('PUT', `/api/v1/execution_results/${runId}`, what, signal, body)
    if (answer.statusCode < 200 || answer.statusCode >= 300) throw this.refusal(what, answer)
  }

  /**
   * The run's JUnit XML. The server can answer 200 with a plain-text error, so a body that is not XML
   * is an error here, never a report.
   */
  async getJunitReport(runId: string, signal?: AbortSignal): Promise<string> {
    const what = `the JUnit report request for run ${runId}`
    const answer = await this.send('GET', `/api/v1/reports/junit/${runId}`, what, signal, undefined, 'application/xml')
    if (answer.statusCode === 401 || answer.statusCode === 403) {
      // The key just read the run, so this is the plan's edition, not the key: no advice to check the secret.
      const text = serverText(answer.body)
      throw new TestsigmaError(
        `Testsigma refused ${what} (HTTP ${answer.statusCode}${text ? `: ${text}` : ''}); ` +
          'on some plans the JUnit report is an Enterprise feature',
        { kind: 'http', statusCode: answer.statusCode },
        text
      )
    }
    if (answer.statusCode !== 200) throw this.refusal(what, answer)
    if (!looksLikeXml(answer.body)) {
      // Not a transient fault: the same request gets the same text, so it is not retried.
      throw new TestsigmaError(
        `Testsigma answered ${what} with text that is not XML: ${serverText(answer.body) || '(empty body)'}`,
        { kind: 'http', statusCode: 200 },
        serverText(answer.body)
      )
    }
    return answer.body
  }

  private async send(
    method: string,
    path: string,
    what: string,
    signal: AbortSignal | undefined,
    body?: string,
    accept = 'application/json'
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept }
    if (body !== undefined) headers['content-type'] = 'application/json'
    try {
      return await sendRequest({
        method,
        url: `${this.options.baseUrl}${path}`,
        userAgent: this.options.userAgent,
        headers,
        body,
        signal,
        timeoutMs: this.options.requestTimeoutMs,
        maxBodyBytes: MAX_BODY_BYTES
      })
    } catch (error) {
      if (!(error instanceof NoAnswerError)) throw error
      if (error.kind === 'timeout') {
        throw new TestsigmaError(`Testsigma did not answer ${what} within ${this.options.requestTimeoutMs / 1000} s`, {
          kind: 'timeout'
        })
      }
      throw new TestsigmaError(`Could not reach Testsigma at ${this.options.baseUrl} for ${what} (${error.detail})`, {
        kind: 'network',
        notSent: error.notSent
      })
    }
  }

  private refusal(what: string, answer: HttpAnswer): TestsigmaError {
    const text = serverText(answer.body)
    const fault: Fault = {
      kind: 'http',
      statusCode: answer.statusCode,
      retryAfterMs: parseRetryAfter(headerValue(answer.headers['retry-after']), Date.now())
    }
    const said = `HTTP ${answer.statusCode}${text ? `: ${text}` : ''}`
    if (answer.statusCode === 401 || answer.statusCode === 403) {
      return new TestsigmaError(
        `Testsigma refused the API key (${said}) on ${what}. Check the api-key secret, and that base-url ` +
          `(${this.options.baseUrl}) is the Testsigma server the key belongs to.`,
        fault,
        text
      )
    }
    return new TestsigmaError(`Testsigma answered ${what} with ${said}`, fault, text)
  }

  private triggerRefusal(planId: string, answer: HttpAnswer): TestsigmaError {
    const error = this.refusal(`the trigger of test plan ${planId}`, answer)
    const { statusCode } = answer
    if (statusCode === 401 || statusCode === 403) return error
    const text = error.serverMessage ?? ''
    const unknownPlan =
      statusCode === 404 || (statusCode >= 500 && /not\s*found|does\s*not\s*exist|no\s+\w+\s+found/i.test(text))
    let advice: string
    if (unknownPlan) {
      advice = `Check test-plan-id: Testsigma does not know a test plan ${planId} for this API key.`
    } else if (statusCode === 429 || statusCode === 503) {
      advice = 'Testsigma is busy; no run was started. Try again later.'
    } else if (statusCode >= 500) {
      advice = this.mayHaveStarted(planId)
    } else {
      advice = 'Check the inputs sent with the trigger (build-number, environment-id, upload-versions, runtime-data).'
    }
    return new TestsigmaError(`${error.message}. ${advice}`, error.fault, error.serverMessage)
  }

  private mayHaveStarted(planId: string): string {
    return (
      'It was not sent again, because a run may have started: check the runs of test plan ' +
      `${planId} at ${testPlanUrl(this.options.baseUrl, planId)} before re-running the job.`
    )
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    throw new MalformedRunError(`is not JSON (${serverText(body) || 'empty body'})`)
  }
}

function describeBody(error: unknown): string {
  return error instanceof MalformedRunError ? error.message : `Testsigma's answer could not be read (${String(error)})`
}

export function looksLikeXml(body: string): boolean {
  return /^\uFEFF?\s*<(\?xml|testsuites?[\s>/])/.test(body)
}
