import type { Fault, FaultError } from '../retry.js'
import { formatDuration } from '../text.js'
import { parseRetryAfter } from '../retry.js'
import {
  ApiDialect,
  isMissingPath,
  runPath,
  runsPath,
  serverName,
  stopBody,
  triggerBody,
  TriggerRequest
} from './dialect.js'
import { DEFAULT_BASE_URL, testPlanUrl } from './links.js'
import { MalformedRunError, RunState, toRunState } from './run-state.js'
import { serverText } from './server-text.js'
import { UploadFacts, uploadOf, uploadsIn } from './upload-answers.js'
import {
  AnswerTooLargeError,
  headerValue,
  HttpAnswer,
  NoAnswerError,
  RedirectError,
  sendRequest,
  StreamedBody
} from './transport.js'

export type { TriggerRequest } from './dialect.js'

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  userAgent: string
  /** Each request, body included, must finish within this; a hung server must not hang the step. */
  requestTimeoutMs: number
  /**
   * Date.now() by which every request but the stop must be over (the end of timeout-minutes): each request's
   * limit is the smaller of `requestTimeoutMs` and the time left. The stop keeps its own short limit.
   */
  deadline?: number
  /** Other secrets (the GitHub token) removed from every answer, as the key is, before anything reads it. */
  secrets?: readonly string[]
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

  /**
   * The server has no such path (a 404 no handler answered, docs §7): nothing was started, and a server that
   * speaks the other dialect may have it.
   */
  missingPath = false

  /** What went wrong in a few words, for the summary's answer line ("the API key was refused"). */
  brief?: string
}

/** `error` with its `brief` set; returns it, so a creation site can say it in one expression. */
function briefly<E extends TestsigmaError>(error: E, brief: string): E {
  error.brief = brief
  return error
}

/** The few words for a failed request that has no `brief` of its own, from what kind of fault it was. */
export function briefOf(error: unknown): string {
  if (error instanceof TestsigmaError) {
    if (error.brief !== undefined) return error.brief
    switch (error.fault.kind) {
      case 'network':
        return 'Testsigma could not be reached'
      case 'timeout':
        return 'Testsigma did not answer in time'
      case 'malformed':
        return "Testsigma's answer could not be read"
      case 'http':
        return `Testsigma answered HTTP ${error.fault.statusCode ?? '?'}`
    }
  }
  // Other step errors that carry their few words (the app upload's).
  const brief = error instanceof Error ? (error as { brief?: unknown }).brief : undefined
  if (typeof brief === 'string') return brief
  return 'an unexpected error'
}

// A run object is a few KiB, an error a few hundred bytes: 1 MiB is far more than any of them needs.
const MAX_ANSWER_BYTES = 1024 * 1024
// A JUnit report of a large plan is a few MiB (10,000 test cases with a stack trace each stay under 32 MiB);
// far more than that is not a report, and would cost hundreds of MiB to parse.
const MAX_REPORT_BYTES = 32 * 1024 * 1024

/** Speaks the Testsigma REST API (see docs/testsigma-api.md). One request per call: retries are the caller's. */
export class TestsigmaClient {
  constructor(private readonly options: ClientOptions) {}

  /** The same client, its requests also over within `ms` from now (the JUnit report's minute). */
  within(ms: number): TestsigmaClient {
    const deadline = Math.min(this.options.deadline ?? Infinity, Date.now() + ms)
    return new TestsigmaClient({ ...this.options, deadline })
  }

