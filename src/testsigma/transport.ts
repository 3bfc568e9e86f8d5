import type { IncomingHttpHeaders, RequestOptions } from 'node:http'
import type { Readable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import type { HttpClientResponse } from '@actions/http-client'
import { clip, formatDuration, oneLine, scrubSecrets } from '../text.js'

/** One HTTP request as the client sends it. */
export interface HttpRequest {
  method: string
  url: string
  userAgent: string
  headers: Record<string, string>
  body?: string
  /**
   * A body streamed as it is read (an app upload), instead of `body`: sent with `Content-Length: length`, never held
   * in memory. `open` is called once per request.
   */
  bodyStream?: StreamedBody
  /** The job's cancellation; an abort rejects with an AbortError. */
  signal?: AbortSignal
  /**
   * The whole request must be over within this, from before the connection (a proxy's CONNECT included)
   * to the last byte of the answer. 0 or less: not sent at all.
   */
  timeoutMs: number
  /** A longer answer is refused, and not read further. */
  maxBodyBytes: number
  /** Secrets besides the credential in the headers to remove from the answer (the GitHub token). */
  secrets?: readonly string[]
}

/** A request body read as it is sent; `open()` must yield exactly `length` bytes, or fail. */
export interface StreamedBody {
  length: number
  open: () => Readable
}

/**
 * The streamed body could not be read to its end (the file vanished or changed): the request was cut off before its
 * last byte, so the server got an incomplete body. Not a network fault, and never retried.
 */
export class BodyStreamError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message)
    this.name = 'BodyStreamError'
  }
}

export interface HttpAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  /** The answer's text, with the credential this request carried replaced by `***`. */
  body: string
}

/**
 * A TLS failure no retry heals, found before any byte of the request was written: the server speaks no TLS there
 * (`protocol`: https to a plain-http port), the runner does not trust its certificate's issuer (`untrusted`: a
 * self-signed certificate, a private or corporate CA), the certificate is out of its dates (`expired`) or for another
 * name (`hostname`), another certificate fault (`certificate`), or a handshake that found nothing in common
 * (`handshake`: TLS versions, ciphers, a client certificate asked for).
 */
export type TlsFault = 'protocol' | 'untrusted' | 'expired' | 'hostname' | 'certificate' | 'handshake'

/**
 * Why a request got no answer. `notSent` is true only when the request certainly never reached the server
 * (connection refused, host not found), which is what decides whether a trigger may be sent again. `tls` says which
 * TLS failure it was, when it was one.
 */
export class NoAnswerError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    readonly detail: string,
    readonly notSent: boolean,
    readonly tls?: TlsFault
  ) {
    super(detail)
    this.name = 'NoAnswerError'
  }
}

/**
 * A 3xx answer. The Testsigma API never redirects, so one means base-url names something else (a login
 * page, an old address, a proxy). Never followed: following would send the key, and the trigger's body with
 * `runtime-data`, to wherever the `Location` points. The message says where it pointed and what to do.
 */
export class RedirectError extends Error {
  constructor(
    readonly statusCode: number,
    /** The `Location` header, scrubbed, on one line, clipped; absent when there was none. */
    readonly location: string | undefined,
    message: string
  ) {
    super(message)
    this.name = 'RedirectError'
  }
}

/** An answer longer than the request's `maxBodyBytes`. Not transient: the same request gets the same answer. */
export class AnswerTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`an answer larger than ${describeBytes(maxBytes)}, which no such answer needs`)
    this.name = 'AnswerTooLargeError'
  }
}

// node's X509 certificate error codes (checked in the handshake, before any request byte is written), by what fixes
// them.
const TLS_CODES: Readonly<Record<string, TlsFault>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'expired',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'expired',
  HOSTNAME_MISMATCH: 'hostname',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'certificate',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'certificate',
  CERT_SIGNATURE_FAILURE: 'certificate',
  CERT_REVOKED: 'certificate',
  CERT_REJECTED: 'certificate',
  CERT_CHAIN_TOO_LONG: 'certificate',
  INVALID_CA: 'certificate',
  INVALID_PURPOSE: 'certificate',
  PATH_LENGTH_EXCEEDED: 'certificate',
  ERR_SSL_WRONG_VERSION_NUMBER: 'protocol'
}

