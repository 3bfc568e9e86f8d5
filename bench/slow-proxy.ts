/**
 * A loopback HTTP proxy that holds each request for a fixed time before passing it to the simulator: a
 * slow Testsigma. On loopback a request takes a millisecond, too little to tell a wait loop that keeps a
 * fixed cadence from one that sleeps a whole interval after each answer; with a slow server the second
 * drifts by the delay on every poll.
 */
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SlowProxy {
  url: string
  close(): Promise<void>
}

export async function startSlowProxy(targetUrl: string, delayMs: number): Promise<SlowProxy> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      setTimeout(() => {
        const upstream = httpRequest(`${targetUrl}${incoming.url ?? '/'}`, {
          method: incoming.method,
          headers: incoming.headers
        })
        upstream.on('response', answer => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(outgoing)
        })
        upstream.on('error', () => outgoing.destroy())
        upstream.end(Buffer.concat(chunks))
      }, delayMs)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
