/**
 * One request through the transport against real loopback servers that misbehave: redirects, bodies that
 * stall or never end, a proxy that never answers CONNECT, answers too large, a key echoed back.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import {
  AnswerTooLargeError,
  BodyStreamError,
  NoAnswerError,
  RedirectError,
  sendRequest,
  tlsFaultOf
} from '../src/testsigma/transport.js'
import { closeServer, listenOnLoopback } from '../sim/loopback-server.js'
import { serveFault } from '../sim/faults.js'
import { SilentProxy, startSilentProxy } from '../sim/silent-proxy.js'
import type { Fault } from '../sim/faults.js'

const KEY = 'tsk-transport-Qx7'
const servers: Array<Server | undefined> = []
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server)
})

/** A server that records each request and answers it with `answer`. */
async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>) {
  const seen: IncomingMessage[] = []
  const { server, url } = await listenOnLoopback(async (request, response) => {
    seen.push(request)
    await answer(request, response)
  })
  servers.push(server)
  return { url, seen }
}

async function serveFaultOnce(fault: Fault) {
  return serve(async (_, response) => {
    await serveFault(fault, response)
  })
}

function request(url: string, overrides: Partial<Parameters<typeof sendRequest>[0]> = {}) {
  return sendRequest({
    method: 'POST',
    url,
    userAgent: 'test',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: '{"executionId": 2048, "runtimeData": {"password": "hunter2"}}',
    timeoutMs: 5000,
    maxBodyBytes: 1024 * 1024,
    ...overrides
  })
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('sendRequest: redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'does not follow a %d: neither the key nor the body reaches the Location',
    async status => {
      const trap = await serve((_, response) => void response.end('{}'))
      const origin = await serve((_, response) => {
        response.writeHead(status, { location: `${trap.url}/api/v1/execution_results` })
        response.end()
      })
      const error = await rejection(request(`${origin.url}/api/v1/execution_results`))
      expect(error).toBeInstanceOf(RedirectError)
      expect(error.message).toBe(
        `a redirect (HTTP ${status} to ${trap.url}/api/v1/execution_results). The Testsigma API does not redirect, ` +
          `so it was not followed and nothing was sent there: base-url must be the address of the Testsigma API ` +
          `itself (perhaps ${trap.url})`
      )
      expect(trap.seen).toHaveLength(0)
    }
  )

  it.each(['stall', 'cut'] as const)('answers at once on a redirect whose body %ss, without reading it', async body => {
    const origin = await serveFaultOnce({ type: 'redirect', status: 302, location: '/login', body })
    const started = performance.now()
    const error = await rejection(request(`${origin.url}/api/v1/execution_results`, { timeoutMs: 20_000 }))
    expect(error).toBeInstanceOf(RedirectError)
    expect((error as RedirectError).location).toBe('/login')
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('scrubs the key from a Location that echoes it', async () => {
    const origin = await serveFaultOnce({ type: 'redirect', status: 302, location: `https://x.example/?t=${KEY}` })
    const error = await rejection(request(`${origin.url}/api/v1/execution_results`))
    expect(error.message).toContain('to https://x.example/?t=***')
    expect(error.message).not.toContain(KEY)
  })
})

describe('sendRequest: one wall-clock limit from before the connection to the last byte', () => {
  it('ends a 200 whose body stalls after the headers', async () => {
    const origin = await serve((_, response) => {
      response.writeHead(200, { 'content-length': '100' })
      response.write('{"id":')
    })
    const error = await rejection(request(origin.url, { timeoutMs: 300 }))
    expect(error).toBeInstanceOf(NoAnswerError)
    expect(error).toMatchObject({ kind: 'timeout', detail: 'no complete answer within 0.3 s' })
  })

  it('ends a body that trickles in too slowly, though bytes keep coming', async () => {
    const origin = await serveFaultOnce({ type: 'slow-body', chunkDelayMs: 200, chunks: 20 })
    const error = await rejection(request(origin.url, { timeoutMs: 500 }))
    expect(error).toMatchObject({ kind: 'timeout' })
  })

  describe('through a proxy that accepts the connection and never answers CONNECT', () => {
    let proxy: SilentProxy
    const saved = { http: process.env.HTTP_PROXY, https: process.env.HTTPS_PROXY, no: process.env.NO_PROXY }

    beforeEach(async () => {
      proxy = await startSilentProxy()
      process.env.HTTP_PROXY = proxy.url
      process.env.HTTPS_PROXY = proxy.url
      delete process.env.NO_PROXY
    })
    afterEach(async () => {
      for (const [name, value] of [
        ['HTTP_PROXY', saved.http],
        ['HTTPS_PROXY', saved.https],
        ['NO_PROXY', saved.no]
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      await proxy.close()
    })

    it.each(['http', 'https'])(
      'gives up at the limit on a %s base-url, and closes the proxy connection',
      async scheme => {
        // A host name only the proxy would resolve: http-client never proxies loopback addresses.
        const error = await rejection(
          request(`${scheme}://testsigma.invalid/api/v1/execution_results`, { timeoutMs: 400 })
        )
        expect(error).toMatchObject({ kind: 'timeout' })
        expect(proxy.sockets).toHaveLength(1)
        await new Promise(resolve => setTimeout(resolve, 100))
        expect(proxy.sockets[0].readableEnded).toBe(true)
      }
    )
  })

  it('sends nothing when no time is left', async () => {
    const origin = await serve((_, response) => void response.end('{}'))
    const error = await rejection(request(origin.url, { timeoutMs: 0 }))
    expect(error).toMatchObject({ kind: 'timeout', notSent: true })
    expect(origin.seen).toHaveLength(0)
  })

  it("rejects with the job's AbortError when the job is cancelled mid-body", async () => {
    const origin = await serve((_, response) => {
      response.writeHead(200, { 'content-length': '100' })
      response.write('{')
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = await rejection(request(origin.url, { signal: controller.signal }))
    expect(error.name).toBe('AbortError')
  })
})

describe('sendRequest: answers too large', () => {
  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    const origin = await serveFaultOnce({ type: 'oversized', bytes: 64 * 1024 * 1024, declareLength: true })
    const error = await rejection(request(origin.url))
    expect(error).toBeInstanceOf(AnswerTooLargeError)
    expect(error.message).toBe('an answer larger than 1 MiB, which no such answer needs')
  })

  it('stops reading a streamed 60 MB nested JSON body at the cap, with memory to match', async () => {
    const origin = await serveFaultOnce({ type: 'oversized', bytes: 60 * 1000 * 1000, shape: 'nested' })
    const before = process.memoryUsage().rss
    const error = await rejection(request(origin.url))
    expect(error).toBeInstanceOf(AnswerTooLargeError)
    // Far below what reading (let alone parsing) 60 MB would take.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
  })
})

describe('sendRequest: the key echoed back', () => {
  it('is removed from the answer before anything reads it', async () => {
    const origin = await serve((request, response) => {
      response.writeHead(401, { 'content-type': 'text/plain' })
      response.end(`Invalid token: ${request.headers.authorization ?? ''} (${encodeURIComponent(KEY)})`)
    })
    const answer = await request(origin.url)
    expect(answer).toMatchObject({ statusCode: 401, body: 'Invalid token: Bearer *** (***)' })
  })
})

describe('sendRequest: other secrets', () => {
  it('removes the secrets it is given from the answer too (the GitHub token)', async () => {
    const origin = await serve((_, response) => void response.end('token ghs_secretToken1 and key tsk'))
    const answer = await request(origin.url, { secrets: ['ghs_secretToken1', ''] })
    expect(answer.body).toBe('token *** and key tsk')
  })
})

describe('a streamed body (an app upload)', () => {
  it('is sent with its declared length and arrives whole', async () => {
    const received: number[] = []
    const { url, seen } = await serve(async (incoming, response) => {
      let bytes = 0
      for await (const chunk of incoming) bytes += (chunk as Buffer).length
      received.push(bytes)
      response.end('{}')
    })
    const pieces = [Buffer.alloc(70_000, 1), Buffer.alloc(30_000, 2)]
    const answer = await request(url, {
      body: undefined,
      bodyStream: { length: 100_000, open: () => Readable.from(pieces) }
    })
    expect(answer.statusCode).toBe(200)
    expect(received).toEqual([100_000])
    expect(seen[0].headers['content-length']).toBe('100000')
  })

  it('fails at once, as a BodyStreamError and not a network fault, when the stream fails mid-way', async () => {
    const { url } = await serve(async (incoming, response) => {
      for await (const chunk of incoming) void chunk
      response.end('{}')
    })
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1000)
      throw new Error('the file vanished')
    }
    const sent = request(url, {
      body: undefined,
      timeoutMs: 30_000,
      bodyStream: { length: 100_000, open: () => Readable.from(failing()) }
    })
    await expect(sent).rejects.toThrow(BodyStreamError)
    await expect(sent).rejects.toThrow('the file vanished')
  })
})

describe('tlsFaultOf: TLS failures that no retry heals, by what fixes them', () => {
  const wrongVersion =
    'write EPROTO 802CCCEAEE7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:' +
    '../deps/openssl/openssl/ssl/record/ssl3_record.c:350:'
  it.each<[string, string, ReturnType<typeof tlsFaultOf>]>([
    ['EPROTO', wrongVersion, 'protocol'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', 'protocol'],
    ['EPROTO', 'write EPROTO …:SSL routines::sslv3 alert handshake failure:…', 'handshake'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'untrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'untrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', 'untrusted'],
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'hostname'],
    ['CERT_REVOKED', 'certificate revoked', 'certificate'],
    ['EPROTO', 'write EPROTO …:SSL routines::bad record mac', undefined],
    ['ECONNRESET', 'socket hang up', undefined],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', undefined],
    ['toString', 'a code that is a property of every object', undefined]
  ])('%s (%s) is %s', (code, message, expected) => {
    expect(tlsFaultOf(code, `${code}: ${message}`)).toBe(expected)
  })

  it("shortens OpenSSL's text to its reason, and marks the request certainly not sent", async () => {
    const { url } = await serve((_, response) => {
      response.end('{}')
    })
    const error = await rejection(request(url.replace('http:', 'https:')))
    expect(error).toMatchObject({
      kind: 'network',
      notSent: true,
      tls: 'protocol',
      detail: 'EPROTO: wrong version number'
    })
  })
})
