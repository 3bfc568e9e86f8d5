/**
 * An HTTP proxy on loopback, like the one a company network puts between a self-hosted runner and the
 * internet: it answers `CONNECT host:port` (what `@actions/http-client`'s `tunnel` agent and undici's
 * `ProxyAgent` send, for https and for http URLs alike) and plain forwarded requests (`GET http://host/…`).
 * It reaches only the hosts in its routes, host names no DNS knows (`github.proxy.test`), so a request
 * that arrives proves it went through the proxy. It records every CONNECT and every request it forwarded.
 *
 * Inside a tunnel to a route marked `tls`, the proxy itself speaks TLS with the test certificate in
 * sim/tls/ (the client trusts it through NODE_EXTRA_CA_CERTS), so the fakes stay plain http and the
 * proxy can still see and record each request. Not in the bundle.
 */
import { readFileSync } from 'node:fs'
import {
  createServer as createHttpServer,
  IncomingMessage,
  request as httpRequest,
  Server,
  ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { closeServer } from './loopback-server.js'

const TLS_DIR = new URL('./tls/', import.meta.url)

/** The CA that signed the proxy's certificate for `*.proxy.test`: what NODE_EXTRA_CA_CERTS should name. */
export const TEST_CA_FILE = fileURLToPath(new URL('ca.pem', TLS_DIR))

export interface ProxyRoute {
  /** Where requests for this host:port go: a plain http origin, e.g. the simulator's url. */
  upstream: string
  /** Whether the client speaks TLS inside the tunnel (an https URL); the proxy then ends it. */
  tls?: boolean
}

export interface ProxiedRequest {
  /** `CONNECT` when it came through a tunnel, `forward` when sent to the proxy as an absolute URL. */
  via: 'CONNECT' | 'forward'
  /** host:port as the client asked for it. */
  authority: string
  method: string
  /** Path and query. */
  path: string
}

export class ConnectProxy {
  /** The host:port of every CONNECT, in order, routed or not. */
  readonly connects: string[] = []
  /** Every request the proxy passed on to an upstream. */
  readonly forwarded: ProxiedRequest[] = []
  /** What to set HTTPS_PROXY / HTTP_PROXY to. */
  url = ''
  private server?: Server
  /** One per route, never listening: each tunnel's socket is handed to it. */
  private readonly tunnelServers = new Map<string, Server>()
  private readonly sockets = new Set<Socket>()

  private constructor(private readonly routes: Record<string, ProxyRoute>) {}

  /** `routes` by host:port as the client names it (`github.proxy.test:443`, `0.0.0.0:8123`). */
  static async start(routes: Record<string, ProxyRoute>): Promise<ConnectProxy> {
    const proxy = new ConnectProxy(routes)
    await proxy.listen()
    return proxy
  }

  /** The authorities asked for, each once, in the order first asked. */
  authorities(): string[] {
    return [...new Set([...this.connects, ...this.forwarded.map(request => request.authority)])]
  }

  /** "GET /api/v1/execution_results/337" for each request forwarded to `authority`. */
  requestLines(authority: string): string[] {
    return this.forwarded
      .filter(request => request.authority === authority)
      .map(request => `${request.method} ${request.path}`)
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const socket of this.sockets) socket.destroy()
    await closeServer(server)
  }

  private async listen(): Promise<void> {
    const server = createHttpServer((request, response) => this.forward(request, response))
    server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => this.tunnel(request, socket, head))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  /** A plain proxied request: `GET http://host:port/path HTTP/1.1`. */
  private forward(request: IncomingMessage, response: ServerResponse): void {
    let target: URL
    try {
      target = new URL(request.url ?? '')
    } catch {
      response.writeHead(400).end('not a proxy request')
      return
    }
    const authority = `${target.hostname}:${target.port || '80'}`
    this.pass('forward', authority, request, response, `${target.pathname}${target.search}`)
  }

  /**
   * `CONNECT host:port`: a 200 and then, rather than a byte pipe, the tunnel's socket is handed to an
   * http (or https) server of the proxy's own, so that each request in it is seen, recorded and passed on.
   */
  private tunnel(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const authority = request.url ?? ''
    this.connects.push(authority)
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    const route = this.routes[authority]
    if (route === undefined) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) socket.unshift(head)
    this.tunnelServer(authority, route).emit('connection', socket)
  }

  private tunnelServer(authority: string, route: ProxyRoute): Server {
    const existing = this.tunnelServers.get(authority)
    if (existing !== undefined) return existing
    const handle = (request: IncomingMessage, response: ServerResponse): void =>
      this.pass('CONNECT', authority, request, response, request.url ?? '/')
    const server = route.tls
      ? createHttpsServer(
          {
            key: readFileSync(new URL('proxy-hosts.key', TLS_DIR)),
            cert: readFileSync(new URL('proxy-hosts.pem', TLS_DIR))
          },
          handle
        )
      : createHttpServer(handle)
    this.tunnelServers.set(authority, server)
    return server
  }

  private pass(
    via: ProxiedRequest['via'],
    authority: string,
    request: IncomingMessage,
    response: ServerResponse,
    path: string
  ): void {
    const route = this.routes[authority]
    if (route === undefined) {
      response.writeHead(502).end(`the proxy has no route to ${authority}`)
      return
    }
    const method = request.method ?? 'GET'
    this.forwarded.push({ via, authority, method, path })
    const upstream = httpRequest(`${route.upstream}${path}`, { method, headers: request.headers })
    upstream.on('response', answer => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  }
}
