import { createServer as createHttpsServer } from 'node:https'
import { createServer } from 'node:net'
import { isRetryable } from '../src/retry.js'
import { TestsigmaClient } from '../src/testsigma/client.js'
import { TestsigmaError } from '../src/testsigma/errors.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { SELF_SIGNED } from './helpers/self-signed.js'
import { USER_AGENT } from '../src/version.js'

const API_KEY = 'ts-key-Zq81'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
})
afterEach(async () => sim.close())

function client(overrides: Partial<ConstructorParameters<typeof TestsigmaClient>[0]> = {}): TestsigmaClient {
  return new TestsigmaClient({
    baseUrl: sim.url,
    apiKey: API_KEY,
    userAgent: USER_AGENT,
    requestTimeoutMs: 5000,
    ...overrides
  })
}

async function failure(promise: Promise<unknown>): Promise<TestsigmaError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof TestsigmaError) return error
    throw error
  }
  throw new Error('expected a TestsigmaError')
}

describe('TestsigmaClient against the simulator', () => {
  it('triggers a run with the documented request and reads the new run', async () => {
    const run = await client().triggerRun(
      {
        testPlanId: '2048',
        buildNo: '1.4.2',
        environmentId: 17,
        uploadVersions: { '101': 5003 },
        runtimeData: { user: 'qa-bot' }
      },
      'cloud'
    )
    expect(run).toMatchObject({ runId: '337', status: 'STATUS_CREATED', result: 'QUEUED', finished: false })
    const [request] = sim.requestsTo('trigger')
    expect(request.path).toBe('/api/v1/execution_results')
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': USER_AGENT
    })
    expect(request.json).toEqual({
      executionId: 2048,
      buildNo: '1.4.2',
      environmentId: 17,
      uploadVersions: { '101': 5003 },
      runtimeData: { user: 'qa-bot' }
    })
  })

  it('reads a run, stops it, and fetches its JUnit XML with Accept: application/xml', async () => {
    const api = client()
    const { runId } = await api.triggerRun({ testPlanId: '4096' }, 'cloud')
    expect(await api.getRun(runId, 'cloud')).toMatchObject({ status: 'STATUS_QUEUED', planName: 'Checkout flow' })
    await api.getRun(runId, 'cloud')
    expect(await api.getRun(runId, 'cloud')).toMatchObject({
      finished: true,
      result: 'FAILURE',
      counts: { passed: 3, failed: 1, aborted: 1 }
    })
    const xml = await api.getJunitReport(runId)
    expect(xml).toMatch(/^<\?xml/)
    expect(sim.requestsTo('junit')[0].headers.accept).toBe('application/xml')

    const second = await api.triggerRun({ testPlanId: '2048' }, 'cloud')
    await api.stopRun(second.runId, 'cloud')
    expect(sim.requestsTo('stop')[0]).toMatchObject({
      method: 'PUT',
      path: `/api/v1/execution_results/${second.runId}`,
      json: { result: 'STOPPED', canStopAll: false }
    })
    expect(await api.getRun(second.runId, 'cloud')).toMatchObject({ finished: true, result: 'STOPPED' })
  })

  it('explains a refused key without repeating it', async () => {
    const error = await failure(client({ apiKey: 'wrong-key-9' }).triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 401 })
    expect(error.message).toContain('Testsigma refused the API key (HTTP 401: Unauthorized: invalid API key)')
    expect(error.message).toContain(`base-url (${sim.url})`)
    expect(error.message).not.toContain('wrong-key-9')
  })

  it('names the test plan id when the server does not know it (500 or 404)', async () => {
    const unknown = await failure(client().triggerRun({ testPlanId: '999' }, 'cloud'))
    expect(unknown.message).toContain('HTTP 500: Test Plan not found with id 999')
    expect(unknown.message).toBe(
      'Testsigma answered the trigger with HTTP 500: Test Plan not found with id 999. Check test-plan-id: ' +
        'Testsigma does not know this test plan for this API key.'
    )

    sim.injectFault('trigger', {
      type: 'status',
      status: 404,
      body: '{"error":"Not Found"}',
      contentType: 'application/json'
    })
    const missing = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(missing.message).toContain('Check test-plan-id')
  })

  it('says that a run may have started after a 500 that does not say what went wrong', async () => {
    sim.injectFault('trigger', {
      type: 'status',
      status: 500,
      body: '{"timeStamp":null,"error":"Internal error","code":null,"fieldErrors":null,"objectErrors":null}',
      contentType: 'application/json'
    })
    const error = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 500 })
    expect(error.message).toContain(
      `a run may have started: check the plan's runs at ${sim.url}/ui/td/plans/2048/details`
    )
  })

  it('says another run of a busy plan is in progress, that none was started, and suggests a concurrency group', async () => {
    sim.addPlan({ ...passingPlan('77'), busy: true })
    const error = await failure(client().triggerRun({ testPlanId: '77' }, 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 500 })
    expect(error.message).toContain('HTTP 500: The specified Test Plan is currently running.')
    expect(error.message).toContain(
      'Another run of this test plan is in progress and this server refuses to start a second one: no new run was started.'
    )
    expect(error.message).toContain('concurrency: testsigma-plan-77')
    expect(error.message).not.toContain('a run may have started')
  })

  it('reads Retry-After from a 429', async () => {
    sim.injectFault('trigger', { type: 'status', status: 429, body: 'slow down', headers: { 'retry-after': '2' } })
    const error = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 429, retryAfterMs: 2000 })
    // A proxy answers so after the trigger arrived too (issue 17): no proof that nothing started.
    expect(error.message).toContain('a proxy also answers HTTP 429 after the trigger reached Testsigma')
    expect(error.message).toContain('a run may have started')
  })

  it('shows the title of an HTML error page, not the page', async () => {
    sim.injectFault('status', {
      type: 'status',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'
    })
    const error = await failure(client().getRun('337', 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 502 })
    expect(error.message).toBe('Testsigma answered the status request for run 337 with HTTP 502: 502 Bad Gateway')
  })

  it('classifies a 200 that is not JSON as malformed', async () => {
    const { runId } = await client().triggerRun({ testPlanId: '2048' }, 'cloud')
    sim.injectFault('status', { type: 'non-json' })
    const error = await failure(client().getRun(runId, 'cloud'))
    expect(error.fault).toEqual({ kind: 'malformed' })
    expect(error.message).toContain('is not JSON (502 Bad Gateway)')
  })

  it('classifies a dropped connection as a network fault that may have been received', async () => {
    sim.injectFault('status', { type: 'drop' })
    const error = await failure(client().getRun('337', 'cloud'))
    expect(error.fault).toEqual({ kind: 'network', notSent: false })
  })

  it('does not hang on a connection dropped mid-body', async () => {
    sim.injectFault('status', { type: 'drop-mid-body' })
    const error = await failure(client().getRun('337', 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'network' })
  })

  it('gives up on a hung request after its time limit', async () => {
    sim.injectFault('status', { type: 'hang' })
    const error = await failure(client({ requestTimeoutMs: 300 }).getRun('337', 'cloud'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(error.message).toBe('Testsigma did not answer the status request for run 337 within 0.3 s')
  })

  it('knows a refused connection carried nothing', async () => {
    const closedPort = await freePort()
    const error = await failure(
      client({ baseUrl: `http://127.0.0.1:${closedPort}` }).triggerRun({ testPlanId: '2048' }, 'cloud')
    )
    expect(error.fault).toEqual({ kind: 'network', notSent: true })
    expect(error.message).toMatch(/ECONNREFUSED.*No run was started/)
  })

  it('says that a run may have started when the trigger connection drops', async () => {
    sim.injectFault('trigger', { type: 'drop' })
    const error = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toEqual({ kind: 'network', notSent: false })
    expect(error.message).toContain('a run may have started')
  })

  it('refuses a JUnit answer that is plain text', async () => {
    const api = client()
    const { runId } = await api.triggerRun({ testPlanId: '2048' }, 'cloud')
    const error = await failure(api.getJunitReport(runId))
    expect(error.message).toBe(
      `Testsigma answered the JUnit report request for run ${runId} with text that is not XML: Report generation failed, Test plan run is not completed`
    )
  })

  it('aborts a request when the job is cancelled', async () => {
    sim.injectFault('status', { type: 'hang' })
    const controller = new AbortController()
    const pending = client().getRun('337', 'cloud', controller.signal)
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('TestsigmaClient against a hostile server', () => {
  it("refuses a run id JSON cannot carry exactly, rather than read someone else's run", async () => {
    sim.injectFault('trigger', {
      type: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"id": 9007199254740993, "status": "STATUS_CREATED", "result": "QUEUED"}'
    })
    const error = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toEqual({ kind: 'malformed' })
    expect(error.message).toContain('has an "id" that is not an integer JavaScript can read exactly (9007199254740992)')
    expect(error.message).toContain('a run may have started')
  })

  it('reads a large run id given as text exactly', async () => {
    sim.injectFault('status', {
      type: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"id": "9007199254740993", "status": "STATUS_QUEUED"}'
    })
    expect(await client().getRun('9007199254740993', 'cloud')).toMatchObject({ runId: '9007199254740993' })
  })

  it('says a redirected trigger started no run, names the Location and does not retry it', async () => {
    sim.injectFault('trigger', { type: 'redirect', status: 307, location: 'https://login.example/sso' })
    const error = await failure(client().triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 307 })
    expect(error.message).toMatch(
      /^Testsigma answered the trigger with a redirect \(HTTP 307 to https:\/\/login.example\/sso\)\..*base-url.*No run was started\.$/
    )
  })

  it('refuses a status answer over 1 MiB as permanent, and takes a JUnit report up to 32 MiB', async () => {
    sim.injectFault('status', { type: 'oversized', bytes: 2 * 1024 * 1024 })
    const error = await failure(client().getRun('337', 'cloud'))
    expect(error.fault).toEqual({ kind: 'malformed', permanent: true })
    expect(error.message).toContain(
      'larger than 1 MiB, which no such answer needs; it was not read further, nor asked for again'
    )

    const api = client()
    const { runId } = await api.triggerRun({ testPlanId: '2048' }, 'cloud')
    sim.injectFault('junit', { type: 'oversized', bytes: 33 * 1024 * 1024 })
    expect((await failure(api.getJunitReport(runId))).message).toContain('an answer larger than 32 MiB')
  })

  it('ends each request by the deadline, however long its own limit', async () => {
    sim.injectFault('status', { type: 'hang' })
    const error = await failure(client({ requestTimeoutMs: 30_000, deadline: Date.now() + 300 }).getRun('337', 'cloud'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(error.message).toMatch(/^Testsigma did not answer the status request for run 337 within 0\.[23]\d* s$/)
  })

  it('within(ms) bounds every request of the copy, not the original', async () => {
    sim.injectFault('junit', { type: 'hang' })
    const api = client({ requestTimeoutMs: 30_000 })
    const error = await failure(api.within(200).getJunitReport('337'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(await api.getRun((await api.triggerRun({ testPlanId: '2048' }, 'cloud')).runId, 'cloud')).toMatchObject({
      runId: '337'
    })
  })

  it('keeps the stop out of the deadline: it has its own limit after the run timed out', async () => {
    const api = client()
    const { runId } = await api.triggerRun({ testPlanId: '2048' }, 'cloud')
    await client({ deadline: Date.now() - 1000 }).stopRun(runId, 'cloud')
    expect(sim.requestsTo('stop')).toHaveLength(1)
    const late = await failure(client({ deadline: Date.now() - 1000 }).getRun(runId, 'cloud'))
    expect(late.message).toBe(
      `Testsigma did not answer the status request for run ${runId} before timeout-minutes ran out`
    )
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

describe('TestsigmaClient against the open-source server', () => {
  let oss: TestsigmaSimulator
  beforeEach(async () => {
    oss = await TestsigmaSimulator.start({ apiKey: API_KEY, dialect: 'open-source', plans: [failingPlan('4096')] })
  })
  afterEach(async () => oss.close())

  const ossClient = (): TestsigmaClient => client({ baseUrl: oss.url })

  it('triggers with testPlanId on /api/v1/test_plan_results and reads the snake_case answer', async () => {
    const api = ossClient()
    const run = await api.triggerRun(
      { testPlanId: '4096', buildNo: '1.4.2', runtimeData: { a: 'b' }, uploadVersions: { '101': 5003 } },
      'open-source'
    )
    expect(run).toMatchObject({ runId: '337', status: 'STATUS_CREATED', buildNo: '1.4.2' })
    expect(oss.requestsTo('trigger')[0]).toMatchObject({
      path: '/api/v1/test_plan_results',
      json: { testPlanId: 4096, buildNo: '1.4.2', runtimeData: { a: 'b' }, uploadVersions: { '101': 5003 } }
    })
    await api.getRun('337', 'open-source')
    await api.getRun('337', 'open-source')
    expect(await api.getRun('337', 'open-source')).toMatchObject({
      finished: true,
      result: 'FAILURE',
      counts: { total: 5, passed: 3, failed: 1, aborted: 1 }
    })
    expect(oss.requestsTo('status').map(request => request.path)).toEqual(
      Array(3).fill('/api/v1/test_plan_results/337')
    )
  })

  it('marks a cloud trigger answered with Spring’s path-not-found as certainly not started, naming api-dialect', async () => {
    const error = await failure(ossClient().triggerRun({ testPlanId: '4096' }, 'cloud'))
    expect(error.missingPath).toBe(true)
    expect(error.message).toBe(
      `${oss.url} has no /api/v1/execution_results (HTTP 404: Not Found), the path of Testsigma's cloud API, so no run ` +
        "was started. Check that base-url is the Testsigma server's address (without a path), or set api-dialect: " +
        'open-source (or auto) if it is the self-hosted open-source Testsigma server.'
    )
    expect(oss.runs.size).toBe(0)
  })

  it('says test-plan-id is unknown for "Could not find resource with id:N", not that a run may have started', async () => {
    const error = await failure(ossClient().triggerRun({ testPlanId: '2049' }, 'open-source'))
    expect(error.message).toBe(
      'Testsigma answered the trigger with HTTP 500: Could not find resource with id:2049. ' +
        'test-plan-id is unknown to this server, so no run was started: check test-plan-id and base-url.'
    )
    expect(error.missingPath).toBe(false)
  })

  it('refuses a second trigger while the plan runs, with the busy advice', async () => {
    const api = ossClient()
    await api.triggerRun({ testPlanId: '4096' }, 'open-source')
    const error = await failure(api.triggerRun({ testPlanId: '4096' }, 'open-source'))
    expect(error.message).toContain('Another run of this test plan is in progress')
    expect(oss.runs.size).toBe(1)
  })

  it('stops on /api/v1/test_plan_results/{id}', async () => {
    const api = ossClient()
    await api.triggerRun({ testPlanId: '4096' }, 'open-source')
    await api.stopRun('337', 'open-source')
    expect(oss.requestsTo('stop')[0]).toMatchObject({ method: 'PUT', path: '/api/v1/test_plan_results/337' })
    expect(await api.getRun('337', 'open-source')).toMatchObject({ finished: true, result: 'STOPPED' })
  })

  it('does not treat Testsigma’s own 404 for an unknown run as a missing path', async () => {
    const error = await failure(ossClient().getRun('999', 'open-source'))
    expect(error.message).toBe(
      'Testsigma answered the status request for run 999 with HTTP 404: Resource not found for id: 999'
    )
    expect(error.missingPath).toBe(false)
  })
})

describe('requests that certainly sent nothing', () => {
  it('says no run was started after a TLS handshake failure (https to a plain-http port)', async () => {
    const error = await failure(
      client({ baseUrl: sim.url.replace('http:', 'https:') }).triggerRun({ testPlanId: '2048' }, 'cloud')
    )
    expect(error.fault).toEqual({ kind: 'network', notSent: true, permanent: true })
    expect(error.message).toMatch(/wrong version number[\s\S]*Check the scheme of base-url[\s\S]*No run was started\.$/)
    expect(error.brief).toBe('base-url speaks no https there: check its scheme')
    expect(sim.requests).toHaveLength(0)
  })

  it.each(['trigger', 'upload', 'read', 'stop'] as const)(
    'never sends a %s again after a TLS failure: the same request fails the same way',
    async kind => {
      const error = await failure(client({ baseUrl: sim.url.replace('http:', 'https:') }).getRun('337', 'cloud'))
      expect(isRetryable(error.fault, kind)).toBe(false)
    }
  )

  it('says no run was started when the upload search fails on TLS (the upload comes before the trigger)', async () => {
    const error = await failure(client({ baseUrl: sim.url.replace('http:', 'https:') }).findUploads('Shop Android'))
    expect(error.message).toMatch(
      /^Could not reach Testsigma at .* for the search for the upload named "Shop Android": /
    )
    expect(error.message).toMatch(/Check the scheme of base-url.*\. No run was started\.$/)
    expect(error.brief).toBe('base-url speaks no https there: check its scheme')
  })

  it('says no run was started after a certificate the runner does not trust', async () => {
    const server = createHttpsServer(SELF_SIGNED, (_, response) => response.end('{}'))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    let requests = 0
    server.on('request', () => (requests += 1))
    try {
      const error = await failure(
        client({ baseUrl: `https://127.0.0.1:${port}` }).triggerRun({ testPlanId: '2048' }, 'cloud')
      )
      expect(error.fault).toEqual({ kind: 'network', notSent: true, permanent: true })
      expect(error.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT.*NODE_EXTRA_CA_CERTS.*No run was started\.$/)
      expect(requests).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('says no run was started when a header cannot be written (a key with a character HTTP cannot carry)', async () => {
    const error = await failure(client({ apiKey: 'key-with-€' }).triggerRun({ testPlanId: '2048' }, 'cloud'))
    expect(error.fault).toEqual({ kind: 'network', notSent: true })
    expect(error.message).toMatch(/ERR_INVALID_CHAR.*No run was started\.$/)
    expect(error.message).not.toContain('€')
    expect(sim.requests).toHaveLength(0)
  })
})
