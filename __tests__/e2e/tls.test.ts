/**
 * End to end: dist/index.js against real TLS on loopback. A TLS mistake never heals, so it fails at once (one
 * connection, no retry), names the cause and the fix, and says that no run was started; NODE_EXTRA_CA_CERTS on the
 * step makes a private CA's or a self-signed certificate work (README: "Self-hosted Testsigma behind a corporate CA").
 */
import { createServer, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closeServer } from '../../sim/loopback-server.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { LOOPBACK_CA_FILE, LOOPBACK_SELF_SIGNED_FILE, TlsFront } from '../../sim/tls-front.js'

const API_KEY = 'tsk-e2e-tls-8a3c'
let sim: TestsigmaSimulator
let front: TlsFront | undefined

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [finishedOnFirstRead(passingPlan('2048'))] })
})
afterEach(async () => {
  await front?.close()
  front = undefined
  await sim.close()
})

function run(baseUrl: string, env: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({
    inputs: { 'api-key': API_KEY, 'test-plan-id': '2048', 'base-url': baseUrl, 'poll-interval-seconds': '1' },
    env
  })
}

function errorLine(result: BundleResult): string {
  return result.stdout.split(/\r?\n/).find(line => line.startsWith('::error::')) ?? ''
}

/** Fails at once: one connection, no retry announced, nothing reached Testsigma, the step red with the message. */
function expectFailedAtOnce(result: BundleResult, connections: number): void {
  expect(result.exitCode).toBe(1)
  expect(connections).toBe(1)
  expect(result.stdout).not.toMatch(/attempt 2|retrying|again in/i)
  expect(sim.requests).toHaveLength(0)
  expect(errorLine(result)).toMatch(/so nothing was sent\. .*No run was started\.$/)
}

describe('dist/index.js and TLS', () => {
  it('https to a port that speaks plain http: fails at once and points at the scheme of base-url', async () => {
    let connections = 0
    const plain: Server = createServer((_, response) => response.end('{}'))
    plain.on('connection', () => (connections += 1))
    await new Promise<void>(resolve => plain.listen(0, '127.0.0.1', resolve))
    const { port } = plain.address() as AddressInfo
    try {
      const result = await run(`https://127.0.0.1:${port}`)
      expectFailedAtOnce(result, connections)
      expect(errorLine(result)).toContain(
        `Could not reach Testsigma at https://127.0.0.1:${port} for the trigger: the server there ` +
          'speaks no TLS (no https) (EPROTO: wrong version number), so nothing was sent. Check the scheme of ' +
          `base-url: a server that speaks plain http needs http://127.0.0.1:${port}`
      )
      expect(result.summary).toContain('**Could not start:** base-url speaks no https there: check its scheme')
    } finally {
      await closeServer(plain)
    }
  })

  it.each([
    ['a self-signed certificate', 'selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ["a private CA's certificate", 'privateCa', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']
  ] as const)('%s the runner does not trust: fails at once and names NODE_EXTRA_CA_CERTS', async (_, cert, code) => {
    front = await TlsFront.start(sim.url, cert)
    const result = await run(front.url)
    expectFailedAtOnce(result, front.connections)
    expect(front.handshakes).toBe(0)
    expect(errorLine(result)).toContain(
      `the runner does not trust the issuer of the server's TLS certificate (${code}: `
    )
    expect(errorLine(result)).toContain(
      "set NODE_EXTRA_CA_CERTS on the step (env:) to the path of the CA's certificate, a PEM file"
    )
    expect(result.summary).toContain(
      "**Could not start:** the server's TLS certificate is not trusted: set NODE\\_EXTRA\\_CA\\_CERTS"
    )
  })

  it.each([
    ['a self-signed certificate', 'selfSigned', LOOPBACK_SELF_SIGNED_FILE],
    ["a private CA's certificate", 'privateCa', LOOPBACK_CA_FILE]
  ] as const)('%s works once NODE_EXTRA_CA_CERTS names its CA', async (_, cert, caFile) => {
    front = await TlsFront.start(sim.url, cert)
    const result = await run(front.url, { NODE_EXTRA_CA_CERTS: caFile })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ 'run-id': '337', result: 'SUCCESS' })
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(front.handshakes).toBeGreaterThanOrEqual(1)
  })
})
