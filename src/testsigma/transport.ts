import type { IncomingHttpHeaders, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { HttpClientResponse } from '@actions/http-client'
import { isAbort } from '../clock.js'

/** One HTTP request as the client sends it. */
export interface HttpRequest {
  method: string
  url: string
  userAgent: string
  headers: Record<string, string>
  body?: string
  /** The job's cancellation; an abort rejects with the AbortError as it is. */
  signal?: AbortSignal
  /** The request, body included, must finish within this. */
  timeoutMs: number
  /** A longer answer is refused. */
  maxBodyBytes: number
}

export interface HttpAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  body: string
}

/**
 * Why a request got no answer. `notSent` is true only when the request certainly never reached the server
 * (connection refused, host not found), which is what decides whether a trigger may be sent again.
 */
export class NoAnswerError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    readonly detail: string,
    readonly notSent: boolean
  ) {
    super(detail)
    this.name = 'NoAnswerError'
  }
}

// These fail before the request reaches the server: no connection (refused, host not found), a TLS handshake that
// failed (node's X509 certificate error codes, checked before any request byte is written), or a request node
// refuses to write (a header value or name with an invalid character, an unescaped path).
const NOT_SENT_CODES = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_UNESCAPED_CHARACTERS'
]

/** `EPROTO` is any TLS failure; only a failed handshake (e.g. https to a plain-http port) certainly sent nothing. */
function certainlyNotSent(code: string, message: string): boolean {
  if (NOT_SENT_CODES.includes(code)) return true
  return (
    code === 'EPROTO' &&
    /wrong version number|handshake failure|unsupported protocol|no protocols available/i.test(message)
  )
}

/**
 * Sends one request through `@actions/http-client` (so proxies configured for the runner are used) and
 * reads the whole answer. No retries here: whether to send again is the caller's decision.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const combined = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout])
  // One HttpClient per request, so this request's abort signal reaches node's http.request.
  const http = new HttpClient(request.userAgent, [new AbortSignalHandler(combined)], {
    allowRetries: false,
    socketTimeout: request.timeoutMs
  })
  try {
    const response = await http.request(request.method, request.url, request.body ?? null, request.headers)
    const body = await readBody(response, request.maxBodyBytes)
    return { statusCode: response.message.statusCode ?? 0, headers: response.message.headers, body }
  } catch (error) {
    if (request.signal?.aborted === true) throw error
    if (timeout.aborted) {
      throw new NoAnswerError('timeout', `no answer within ${request.timeoutMs / 1000} s`, false)
    }
    if (isAbort(error)) throw error
    const code = (error as { code?: string }).code ?? ''
    const cause = code !== '' ? `${code}: ${(error as Error).message}` : String((error as Error).message ?? error)
    throw new NoAnswerError('network', cause, certainlyNotSent(code, cause))
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
async function readBody(response: HttpClientResponse, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.message) {
    size += (chunk as Buffer).length
    if (size > maxBytes) {
      response.message.destroy()
      throw Object.assign(new Error(`the answer exceeded ${maxBytes} bytes`), { code: 'EBODYTOOLARGE' })
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
