/** Faults the Testsigma simulator can serve instead of a normal answer, one per request. */
import type { ServerResponse } from 'node:http'
import { send } from './loopback-server.js'

export type Fault =
  /** Answer with this status, body and headers (e.g. 502 with an HTML page, 429 with Retry-After). */
  | { type: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** Close the connection without answering. */
  | { type: 'drop' }
  /** Send the headers and part of a body, then close the connection. */
  | { type: 'drop-mid-body' }
  /** Send the headers of a 200 answer, then reset the connection before any of the body. */
  | { type: 'reset-after-headers' }
  /** Never answer (until the simulator closes). */
  | { type: 'hang' }
  /** HTTP 200 with an HTML page instead of JSON. */
  | { type: 'non-json' }
  /** HTTP 200, labelled JSON, whose body is not JSON (cut short, or this text). */
  | { type: 'malformed-json'; body?: string }
  /**
   * A 3xx answer to `location`. `body`: 'none' (ends at once), 'stall' (headers, a few bytes, then
   * nothing, the connection kept open) or 'cut' (headers, a few bytes, then the connection closed).
   */
  | { type: 'redirect'; status: number; location?: string; body?: 'none' | 'stall' | 'cut' }
  /** HTTP `status` (200 by default) whose body (`body`, else JSON) trickles out one chunk every `chunkDelayMs`. */
  | { type: 'slow-body'; chunkDelayMs: number; chunks?: number; status?: number; body?: string }
  /**
   * HTTP 200 with a body of `bytes` bytes, streamed as it is read, so the simulator holds none of it:
   * `shape` 'nested' is `[[[[…` (nested JSON, the costliest to parse), 'angles' is `<<<<…` (an HTML-ish page
   * that makes naive tag stripping quadratic), 'text' is letters. `declareLength` sends a Content-Length.
   */
  | { type: 'oversized'; bytes: number; shape?: 'nested' | 'angles' | 'text'; declareLength?: boolean }
  /** Wait this long, then answer normally (the fault queue's way of making a slow, honest server). */
  | { type: 'delay'; ms: number }
  /**
   * Act on the request as normal (a trigger starts its run), then answer this instead of the real answer: a proxy
   * that forwarded the request and lost the server's answer (the simulator acts, `serveFault` only answers).
   */
  | { type: 'after-acting'; status: number; body?: string; contentType?: string }

/**
 * Serves `fault` on `response`. Resolves true when the fault was the answer, false when the simulator
 * should answer normally now (after a `delay`).
 */
export async function serveFault(fault: Fault, response: ServerResponse): Promise<boolean> {
  switch (fault.type) {
    case 'status':
      response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html', ...fault.headers })
      response.end(fault.body ?? '')
      return true
    case 'drop':
      response.socket?.destroy()
      return true
    case 'drop-mid-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' })
      response.write('{"id": 337, "status": "STATUS_IN_')
      setTimeout(() => response.socket?.destroy(), 20)
      return true
    case 'reset-after-headers':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' })
      response.flushHeaders()
      setTimeout(() => response.socket?.resetAndDestroy(), 20)
      return true
    case 'hang':
      return true
    case 'non-json':
      send(
        response,
        200,
        '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>',
        'text/html'
      )
      return true
    case 'malformed-json':
      send(response, 200, fault.body ?? '{"id": 337, "status": "STATUS_IN_PROGRESS", "result": ', 'application/json')
      return true
    case 'redirect':
      serveRedirect(fault, response)
      return true
    case 'slow-body':
      await serveSlowly(fault, response)
      return true
    case 'oversized':
      await serveOversized(fault, response)
      return true
    case 'delay':
      await new Promise(resolve => setTimeout(resolve, fault.ms))
      return false
    case 'after-acting':
      response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html' })
      response.end(fault.body ?? '')
      return true
  }
}

function serveRedirect(fault: Extract<Fault, { type: 'redirect' }>, response: ServerResponse): void {
  const headers: Record<string, string> = { 'content-type': 'text/html' }
  if (fault.location !== undefined) headers.location = fault.location
  const body = fault.body ?? 'none'
  if (body === 'none') {
    response.writeHead(fault.status, { ...headers, 'content-length': '0' })
    response.end()
    return
  }
  // A body announced longer than what comes: the reader waits for the rest.
  response.writeHead(fault.status, { ...headers, 'content-length': '4096' })
  response.write('<html><body>Moved')
  if (body === 'cut') setTimeout(() => response.socket?.destroy(), 20)
}

/** What a `slow-body` fault sends when it names no body: a run object (a run the simulator did not make). */
export const SLOW_BODY = '{"id": 337, "status": "STATUS_IN_PROGRESS", "result": "QUEUED", "totalCount": 5}'

async function serveSlowly(fault: Extract<Fault, { type: 'slow-body' }>, response: ServerResponse): Promise<void> {
  const body = fault.body ?? SLOW_BODY
  const chunks = Math.max(1, Math.min(fault.chunks ?? 8, body.length))
  const size = Math.ceil(body.length / chunks)
  response.writeHead(fault.status ?? 200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body))
  })
  for (let at = 0; at < body.length && !response.destroyed; at += size) {
    response.write(body.slice(at, at + size))
    await new Promise(resolve => setTimeout(resolve, fault.chunkDelayMs))
  }
  response.end()
}

const CHUNK_BYTES = 64 * 1024

async function serveOversized(fault: Extract<Fault, { type: 'oversized' }>, response: ServerResponse): Promise<void> {
  const filler = { nested: '[', angles: '<', text: 'x' }[fault.shape ?? 'text']
  const chunk = Buffer.from(filler.repeat(CHUNK_BYTES))
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (fault.declareLength === true) headers['content-length'] = String(fault.bytes)
  response.writeHead(200, headers)
  let sent = 0
  // Written as the reader takes it (backpressure), and stopped when the reader goes away.
  while (sent < fault.bytes && !response.destroyed) {
    const piece = chunk.subarray(0, Math.min(CHUNK_BYTES, fault.bytes - sent))
    sent += piece.length
    if (!response.write(piece)) {
      await new Promise<void>(resolve => {
        const done = (): void => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
    }
  }
  response.end()
}