  /** Starts a run of the test plan. Sent once: whether to send it again is `retry.ts`'s decision. */
  async triggerRun(request: TriggerRequest, dialect: ApiDialect, signal?: AbortSignal): Promise<RunState> {
    const planId = request.testPlanId
    const what = `the trigger of test plan ${planId}`
    const body = JSON.stringify(triggerBody(dialect, request))
    let answer: HttpAnswer
    try {
      answer = await this.send('POST', runsPath(dialect), what, signal, { body })
    } catch (error) {
      if (!(error instanceof TestsigmaError)) throw error
      const advice = error.fault.notSent === true ? 'No run was started.' : this.mayHaveStarted(planId)
      const started = new TestsigmaError(`${error.message}. ${advice}`, error.fault)
      throw briefly(started, `${briefOf(error)}${error.fault.notSent === true ? '' : ' (a run may have started)'}`)
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
    throw this.triggerRefusal(planId, dialect, answer)
  }

  /** The run and its re-runs (nested in its answer). */
  async getRun(runId: string, dialect: ApiDialect, signal?: AbortSignal): Promise<RunState> {
    const what = `the status request for run ${runId}`
    const answer = await this.send('GET', runPath(dialect, runId), what, signal)
    if (answer.statusCode !== 200) throw this.refusal(what, answer)
    try {
      return toRunState(parseJson(answer.body))
    } catch (error) {
      throw new TestsigmaError(`${describeBody(error)} in answer to ${what}`, { kind: 'malformed' })
    }
  }

  /** Asks Testsigma to stop this run only (`canStopAll: false`); it then finishes with result STOPPED. */
  async stopRun(runId: string, dialect: ApiDialect, signal?: AbortSignal): Promise<void> {
    const what = `the stop request for run ${runId}`
    const body = JSON.stringify(stopBody())
    const answer = await this.send('PUT', runPath(dialect, runId), what, signal, { body, untilDeadline: false })
    if (answer.statusCode < 200 || answer.statusCode >= 300) throw this.refusal(what, answer)
  }

  /**
   * The run's JUnit XML. The server can answer 200 with a plain-text error, so a body that is not XML
   * is an error here, never a report.
   */
  async getJunitReport(runId: string, signal?: AbortSignal): Promise<string> {
    const what = `the JUnit report request for run ${runId}`
    const answer = await this.send('GET', `/api/v1/reports/junit/${runId}`, what, signal, { accept: 'application/xml' })
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

  /**
   * The uploads whose name the server matches to `name` (`GET /api/v1/uploads?query=name:…`, docs §8.1); the caller
   * filters them again (`uploadsNamed`), since the server's matching is not documented.
   */
  async findUploads(name: string, signal?: AbortSignal): Promise<UploadFacts[]> {
    const what = `the search for the upload named ${JSON.stringify(name)}`
    const answer = await this.send('GET', `${UPLOADS_PATH}?query=${encodeURIComponent(`name:${name}`)}`, what, signal)
    if (answer.statusCode === 404 && !isMissingPath(404, answer.body)) return []
    if (answer.statusCode !== 200) throw this.uploadRefusal(what, answer)
    return uploadsIn(this.uploadJson(answer, what))
  }

  /** One upload (`GET /api/v1/uploads/{id}`), and its answer as it came, for `versionReadiness`. */
  async getUpload(uploadId: number, signal?: AbortSignal): Promise<{ upload: UploadFacts; answer: unknown }> {
    const what = `the request for upload ${uploadId}`
    const answer = await this.send('GET', `${UPLOADS_PATH}/${uploadId}`, what, signal)
    if (answer.statusCode === 404 && !isMissingPath(404, answer.body)) {
      const text = serverText(answer.body)
      const unknown = new TestsigmaError(
        `Testsigma has no upload ${uploadId} (HTTP 404${text ? `: ${text}` : ''}). Check app-upload: its id is in ` +
          'Test Data → Uploads (the number in Copy Path, …/uploads/<project>/<upload id>/…); nothing was uploaded.',
        { kind: 'http', statusCode: 404 },
        text
      )
      throw briefly(unknown, `upload ${uploadId} is unknown`)
    }
    if (answer.statusCode !== 200) throw this.uploadRefusal(what, answer)
    const json = this.uploadJson(answer, what)
    const upload = uploadOf(json)
    if (upload === undefined) {
      throw new TestsigmaError(`Testsigma's answer to ${what} has no upload id: ${serverText(answer.body)}`, {
        kind: 'malformed'
      })
    }
    return { upload, answer: json }
  }

  /**
   * Sends an app build as a multipart form (docs §8.1): `PUT /api/v1/uploads/{id}` adds a version to an upload,
   * `POST /api/v1/uploads` creates one. Sent once: whether to send it again is `retry.ts`'s decision (`upload`).
   * A failure after the body may have arrived says that a version may exist, and where to look.
   */
  async sendAppBuild(build: AppBuildRequest, signal?: AbortSignal): Promise<{ upload: UploadFacts; answer: unknown }> {
    const { label } = build
    const what =
      build.uploadId === undefined
        ? `the creation of upload ${label} with ${build.fileName}`
        : `the upload of ${build.fileName} as a new version of upload ${label}`
    const path = build.uploadId === undefined ? UPLOADS_PATH : `${UPLOADS_PATH}/${build.uploadId}`
    const upload = { body: build.body, contentType: build.contentType, timeoutMs: build.timeoutMs }
    let answer: HttpAnswer
    try {
      answer = await this.send(build.uploadId === undefined ? 'POST' : 'PUT', path, what, signal, { upload })
    } catch (error) {
      if (!(error instanceof TestsigmaError)) throw error
      if (error.fault.notSent === true) {
        throw briefly(new TestsigmaError(`${error.message}. Nothing was uploaded.`, error.fault), briefOf(error))
      }
      const lost = new TestsigmaError(`${error.message}. ${mayHaveStored(label)}`, error.fault)
      throw briefly(lost, `the upload got no answer (a version may exist in ${label})`)
    }
    if (answer.statusCode === 200 || answer.statusCode === 201) {
      let json: unknown
      try {
        json = parseJson(answer.body)
      } catch (error) {
        throw new TestsigmaError(`${describeBody(error)} in answer to ${what}. ${mayHaveStored(label)}`, {
          kind: 'malformed'
        })
      }
      const facts = uploadOf(json)
      if (facts?.latestVersionId === undefined) {
        const missing = new TestsigmaError(
          `Testsigma's answer to ${what} names no upload version (no latestVersion.id nor latestVersionId): ` +
            `${serverText(answer.body) || '(empty body)'}. ${mayHaveStored(label)}`,
          { kind: 'malformed' }
        )
        throw briefly(missing, "Testsigma's answer to the upload names no version")
      }
      return { upload: facts, answer: json }
    }
    const refused = this.uploadRefusal(what, answer)
    const { statusCode } = answer
    let advice: string
    if (statusCode === 401 || statusCode === 403) throw refused
    if (statusCode === 429 || statusCode === 503) advice = 'Testsigma is busy; nothing was stored.'
    else if (statusCode === 404) {
      advice = `Check app-upload: upload ${label} does not exist (any more) for this API key; nothing was stored.`
    } else if (statusCode === 413) {
      advice = `Testsigma refused ${build.fileName} as too large (its web page takes apps of up to 300 MB).`
    } else if (statusCode >= 500) advice = mayHaveStored(label)
    else advice = 'Check app-upload, app-project-id and the file; nothing was stored.'
    throw briefly(
      new TestsigmaError(`${refused.message}. ${advice}`, refused.fault, refused.serverMessage),
      statusCode >= 500 && statusCode !== 503
        ? `Testsigma answered the upload with HTTP ${statusCode}`
        : `Testsigma refused the upload (HTTP ${statusCode})`
    )
  }

  private uploadJson(answer: HttpAnswer, what: string): unknown {
    try {
      return parseJson(answer.body)
    } catch (error) {
      throw new TestsigmaError(`${describeBody(error)} in answer to ${what}`, { kind: 'malformed' })
    }
  }

  /** A refusal of an upload request; a missing path means base-url is not Testsigma's cloud API. */
  private uploadRefusal(what: string, answer: HttpAnswer): TestsigmaError {
    const refused = this.refusal(what, answer)
    if (!isMissingPath(answer.statusCode, answer.body)) return refused
    const missing = new TestsigmaError(
      `${this.options.baseUrl} has no ${UPLOADS_PATH} (HTTP 404), the uploads of ${serverName('cloud')}, so nothing ` +
        'was uploaded and no run was started. Check base-url; a self-hosted open-source server cannot take app-file.',
      refused.fault,
      refused.serverMessage
    )
    return briefly(missing, `base-url has no ${UPLOADS_PATH}`)
  }

  private async send(
    method: string,
    path: string,
    what: string,
    signal: AbortSignal | undefined,
    options: SendOptions = {}
  ): Promise<HttpAnswer> {
    const { body, accept = 'application/json', untilDeadline = true, upload } = options
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (upload !== undefined) headers['content-type'] = upload.contentType
    const { deadline } = this.options
    const requestTimeoutMs = upload?.timeoutMs ?? this.options.requestTimeoutMs
    const timeoutMs =
      untilDeadline && deadline !== undefined ? Math.min(requestTimeoutMs, deadline - Date.now()) : requestTimeoutMs
    const maxBodyBytes = accept === 'application/xml' ? MAX_REPORT_BYTES : MAX_ANSWER_BYTES
    try {
      return await sendRequest({
        method,
        url: `${this.options.baseUrl}${path}`,
        userAgent: this.options.userAgent,
        headers,
        body,
        bodyStream: upload?.body,
        signal,
        timeoutMs,
        maxBodyBytes,
        secrets: this.options.secrets
      })
    } catch (error) {
      if (error instanceof RedirectError) {
        // No run was started: the Testsigma API never redirects, so the trigger did not reach it.
        const redirected = new TestsigmaError(`Testsigma answered ${what} with ${error.message}`, {
          kind: 'http',
          statusCode: error.statusCode,
          notSent: true
        })
        throw briefly(redirected, `base-url redirects elsewhere (HTTP ${error.statusCode})`)
      }
      if (error instanceof AnswerTooLargeError) {
        const tooLarge = new TestsigmaError(
          `Testsigma answered ${what} with ${error.message}; it was not read further, nor asked for again`,
          { kind: 'malformed', permanent: true }
        )
        throw briefly(tooLarge, "Testsigma's answer was far too large")
      }
      if (!(error instanceof NoAnswerError)) throw error
      if (error.kind === 'timeout') {
        // The request's own limit as it was set; one cut short by the deadline, or an upload's, rounded as durations are.
        const limit =
          timeoutMs === requestTimeoutMs && upload === undefined ? `${timeoutMs / 1000} s` : formatDuration(timeoutMs)
        const within = timeoutMs > 0 ? `within ${limit}` : 'before timeout-minutes ran out'
        throw new TestsigmaError(`Testsigma did not answer ${what} ${within}`, { kind: 'timeout' })
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
      const refused = new TestsigmaError(
        `Testsigma refused the API key (${said}) on ${what}. Check the api-key secret, and that base-url ` +
          `(${this.options.baseUrl}) is the Testsigma server the key belongs to.`,
        fault,
        text
      )
      return briefly(refused, 'the API key was refused')
    }
    return new TestsigmaError(`Testsigma answered ${what} with ${said}`, fault, text)
  }

  private triggerRefusal(planId: string, dialect: ApiDialect, answer: HttpAnswer): TestsigmaError {
    const error = this.refusal(`the trigger of test plan ${planId}`, answer)
    const { statusCode } = answer
    if (statusCode === 401 || statusCode === 403) {
      // An open-source server may answer a path it does not have with 401 (docs §7, unverified).
      if (dialect === 'cloud' && this.options.baseUrl !== DEFAULT_BASE_URL) {
        const hint = ' If base-url is a self-hosted open-source Testsigma server, set api-dialect: open-source.'
        const refused = new TestsigmaError(`${error.message}${hint}`, error.fault, error.serverMessage)
        return briefly(refused, 'the API key was refused')
      }
      return error
    }
    if (isMissingPath(statusCode, answer.body)) {
      const other = dialect === 'cloud' ? 'open-source' : 'cloud'
      const said = error.serverMessage ? `: ${error.serverMessage}` : ''
      const missing = new TestsigmaError(
        `${this.options.baseUrl} has no ${runsPath(dialect)} (HTTP 404${said}), ` +
          `the path of ${serverName(dialect)}, so no run was started. Check that base-url is the Testsigma ` +
          `server's address (without a path), or set api-dialect: ${other} (or auto) if it is ${serverName(other)}.`,
        error.fault,
        error.serverMessage
      )
      missing.missingPath = true
      return briefly(missing, `base-url has no ${runsPath(dialect)}`)
    }
    const text = error.serverMessage ?? ''
    let advice: string
    let brief: string | undefined
    const unknownId = /Could not find resource with id:\s*(\d+)/i.exec(text)?.[1]
    if (unknownId === planId) {
      // The open-source server's answer for an unknown plan (O-tps): HTTP 500, nothing started.
      advice = `test-plan-id ${planId} is unknown to this server, so no run was started: check test-plan-id and base-url.`
      brief = `test plan ${planId} is unknown`
    } else if (unknownId !== undefined) {
      advice =
        `Something the run needs (id ${unknownId}) is unknown to this server, so no run was started: check ` +
        'test-plan-id and the ids in environment-id and upload-versions.'
      brief = `id ${unknownId} is unknown`
    } else if (/currently running/i.test(text)) {
      // The open-source server refuses a plan with a run not yet completed (O-aes); the cloud's docs also
      // describe parallel runs of one plan (D-parallel), so this is this server's word, not a rule.
      advice =
        `Another run of test plan ${planId} is in progress and this server refuses to start a second one: no new ` +
        'run was started. Wait for it, or give the job a concurrency group so that workflow runs of this plan ' +
        `queue instead of overlapping (concurrency: testsigma-plan-${planId}).`
      brief = 'another run of this test plan is in progress'
    } else if (
      statusCode === 404 ||
      (statusCode >= 500 && /not\s*found|does\s*not\s*exist|no\s+\w+\s+found/i.test(text))
    ) {
      advice = `Check test-plan-id: Testsigma does not know a test plan ${planId} for this API key.`
      brief = `test plan ${planId} is unknown`
    } else if (statusCode === 429 || statusCode === 503) {
      advice = 'Testsigma is busy; no run was started. Try again later.'
      brief = `Testsigma is busy (HTTP ${statusCode})`
    } else if (statusCode >= 500) {
      advice = this.mayHaveStarted(planId)
      brief = `Testsigma answered HTTP ${statusCode} (a run may have started)`
    } else {
      advice = 'Check the inputs sent with the trigger (build-number, environment-id, upload-versions, runtime-data).'
    }
    const refused = new TestsigmaError(`${error.message}. ${advice}`, error.fault, error.serverMessage)
    return brief === undefined ? refused : briefly(refused, brief)
  }

  private mayHaveStarted(planId: string): string {
    return (
      'It was not sent again, because a run may have started: check the runs of test plan ' +
      `${planId} at ${testPlanUrl(this.options.baseUrl, planId)} before re-running the job.`
    )
  }
}

const UPLOADS_PATH = '/api/v1/uploads'

/** An app build to send (see `sendAppBuild`). */
export interface AppBuildRequest {
  /** Absent: create a new upload (POST). */
  uploadId?: number
  /** How messages name the upload: `"Shop Android" (id 62)`. */
  label: string
  fileName: string
  body: StreamedBody
  contentType: string
  timeoutMs: number
}

/** What to say when an upload may have been stored though no good answer came. */
function mayHaveStored(label: string): string {
  return (
    `A new version may or may not have been stored in upload ${label}: it was not sent again, and no run was ` +
    `started. Check the upload's versions in Testsigma (Test Data → Uploads → ${label}) before re-running the job.`
  )
}

interface SendOptions {
  /** A JSON body. */
  body?: string
  accept?: string
  /** false for the stop, which keeps its own limit after the deadline has passed. */
  untilDeadline?: boolean
  /** A streamed multipart body, with its own time limit (still cut at the deadline). */
  upload?: { body: StreamedBody; contentType: string; timeoutMs: number }
}

function parseJson(body: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new MalformedRunError(`is not JSON (${serverText(body) || 'empty body'})`)
  }
  // JSON.parse rounds a number above 2^53 to a neighbour: such a run id would name someone else's run.
  const id = (parsed as { id?: unknown } | null)?.id
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    throw new MalformedRunError(`has an "id" that is not an integer JavaScript can read exactly (${String(id)})`)
  }
  return parsed
}

function describeBody(error: unknown): string {
  return error instanceof MalformedRunError ? error.message : `Testsigma's answer could not be read (${String(error)})`
}

export function looksLikeXml(body: string): boolean {
  return /^\uFEFF?\s*<(\?xml|testsuites?[\s>/])/.test(body)
}
