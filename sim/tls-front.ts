/**
 * TLS in front of a plain-http server on loopback (the simulator), as a self-hosted Testsigma behind a corporate or
 * private CA is reached: `https://127.0.0.1:<port>`, with one of the test certificates in sim/tls/ (README there).
 * Each TLS connection is piped, bytes unchanged, to the upstream; the front counts the connections that were
 * attempted and those whose handshake succeeded, so a test can tell "failed at once" from "retried". Not in the bundle.
 */
import { readFileSync } from 'node:fs'
import { AddressInfo, connect, Socket } from 'node:net'
import { createServer, Server, TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'

const TLS_DIR = new URL('./tls/', import.meta.url)

/** The test certificates the front can present. */
export const LOOPBACK_CERTS = {
  /** For 127.0.0.1, signed by the private CA `LOOPBACK_CA_FILE`. */
  privateCa: { cert: 'loopback.pem', key: 'loopback.key' },
  /** For 127.0.0.1, self-signed (its own CA: `LOOPBACK_SELF_SIGNED_FILE`). */
  selfSigned: { cert: 'loopback-self-signed.pem', key: 'loopback-self-signed.key' }
} as const

/** What NODE_EXTRA_CA_CERTS names for the `privateCa` certificate. */
export const LOOPBACK_CA_FILE = fileURLToPath(new URL('loopback-ca.pem', TLS_DIR))
/** What NODE_EXTRA_CA_CERTS names for the `selfSigned` certificate. */
export const LOOPBACK_SELF_SIGNED_FILE = fileURLToPath(new URL(LOOPBACK_CERTS.selfSigned.cert, TLS_DIR))

export class TlsFront {
  /** TCP connections that reached the front (each a handshake attempt). */
  connections = 0
  /** Handshakes that succeeded. */
  handshakes = 0
  /** `https://127.0.0.1:<port>`. */
  url = ''
  private readonly sockets = new Set<Socket>()

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1 with `certificate`, passing every connection on to `upstream` (an http origin). */
  static async start(upstream: string, certificate: keyof typeof LOOPBACK_CERTS): Promise<TlsFront> {
    const files = LOOPBACK_CERTS[certificate]
    const { hostname, port } = new URL(upstream)
    const server = createServer({
      cert: readFileSync(new URL(files.cert, TLS_DIR)),
      key: readFileSync(new URL(files.key, TLS_DIR))
    })
    const front = new TlsFront(server)
    server.on('connection', (socket: Socket) => {
      front.connections += 1
      front.track(socket)
    })
    server.on('tlsClientError', () => undefined)
    server.on('secureConnection', (socket: TLSSocket) => {
      front.handshakes += 1
      const onward = connect(Number(port), hostname)
      front.track(onward)
      socket.pipe(onward).pipe(socket)
      socket.on('error', () => onward.destroy())
      onward.on('error', () => socket.destroy())
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    front.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    return front
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private track(socket: Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
  }
}