// These fail before the request reaches the server too: no connection (refused, host not found), or a request node
// refuses to write (a header value or name with an invalid character, an unescaped path).
const NOT_SENT_CODES = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_UNESCAPED_CHARACTERS'
]

/**
 * The TLS failure a network error is, if any. `EPROTO` is any TLS failure; only a failed handshake is classified
 * (OpenSSL's words: "wrong version number" when the other end answered in plain http, "handshake failure" when the
 * two found nothing in common), since a handshake comes before any request byte.
 */
export function tlsFaultOf(code: string, message: string): TlsFault | undefined {
  if (Object.hasOwn(TLS_CODES, code)) return TLS_CODES[code]
  if (code !== 'EPROTO') return undefined
  if (/wrong version number|unknown protocol|packet length too long/i.test(message)) return 'protocol'
  if (/handshake failure|unsupported protocol|no protocols available/i.test(message)) {
    return 'handshake'
  }
  return undefined
}

/** "wrong version number" out of OpenSSL's "…:SSL routines:ssl3_get_record:wrong version number:../ssl3_record.c:350:". */
function opensslReason(message: string): string {
  return /:([a-z][a-z ]*[a-z]):[^:]*\.c:\d+/i.exec(message)?.[1] ?? message
}

const LOCATION_LIMIT = 200

/**
 * Sends one request through `@actions/http-client` (so proxies configured for the runner are used) and
 * reads the whole answer. No retries and no redirects here: whether to send again is the caller's decision.
 *
 * The time limit is a wall-clock timer that ends the request whatever stage it is in. The socket timeout
 * and the abort signal handed to node do not suffice on their own: before a socket exists (a proxy that
 * accepts the connection and never answers CONNECT) neither fires, and a body that stalls after the
 * headers only ends when something destroys it. The timer also keeps node's event loop alive, so the step
 * can never drain away mid-request and exit as if it had finished.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpAnswer> {
  if (isAborted(request.signal)) throw abortError(request.signal as AbortSignal)
  if (request.timeoutMs <= 0) throw new NoAnswerError('timeout', 'no time was left to send it', true)
  const limit = new AbortController()
  const timer = setTimeout(() => limit.abort(), request.timeoutMs)
  const signal = request.signal === undefined ? limit.signal : AbortSignal.any([request.signal, limit.signal])
  // One HttpClient per request, so this request's abort signal reaches node's http.request (and the proxy's
  // CONNECT), and its sockets end with it.
  const http = new HttpClient(request.userAgent, [new AbortSignalHandler(signal)], {
    allowRetries: false,
    allowRedirects: false,
    socketTimeout: request.timeoutMs
  })
  try {
    return await untilAborted(exchange(http, request), signal)
  } catch (error) {
    if (isAborted(request.signal)) throw abortError(request.signal as AbortSignal)
    if (limit.signal.aborted) {
      throw new NoAnswerError('timeout', `no complete answer within ${formatDuration(request.timeoutMs)}`, false)
    }
    if (error instanceof RedirectError || error instanceof AnswerTooLargeError || error instanceof BodyStreamError) {
      throw error
    }
    const code = (error as { code?: string }).code ?? ''
    const cause = code !== '' ? `${code}: ${(error as Error).message}` : String((error as Error).message ?? error)
    const tls = tlsFaultOf(code, cause)
    const detail = code === 'EPROTO' && tls !== undefined ? `${code}: ${opensslReason(cause)}` : cause
    throw new NoAnswerError('network', detail, tls !== undefined || NOT_SENT_CODES.includes(code), tls)
  } finally {
    clearTimeout(timer)
    // Whatever is still open (a CONNECT never answered, a body never finished) ends with the request.
    limit.abort()
  }
}

async function exchange(http: HttpClient, request: HttpRequest): Promise<HttpAnswer> {
  const response = await sendBody(http, request)
  const statusCode = response.message.statusCode ?? 0
  const credentials = [...credentialsOf(request.headers), ...(request.secrets ?? [])].filter(secret => secret !== '')
  if (statusCode >= 300 && statusCode < 400) {
    // Its body is never read: it may stall or never end, and nothing in it is needed.
    response.message.destroy()
    throw redirectError(statusCode, response.message.headers.location, request.url, credentials)
  }
  const body = await readBody(response, request.maxBodyBytes)
  return { statusCode, headers: response.message.headers, body: scrubSecrets(body, credentials) }
}

/**
 * Sends the request with its body: text, or a stream piped into the request (http-client pipes it) with its length
 * declared. A stream that fails mid-way fails the request at once with `BodyStreamError`: node does not end a
 * request whose piped source failed, so without this it would wait for its time limit.
 */
