import type { IncomingHttpHeaders, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { HttpClientResponse } from '@actions/http-client'
import { isAbort } from '../clock.js'
import type { Fault, FaultError } from '../retry.js'
import { parseRetryAfter } from '../retry.js'
import { MalformedRunError, RunState, testPlanUrl, toRunState } from '../run.js'

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

interface Answer {
  statusCode: number
  headers: IncomingHttpHeaders
  body: string
}

// A JUnit report of a large plan is a few MiB; far more than that is not a report.
const MAX_BODY_BYTES = 64 * 1024 * 1024
const SERVER_TEXT_LIMIT = 300

/** Speaks the Testsigma REST API (see shared/testsigma-api.md). One request per call: retries are the caller's. */
export class TestsigmaClient {
  constructor(private readonly options: ClientOptions) {}

  /** Starts a run of the test plan. Sent once: whether to send it again is `retry.ts`'s decision. */
  async triggerRun(request: TriggerRequest, signal?: AbortSignal): Promise<RunState> {
    const planId = String(request.executionId)
    const what = `the trigger of test plan ${planId}`
    let answer: Answer
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
  ): Promise<Answer> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs)
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    // One HttpClient per request, so this request's abort signal reaches node's http.request.
    const http = new HttpClient(this.options.userAgent, [new AbortSignalHandler(combined)], {
      allowRetries: false,
      socketTimeout: this.options.requestTimeoutMs
    })
    try {
      const response = await http.request(method, `${this.options.baseUrl}${path}`, body ?? null, headers)
      const text = await readBody(response)
      return { statusCode: response.message.statusCode ?? 0, headers: response.message.headers, body: text }
    } catch (error) {
      if (signal?.aborted === true) throw error
      if (timeout.aborted) {
        throw new TestsigmaError(`Testsigma did not answer ${what} within ${this.options.requestTimeoutMs / 1000} s`, {
          kind: 'timeout'
        })
      }
      if (isAbort(error)) throw error
      throw this.networkError(what, error)
    }
  }

  private networkError(what: string, error: unknown): TestsigmaError {
    const code = (error as { code?: string }).code ?? ''
    // These fail before a byte of the request leaves the machine.
    const notSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
    const cause = code !== '' ? `${code}: ${(error as Error).message}` : String((error as Error).message ?? error)
    return new TestsigmaError(`Could not reach Testsigma at ${this.options.baseUrl} for ${what} (${cause})`, {
      kind: 'network',
      notSent
    })
  }

  private refusal(what: string, answer: Answer): TestsigmaError {
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

  private triggerRefusal(planId: string, answer: Answer): TestsigmaError {
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

/** Hands this request's abort signal to node's http.request. */
class AbortSignalHandler {
  constructor(private readonly signal: AbortSignal) {}
  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal
  }
  canHandleAuthentication(): boolean {
    return false
  }
  handleAuthentication(): Promise<HttpClientResponse> {
    throw new Error('not used')
  }
}

/**
 * Reads the whole body. Unlike `readBody()` of http-client, this rejects when the connection drops
 * mid-body or the request is aborted, instead of waiting forever for an 'end' that never comes.
 */
async function readBody(response: HttpClientResponse): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.message) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) {
      response.message.destroy()
      throw Object.assign(new Error(`the answer exceeded ${MAX_BODY_BYTES} bytes`), { code: 'EBODYTOOLARGE' })
    }
    chunks.push(chunk as Buffer)
  }
  if (!response.message.complete) {
    throw Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' })
  }
  return Buffer.concat(chunks).toString('utf8')
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function looksLikeXml(body: string): boolean {
  return /^\uFEFF?\s*<(\?xml|testsuites?[\s>/])/.test(body)
}

/**
 * The server's own words, one line: `error` or `message` from a JSON body, the `<title>` of an HTML
 * page, or the plain text, trimmed.
 */
export function serverText(body: string): string {
  let text = body.trim()
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    if (parsed !== null && typeof parsed === 'object') {
      const said = [parsed.error, parsed.message].find(value => typeof value === 'string' && value.trim() !== '')
      if (typeof said === 'string') text = said
    }
  } catch {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)
    if (title) text = title[1]
    else if (text.startsWith('<')) text = text.replace(/<[^>]*>/g, ' ')
  }
  text = text.replace(/\s+/g, ' ').trim()
  return text.length > SERVER_TEXT_LIMIT ? `${text.slice(0, SERVER_TEXT_LIMIT - 1)}…` : text
}
