/**
 * A proxy on loopback that accepts connections, reads what comes (a CONNECT request), and never answers: the
 * hang that neither node's abort signal nor a socket timeout ends, since no socket is ever handed to the
 * request. Point HTTP_PROXY / HTTPS_PROXY at `url`, and the base-url at a host name only a proxy would
 * resolve (http-client never proxies loopback addresses).
 */
import { createServer, Socket } from 'node:net'

export interface SilentProxy {
  url: string
  /** Every connection it accepted. */
  sockets: Socket[]
  close(): Promise<void>
}

export async function startSilentProxy(): Promise<SilentProxy> {
  const sockets: Socket[] = []
  const server = createServer(socket => {
    sockets.push(socket)
    socket.on('error', () => undefined)
    socket.resume()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
