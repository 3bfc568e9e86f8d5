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
  /** Never answer (until the simulator closes). */
  | { type: 'hang' }
  /** HTTP 200 with an HTML page instead of JSON. */
  | { type: 'non-json' }

export function serveFault(fault: Fault, response: ServerResponse): void {
  switch (fault.type) {
    case 'status':
      response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html', ...fault.headers })
      response.end(fault.body ?? '')
      return
    case 'drop':
      response.socket?.destroy()
      return
    case 'drop-mid-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' })
      response.write('{"id": 337, "status": "STATUS_IN_')
      setTimeout(() => response.socket?.destroy(), 20)
      return
    case 'hang':
      return
    case 'non-json':
      send(
        response,
        200,
        '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>',
        'text/html'
      )
      return
  }
}
