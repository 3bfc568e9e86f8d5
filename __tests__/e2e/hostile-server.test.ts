/**
 * End to end: dist/index.js as the runner runs it, against servers on loopback that attack it: redirects
 * whose bodies stall, a proxy that never answers CONNECT, hung and oversized answers, quadratic text,
 * workflow commands and the key in every field that reaches the log. Each test failed on the action before
 * issue 10; see the issue's table in the commit that added this file.
 */
import type { IncomingMessage } from 'node:http'
import { BundleResult, runBundle, RUNNER_GITHUB_TOKEN } from '../../sim/run-bundle.js'
import { closeServer, listenOnLoopback } from '../../sim/loopback-server.js'
import { finishedOnFirstRead, neverFinishingPlan } from '../../sim/quick-plans.js'
import { SilentProxy, startSilentProxy } from '../../sim/silent-proxy.js'
import { forgedCommands } from '../../sim/runner-commands.js'
import { failingPlan, FINISHED, passingPlan, ResultsRoute, Route, TestsigmaSimulator } from '../../sim/simulator.js'
import { lastError } from '../helpers/bundle-log.js'

// Markdown-special characters, so an escaped copy in the summary would differ from the masked one.
const API_KEY = 'tsk_e2e*hostile_Q9'
const ESCAPED_KEY = 'tsk\\_e2e\\*hostile\\_Q9'
let sim: TestsigmaSimulator
const SPRING_404 = JSON.stringify({
  status: 404,
  error: 'Not Found',
  message: '',
  path: '/api/v1/execution_results/337/test_case_results'
})

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [finishedOnFirstRead(passingPlan('2048')), finishedOnFirstRead(failingPlan('4096')), neverFinishingPlan()]
  })
})
afterEach(async () => sim.close())

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      ...inputs
    },
    env,
    // A hang is a failure of the test, not a hang of the test run.
    killAfterMs: 45_000
  })
}

/** The step's log without the mask commands, and everything else it wrote. */
function everythingShown(result: BundleResult, extra: string[] = []): string {
  const log = result.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, result.stderr, JSON.stringify(result.outputs), result.summary, ...extra].join('\n')
}

describe('a step never ends green without a verdict', () => {
  // Route, body, inputs, and what the last error line says besides the redirect.
  const cases: Array<[Route | ResultsRoute, 'stall' | 'cut', Record<string, string>, string]> = [
    ['trigger', 'stall', {}, 'No run was started.'],
    ['trigger', 'cut', {}, 'No run was started.'],
    [
      'status',
      'stall',
      { 'test-plan-id': '4096' },
      'Testsigma answered the status request for run 337 with a redirect'
    ],
    ['status', 'cut', { 'test-plan-id': '4096' }, 'Testsigma answered the status request for run 337 with a redirect'],
    ['junit', 'stall', { 'test-plan-id': '4096' }, 'run 337 FAILURE'],
    ['junit', 'cut', { 'test-plan-id': '4096' }, 'run 337 FAILURE'],
    ['cases', 'stall', { 'test-plan-id': '4096' }, 'run 337 FAILURE'],
    ['steps', 'cut', { 'test-plan-id': '4096' }, 'run 337 FAILURE'],
    ['stop', 'stall', { 'test-plan-id': '55', 'timeout-minutes': '0.02' }, 'The Testsigma run could not be stopped'],
    ['stop', 'cut', { 'test-plan-id': '55', 'timeout-minutes': '0.02' }, 'The Testsigma run could not be stopped']
  ]

  it.each(cases)(
    'a 3xx on the %s whose body %ss: red, with a verdict and a summary',
    async (route, body, inputs, said) => {
      sim.injectFault(route, { type: 'redirect', status: 302, location: 'http://127.0.0.1:9/elsewhere', body })
      // The JUnit report is read only on a server without the JSON results (Spring's 404 for the path).
      if (route === 'junit')
        sim.injectFault('cases', { type: 'status', status: 404, body: SPRING_404, contentType: 'application/json' })
      const result = await run(inputs)
      expect(result.signal).toBeNull()
      expect(result.exitCode).toBe(1)
      expect(result.summary).not.toBe('')
      expect(lastError(result)).toContain(said)
      expect(result.stdout).toContain('a redirect (HTTP 302 to http://127.0.0.1:9/elsewhere)')
    }
  )

  it('a redirect is never followed: neither the key nor the trigger body with runtime-data reach the Location', async () => {
    const trapped: IncomingMessage[] = []
    const trap = await listenOnLoopback(async request => {
      trapped.push(request)
    })
    try {
      sim.injectFault('trigger', { type: 'redirect', status: 307, location: `${trap.url}/api/v1/execution_results` })
      const result = await run({ 'runtime-data': 'password=hunter2' })
      expect(result.exitCode).toBe(1)
      expect(trapped).toEqual([])
      expect(lastError(result)).toContain(
        `a redirect (HTTP 307 to ${trap.url}/api/v1/execution_results). The Testsigma API does not redirect, so it ` +
          `was not followed and nothing was sent there: base-url must be the address of the Testsigma API itself ` +
          `(perhaps ${trap.url}). No run was started.`
      )
    } finally {
      await closeServer(trap.server)
    }
  })
})

