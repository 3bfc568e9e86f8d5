import { createServer } from 'node:net'
import { TestsigmaClient, TestsigmaError } from '../src/testsigma/client.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'

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
    userAgent: 'testsigma-test-plan-action/1.0.0',
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
    const run = await client().triggerRun({
      executionId: 2048,
      buildNo: '1.4.2',
      environmentId: 17,
      uploadVersions: { '101': 5003 },
      runtimeData: { user: 'qa-bot' }
    })
    expect(run).toMatchObject({ runId: '337', status: 'STATUS_CREATED', result: 'QUEUED', finished: false })
    const [request] = sim.requestsTo('trigger')
    expect(request.path).toBe('/api/v1/execution_results')
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'testsigma-test-plan-action/1.0.0'
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
    const { runId } = await api.triggerRun({ executionId: 4096 })
    expect(await api.getRun(runId)).toMatchObject({ status: 'STATUS_QUEUED', planName: 'Checkout flow' })
    await api.getRun(runId)
    expect(await api.getRun(runId)).toMatchObject({
      finished: true,
      result: 'FAILURE',
      counts: { passed: 3, failed: 1, aborted: 1 }
    })
    const xml = await api.getJunitReport(runId)
    expect(xml).toMatch(/^<\?xml/)
    expect(sim.requestsTo('junit')[0].headers.accept).toBe('application/xml')

    const second = await api.triggerRun({ executionId: 2048 })
    await api.stopRun(second.runId)
    expect(sim.requestsTo('stop')[0]).toMatchObject({
      method: 'PUT',
      path: `/api/v1/execution_results/${second.runId}`,
      json: { result: 'STOPPED' }
    })
    expect(await api.getRun(second.runId)).toMatchObject({ finished: true, result: 'STOPPED' })
  })

  it('explains a refused key without repeating it', async () => {
    const error = await failure(client({ apiKey: 'wrong-key-9' }).triggerRun({ executionId: 2048 }))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 401 })
    expect(error.message).toContain('Testsigma refused the API key (HTTP 401: Unauthorized: invalid API key)')
    expect(error.message).toContain(`base-url (${sim.url})`)
    expect(error.message).not.toContain('wrong-key-9')
  })

  it('names the test plan id when the server does not know it (500 or 404)', async () => {
    const unknown = await failure(client().triggerRun({ executionId: 999 }))
    expect(unknown.message).toContain('HTTP 500: Test Plan not found with id 999')
    expect(unknown.message).toContain('Check test-plan-id: Testsigma does not know a test plan 999')

    sim.injectFault('trigger', {
      type: 'status',
      status: 404,
      body: '{"error":"Not Found"}',
      contentType: 'application/json'
    })
    const missing = await failure(client().triggerRun({ executionId: 2048 }))
    expect(missing.message).toContain('Check test-plan-id')
  })

  it('says that a run may have started after a 500 that does not name the plan', async () => {
    sim.addPlan({ ...passingPlan('77'), busy: true })
    const error = await failure(client().triggerRun({ executionId: 77 }))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 500 })
    expect(error.message).toContain('HTTP 500: Test plan is currently running')
    expect(error.message).toContain(
      `a run may have started: check the runs of test plan 77 at ${sim.url}/ui/td/plans/77/details`
    )
  })

  it('reads Retry-After from a 429', async () => {
    sim.injectFault('trigger', { type: 'status', status: 429, body: 'slow down', headers: { 'retry-after': '2' } })
    const error = await failure(client().triggerRun({ executionId: 2048 }))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 429, retryAfterMs: 2000 })
    expect(error.message).toContain('no run was started')
  })

  it('shows the title of an HTML error page, not the page', async () => {
    sim.injectFault('status', {
      type: 'status',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'
    })
    const error = await failure(client().getRun('337'))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 502 })
    expect(error.message).toBe('Testsigma answered the status request for run 337 with HTTP 502: 502 Bad Gateway')
  })

  it('classifies a 200 that is not JSON as malformed', async () => {
    const { runId } = await client().triggerRun({ executionId: 2048 })
    sim.injectFault('status', { type: 'non-json' })
    const error = await failure(client().getRun(runId))
    expect(error.fault).toEqual({ kind: 'malformed' })
    expect(error.message).toContain('is not JSON (502 Bad Gateway)')
  })

  it('classifies a dropped connection as a network fault that may have been received', async () => {
    sim.injectFault('status', { type: 'drop' })
    const error = await failure(client().getRun('337'))
    expect(error.fault).toEqual({ kind: 'network', notSent: false })
  })

  it('does not hang on a connection dropped mid-body', async () => {
    sim.injectFault('status', { type: 'drop-mid-body' })
    const error = await failure(client().getRun('337'))
    expect(error.fault).toMatchObject({ kind: 'network' })
  })

  it('gives up on a hung request after its time limit', async () => {
    sim.injectFault('status', { type: 'hang' })
    const error = await failure(client({ requestTimeoutMs: 300 }).getRun('337'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(error.message).toBe('Testsigma did not answer the status request for run 337 within 0.3 s')
  })

  it('knows a refused connection carried nothing', async () => {
    const closedPort = await freePort()
    const error = await failure(client({ baseUrl: `http://127.0.0.1:${closedPort}` }).triggerRun({ executionId: 2048 }))
    expect(error.fault).toEqual({ kind: 'network', notSent: true })
    expect(error.message).toMatch(/ECONNREFUSED.*No run was started/)
  })

  it('says that a run may have started when the trigger connection drops', async () => {
    sim.injectFault('trigger', { type: 'drop' })
    const error = await failure(client().triggerRun({ executionId: 2048 }))
    expect(error.fault).toEqual({ kind: 'network', notSent: false })
    expect(error.message).toContain('a run may have started')
  })

  it('refuses a JUnit answer that is plain text', async () => {
    const api = client()
    const { runId } = await api.triggerRun({ executionId: 2048 })
    const error = await failure(api.getJunitReport(runId))
    expect(error.message).toBe(
      `Testsigma answered the JUnit report request for run ${runId} with text that is not XML: Report generation failed, Test plan run is not completed`
    )
  })

  it('aborts a request when the job is cancelled', async () => {
    sim.injectFault('status', { type: 'hang' })
    const controller = new AbortController()
    const pending = client().getRun('337', controller.signal)
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
    const error = await failure(client().triggerRun({ executionId: 2048 }))
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
    expect(await client().getRun('9007199254740993')).toMatchObject({ runId: '9007199254740993' })
  })

  it('says a redirected trigger started no run, names the Location and does not retry it', async () => {
    sim.injectFault('trigger', { type: 'redirect', status: 307, location: 'https://login.example/sso' })
    const error = await failure(client().triggerRun({ executionId: 2048 }))
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 307 })
    expect(error.message).toMatch(
      /^Testsigma answered the trigger of test plan 2048 with a redirect \(HTTP 307 to https:\/\/login.example\/sso\)\..*base-url.*No run was started\.$/
    )
  })

  it('refuses a status answer over 1 MiB as permanent, and takes a JUnit report up to 32 MiB', async () => {
    sim.injectFault('status', { type: 'oversized', bytes: 2 * 1024 * 1024 })
    const error = await failure(client().getRun('337'))
    expect(error.fault).toEqual({ kind: 'malformed', permanent: true })
    expect(error.message).toContain(
      'larger than 1 MiB, which no such answer needs; it was not read further, nor asked for again'
    )

    const api = client()
    const { runId } = await api.triggerRun({ executionId: 2048 })
    sim.injectFault('junit', { type: 'oversized', bytes: 33 * 1024 * 1024 })
    expect((await failure(api.getJunitReport(runId))).message).toContain('an answer larger than 32 MiB')
  })

  it('ends each request by the deadline, however long its own limit', async () => {
    sim.injectFault('status', { type: 'hang' })
    const error = await failure(client({ requestTimeoutMs: 30_000, deadline: Date.now() + 300 }).getRun('337'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(error.message).toMatch(/^Testsigma did not answer the status request for run 337 within 0\.[23]\d* s$/)
  })

  it('within(ms) bounds every request of the copy, not the original', async () => {
    sim.injectFault('junit', { type: 'hang' })
    const api = client({ requestTimeoutMs: 30_000 })
    const error = await failure(api.within(200).getJunitReport('337'))
    expect(error.fault).toEqual({ kind: 'timeout' })
    expect(await api.getRun((await api.triggerRun({ executionId: 2048 })).runId)).toMatchObject({ runId: '337' })
  })

  it('keeps the stop out of the deadline: it has its own limit after the run timed out', async () => {
    const api = client()
    const { runId } = await api.triggerRun({ executionId: 2048 })
    await client({ deadline: Date.now() - 1000 }).stopRun(runId)
    expect(sim.requestsTo('stop')).toHaveLength(1)
    const late = await failure(client({ deadline: Date.now() - 1000 }).getRun(runId))
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
