/**
 * One request to the Testsigma API, as every endpoint sends it: the key, a time limit cut at the end of
 * timeout-minutes, a body cap, and what a failed exchange means (no answer, a redirect, an answer too large, a
 * refusal) as a `TestsigmaError` that says what to do. The endpoints are in `runs-api.ts`, `reports-api.ts` and
 * `uploads-api.ts`; `client.ts` puts them together.
 */
import type { Fault } from '../retry.js'
import { parseRetryAfter } from '../retry.js'
import { formatDuration } from '../text.js'
import type { BackoffGate } from './backoff-gate.js'
import { briefly, TestsigmaError } from './errors.js'
import { MalformedRunError } from './run-state.js'
import { serverText } from './server-text.js'
import {
  AnswerTooLargeError,
  headerValue,
  HttpAnswer,
  NoAnswerError,
  RedirectError,
  sendRequest,
  StreamedBody,
  TlsFault
} from './transport.js'

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
  /** The backoff shared by the requests of several plans (`backoff-gate.ts`); absent for one plan. */
  gate?: BackoffGate
}

// A run object is a few KiB, an error a few hundred bytes: 1 MiB is far more than any of them needs.
const MAX_ANSWER_BYTES = 1024 * 1024
// A JUnit report of a large plan is a few MiB (10,000 test cases with a stack trace each stay under 32 MiB);
// far more than that is not a report, and would cost hundreds of MiB to parse.
const MAX_REPORT_BYTES = 32 * 1024 * 1024

/** The transport every endpoint shares: the client's options, and one request sent and judged. */
export class Connection {
  constructor(readonly options: ClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl
  }

  async send(
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
    const { deadline, gate } = this.options
    // The stop (untilDeadline false) goes at once: it is the last request of a run, and the job may be ending.
    if (gate !== undefined && untilDeadline) {
      await gate.pass(deadline === undefined ? Infinity : deadline - Date.now(), signal)
    }
    const requestTimeoutMs = upload?.timeoutMs ?? this.options.requestTimeoutMs
    const timeoutMs =
      untilDeadline && deadline !== undefined ? Math.min(requestTimeoutMs, deadline - Date.now()) : requestTimeoutMs
    const maxBodyBytes = accept === 'application/xml' ? MAX_REPORT_BYTES : MAX_ANSWER_BYTES
    try {
      const answer = await sendRequest({
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
      gate?.answered(answer.statusCode, parseRetryAfter(headerValue(answer.headers['retry-after']), Date.now()))
      return answer
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
      if (error.tls !== undefined) throw tlsError(error.tls, error.detail, this.options.baseUrl, what)
      throw new TestsigmaError(`Could not reach Testsigma at ${this.options.baseUrl} for ${what} (${error.detail})`, {
        kind: 'network',
        notSent: error.notSent
      })
    }
  }

  refusal(what: string, answer: HttpAnswer): TestsigmaError {
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

  /** The answer's body as JSON, or a `malformed` fault that says what it was. */
  readJson(answer: HttpAnswer, what: string): unknown {
    try {
      return parseJson(answer.body)
    } catch (error) {
      throw new TestsigmaError(`${describeBody(error)} in answer to ${what}`, { kind: 'malformed' })
    }
  }
}

export interface SendOptions {
  /** A JSON body. */
  body?: string
  accept?: string
  /** false for the stop, which keeps its own limit after the deadline has passed. */
  untilDeadline?: boolean
  /** A streamed multipart body, with its own time limit (still cut at the deadline). */
  upload?: { body: StreamedBody; contentType: string; timeoutMs: number }
}

/**
 * A TLS failure (`transport.ts`'s `TlsFault`): the handshake failed before any byte of the request was written, and
 * the same request would fail the same way, so it is never sent again (`permanent`). The message names the cause
 * and the fix: the scheme of base-url, or the CA's certificate in NODE_EXTRA_CA_CERTS (which node reads at start, so
 * it is set on the step, `env:`). It never suggests switching certificate checks off.
 */
function tlsError(fault: TlsFault, detail: string, baseUrl: string, what: string): TestsigmaError {
  const { problem, fix, brief } = TLS_ADVICE[fault](baseUrl)
  const error = new TestsigmaError(
    `Could not reach Testsigma at ${baseUrl} for ${what}: ${problem} (${detail}), so nothing was sent. ${fix}`,
    { kind: 'network', notSent: true, permanent: true }
  )
  return briefly(error, brief)
}

const CA_FIX =
  "set NODE_EXTRA_CA_CERTS on the step (env:) to the path of the CA's certificate, a PEM file (a self-signed " +
  'certificate is its own CA)'

const TLS_ADVICE: Record<TlsFault, (baseUrl: string) => { problem: string; fix: string; brief: string }> = {
  protocol: baseUrl => ({
    problem: 'the server there speaks no TLS (no https)',
    fix:
      'Check the scheme of base-url: a server that speaks plain http needs ' +
      `${baseUrl.replace(/^https:/i, 'http:')} (the API key then travels unencrypted), one that speaks https its ` +
      'https port',
    brief: 'base-url speaks no https there: check its scheme'
  }),
  untrusted: () => ({
    problem: "the runner does not trust the issuer of the server's TLS certificate",
    fix: `For a server whose certificate a private or corporate CA signed, ${CA_FIX}`,
    brief: "the server's TLS certificate is not trusted: set NODE_EXTRA_CA_CERTS"
  }),
  expired: () => ({
    problem: "the server's TLS certificate is outside its dates: expired, or not valid yet",
    fix: "The server's certificate needs renewing (or the runner's clock is wrong); no input of the action can help",
    brief: "the server's TLS certificate has expired"
  }),
  hostname: () => ({
    problem: "the server's TLS certificate is for another host name",
    fix: 'Use in base-url a host name the certificate names (an IP address only if the certificate lists it)',
    brief: "the server's TLS certificate is for another name"
  }),
  certificate: () => ({
    problem: "the server's TLS certificate was refused",
    fix: `Check the server's certificate and its chain; for a certificate of a private or corporate CA, ${CA_FIX}`,
    brief: "the server's TLS certificate was refused"
  }),
  handshake: () => ({
    problem: 'the TLS handshake failed',
    fix:
      "The server and the runner's Node share no TLS version or cipher, or the server asks for a client " +
      "certificate, which the action does not send: check base-url and the server's TLS settings",
    brief: 'the TLS handshake with base-url failed'
  })
}

export function parseJson(body: string): unknown {
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

export function describeBody(error: unknown): string {
  return error instanceof MalformedRunError ? error.message : `Testsigma's answer could not be read (${String(error)})`
}