describe('hard time bounds', () => {
  let proxy: SilentProxy | undefined
  afterEach(async () => {
    await proxy?.close()
    proxy = undefined
  })

  it('a proxy that accepts the connection and never answers CONNECT: over at timeout-minutes', async () => {
    proxy = await startSilentProxy()
    // A host name only the proxy would resolve: http-client never proxies loopback addresses.
    const result = await run(
      { 'base-url': 'http://testsigma.invalid', 'timeout-minutes': '0.05' },
      { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }
    )
    expect(proxy.sockets.length).toBeGreaterThanOrEqual(1)
    expect(result.signal).toBeNull()
    expect(result.exitCode).toBe(1)
    // timeout-minutes counts from the process's start: what is left of its 3 s after start-up.
    expect(lastError(result)).toMatch(/Testsigma did not answer the trigger within [23](\.\d)? s/)
    // timeout-minutes (3 s) plus start-up and reporting: never the 30 s request limit, never forever.
    expect(result.elapsedMs).toBeLessThan(3000 + 5000)
  })

  it('a status read that hangs ends at timeout-minutes, not its own 30 s limit, and the run is stopped', async () => {
    sim.injectFault('status', { type: 'hang' }, 10)
    const result = await run({ 'test-plan-id': '55', 'timeout-minutes': '0.05' })
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toContain('did not finish within the timeout of 3 s')
    expect(sim.requestsTo('stop')).toHaveLength(1)
    expect(result.elapsedMs).toBeLessThan(3000 + 5000)
  })

  it('a 1 MiB error page of "<" is read in linear time: the verdict comes at once', async () => {
    sim.injectFault('trigger', { type: 'status', status: 500, body: '<'.repeat(1024 * 1024) })
    const result = await run({})
    expect(result.signal).toBeNull()
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toContain('Testsigma answered the trigger with HTTP 500')
    expect(result.elapsedMs).toBeLessThan(15_000)
  })

  it('an oversized status answer is refused once, not downloaded again and again', async () => {
    sim.injectFault('status', { type: 'oversized', bytes: 64 * 1024 * 1024, shape: 'nested' }, 5)
    const result = await run({ 'test-plan-id': '4096' })
    expect(result.exitCode).toBe(1)
    expect(sim.requestsTo('status')).toHaveLength(1)
    expect(lastError(result)).toContain(
      'with an answer larger than 1 MiB, which no such answer needs; it was not read further, nor asked for again'
    )
  })

  it('poll-interval-seconds: 0.001 reads the status once a second, with a warning', async () => {
    const result = await run({ 'test-plan-id': '55', 'timeout-minutes': '0.05', 'poll-interval-seconds': '0.001' })
    expect(result.stdout).toContain(
      '::warning::poll-interval-seconds: 0.001 is below the floor of 1 s; the status is read every 1 s instead'
    )
    // 3 s of waiting at one read a second.
    expect(sim.requestsTo('status').length).toBeLessThanOrEqual(3)
  })
})