async function sendBody(http: HttpClient, request: HttpRequest): Promise<HttpClientResponse> {
  const streamed = request.bodyStream
  if (streamed === undefined) return http.request(request.method, request.url, request.body ?? null, request.headers)
  const body = streamed.open()
  const failed = new Promise<never>((_, reject) => {
    body.once('error', error => reject(new BodyStreamError(error)))
  })
  failed.catch(() => undefined)
  const headers = { ...request.headers, 'content-length': String(streamed.length) }
  return Promise.race([http.request(request.method, request.url, body, headers), failed])
}

/**
 * The secrets this request carries in its headers (the API key after `Bearer `), which a server may echo
 * back ("Invalid token: Bearer …"): removed from the answer before anything reads it.
 */
function credentialsOf(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .map(([, value]) => value.replace(/^\S+\s+/, '').trim())
    .filter(secret => secret !== '')
}

function redirectError(
  statusCode: number,
  locationHeader: string | undefined,
  requestUrl: string,
  credentials: string[]
): RedirectError {
  const location =
    locationHeader === undefined ? undefined : clip(oneLine(scrubSecrets(locationHeader, credentials)), LOCATION_LIMIT)
  const to = location === undefined ? 'without a Location' : `to ${location}`
  const suggestion = suggestedBaseUrl(requestUrl, location)
  return new RedirectError(
    statusCode,
    location,
    `a redirect (HTTP ${statusCode} ${to}). The Testsigma API does not redirect, so it was not followed ` +
      'and nothing was sent there: base-url must be the address of the Testsigma API itself' +
      (suggestion === undefined ? '' : ` (perhaps ${suggestion})`)
  )
}

/** When the redirect keeps the request's path (http to https, a new host name), the base-url it implies. */
function suggestedBaseUrl(requestUrl: string, location: string | undefined): string | undefined {
  if (location === undefined) return undefined
  try {
    const from = new URL(requestUrl)
    const to = new URL(location, requestUrl)
    if (to.pathname.endsWith(from.pathname) && (to.protocol === 'https:' || to.protocol === 'http:')) {
      return `${to.origin}${to.pathname.slice(0, to.pathname.length - from.pathname.length)}`
    }
  } catch {
    // Not a URL: nothing to suggest.
  }
  return undefined
}

/** Resolves or rejects as `work` does, or rejects as soon as `signal` aborts, whatever `work` is waiting on. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal))
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  // `work` may still settle after the abort; its outcome is not wanted then.
  work.catch(() => undefined)
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

// A function, so TypeScript does not narrow `aborted` across an await.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' })
}

/**
 * Hands this request's abort signal to node's http.request and, through a proxy, to the CONNECT request
 * that the tunnel agent (`tunnel`, used by http-client for proxies) sends first and never times out.
 */
class AbortSignalHandler {
  constructor(private readonly signal: AbortSignal) {}
  prepareRequest(options: RequestOptions): void {
    options.signal = this.signal
    const tunnel = options.agent as { proxyOptions?: Record<string, unknown> } | undefined
    if (tunnel?.proxyOptions !== undefined) tunnel.proxyOptions.signal = this.signal
  }
  canHandleAuthentication(): boolean {
    return false
  }
  handleAuthentication(): Promise<HttpClientResponse> {
    throw new Error('not used')
  }
}

/**
 * Reads the whole body, never more than `maxBytes` of it. Unlike `readBody()` of http-client, this rejects
 * when the connection drops mid-body or the request is aborted, instead of waiting forever for an 'end'
 * that never comes.
 */
async function readBody(response: HttpClientResponse, maxBytes: number): Promise<string> {
  const declared = Number(response.message.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.message.destroy()
    throw new AnswerTooLargeError(maxBytes)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.message) {
    size += (chunk as Buffer).length
    if (size > maxBytes) {
      response.message.destroy()
      throw new AnswerTooLargeError(maxBytes)
    }
    chunks.push(chunk as Buffer)
  }
  if (!response.message.complete) {
    throw Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' })
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** "1 MiB", "32 MiB", "512 KiB". */
export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`
    : `${Math.round(bytes / 1024)} KiB`
}