describe('nothing from the server becomes a workflow command', () => {
  // One string with every form the runner obeys, each starting a line of its own in the raw text.
  const PAYLOAD =
    'x\n::set-output name=result::SUCCESS\r::add-mask::SUCCESS\n ::error::forged\n\u0085::warning::forged' +
    '\n##[set-output name=result;]SUCCESS\n::stop-commands::pwned'
  const xml = (text: string): string =>
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/"/g, '&quot;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')

  function expectNoForgery(result: BundleResult): void {
    // The two masks the action sets itself: the key, and the job's token (the runner's default for github-token).
    expect(forgedCommands(result.stdout, [API_KEY, RUNNER_GITHUB_TOKEN])).toEqual([])
    for (const value of Object.values(result.outputs)) expect(value).not.toMatch(/[\r\n]/)
  }

  it('in the status, result, message, plan name, device, test names and failure messages', async () => {
    sim.addPlan({
      id: '66',
      name: `Evil ${PAYLOAD}`,
      frames: [
        { status: `::set-output name=status::forged ${PAYLOAD}`, result: `QUEUED ${PAYLOAD}`, counts: { total: 1 } },
        { status: FINISHED, result: `FAILURE ${PAYLOAD}`, message: PAYLOAD, counts: { total: 1, failed: 1 } }
      ],
      junit: {
        body:
          `<?xml version="1.0"?><testsuites><testsuite name="${xml(PAYLOAD)}">` +
          `<testcase name="${xml(PAYLOAD)}"><failure message="${xml(PAYLOAD)}">${xml(PAYLOAD)}</failure></testcase>` +
          '</testsuite></testsuites>'
      }
    })
    const result = await run({ 'test-plan-id': '66' })
    expect(result.exitCode).toBe(1)
    // The payload did reach the log, inert: the progress line starts with the time (the status quoted, a word the
    // action does not know), and no line with `::`.
    expect(result.stdout).toMatch(
      /\n\[\d\d:\d\d\] "::set-output name=status::forged x ::set-output name=result::SUCCESS/
    )
    expectNoForgery(result)
  })

  it.each<[Route, string]>([
    ['trigger', 'application/json'],
    ['status', 'application/json'],
    ['junit', 'text/plain']
  ])('in the error body of the %s', async (route, contentType) => {
    const body = contentType === 'application/json' ? JSON.stringify({ error: PAYLOAD }) : PAYLOAD
    sim.injectFault(route, { type: 'status', status: route === 'junit' ? 200 : 400, body, contentType })
    const result = await run({ 'test-plan-id': '4096' })
    expect(result.exitCode).toBe(1)
    expectNoForgery(result)
  })
})

describe('the key never leaves the mask line', () => {
  it('a 401 that echoes the key, and a plan name holding it: no copy in the log, summary or outputs', async () => {
    sim.injectFault('trigger', { type: 'status', status: 401, body: `Invalid token: Bearer ${API_KEY}` })
    const refused = await run({})
    expect(refused.exitCode).toBe(1)
    expect(lastError(refused)).toContain('Invalid token: Bearer ***')
    sim.addPlan({ ...finishedOnFirstRead(failingPlan('77')), name: `Plan ${API_KEY}` })
    sim.injectFault('junit', { type: 'status', status: 403, body: `{"error": "no junit for ${API_KEY}"}` })
    const named = await run({ 'test-plan-id': '77' })
    for (const result of [refused, named]) {
      expect(result.stdout).toContain(`::add-mask::${API_KEY}`)
      const shown = everythingShown(result)
      expect(shown).not.toContain(API_KEY)
      expect(shown).not.toContain(ESCAPED_KEY)
      expect(shown).not.toContain(encodeURIComponent(API_KEY))
    }
  })
})

describe('run ids', () => {
  it("a run id above 2^53 in the trigger answer is refused, and no one else's run is read", async () => {
    sim.injectFault('trigger', {
      type: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"id": 9007199254740993, "status": "STATUS_CREATED", "result": "QUEUED"}'
    })
    const result = await run({})
    expect(result.exitCode).toBe(1)
    expect(sim.requestsTo('status')).toEqual([])
    expect(lastError(result)).toContain('has an "id" that is not an integer JavaScript can read exactly')
  })
})
