/** The client's per-test and per-step results requests, against the simulator over loopback HTTP. */
import { TestsigmaClient } from '../src/testsigma/client.js'
import { TestsigmaError } from '../src/testsigma/errors.js'
import { firstFailingStep } from '../src/testsigma/test-results.js'
import { failingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import type { SimulatorOptions } from '../sim/simulator.js'

const API_KEY = 'ts-key-results'
let sim: TestsigmaSimulator

afterEach(async () => sim?.close())

async function start(
  options: Partial<SimulatorOptions> = {},
  plans: PlanScript[] = [failingPlan('4096')]
): Promise<TestsigmaClient> {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans, ...options })
  return new TestsigmaClient({ baseUrl: sim.url, apiKey: API_KEY, userAgent: 'test', requestTimeoutMs: 5000 })
}

/** Triggers `planId` and reads it until it has finished (each plan here finishes on its third read). */
async function finishedRun(client: TestsigmaClient, planId = '4096'): Promise<string> {
  const { runId } = await client.triggerRun({ testPlanId: planId }, 'cloud')
  for (let i = 0; i < 6; i++) if ((await client.getRun(runId, 'cloud')).finished) return runId
  throw new Error('the run did not finish')
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

describe('the case list', () => {
  it("lists a failed run's tests with Testsigma's words, each on its device", async () => {
    const client = await start()
    const runId = await finishedRun(client)
    const list = await client.getTestCaseList(runId)
    expect(list.total).toBe(5)
    expect(list.cases.map(c => c.result)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILURE', 'ABORTED'])
    expect(list.cases[3]).toMatchObject({ name: 'Test case 4', device: 'Chrome 120 on Windows 11' })
    expect(sim.requestsTo('cases')[0].path).toBe(`/api/v1/execution_results/${runId}/test_case_results`)
  })

  it("names a data-driven test's failing iterations", async () => {
    const plan: PlanScript = {
      ...failingPlan('4096'),
      testCases: [
        {
          name: 'Pay with saved cards',
          device: 'Chrome 120 on Windows 11',
          result: 'FAILURE',
          iterations: [
            { setName: 'visa', result: 'SUCCESS' },
            { setName: 'amex', result: 'FAILURE' }
          ]
        }
      ]
    }
    const client = await start({}, [plan])
    const list = await client.getTestCaseList(await finishedRun(client))
    expect(list.cases[0]).toMatchObject({ failedIterations: ['amex'], iterations: 2 })
  })

  it('is a path the open-source server does not have', async () => {
    const client = await start({ dialect: 'open-source' })
    const error = await failure(client.getTestCaseList('337'))
    expect(error.missingPath).toBe(true)
    expect(error.fault).toMatchObject({ kind: 'http', statusCode: 404 })
  })
})

describe('the step results', () => {
  it('pages through the steps and finds the failing one, at v2', async () => {
    const client = await start({ results: { maxPageSize: 2 } })
    const runId = await finishedRun(client)
    const failed = (await client.getTestCaseList(runId)).cases[3]
    const steps = []
    for (let page = 0; page < 10; page++) {
      const read = await client.getStepPage({
        runId,
        caseResultId: failed.caseResultId,
        page,
        pageSize: 2,
        version: 'v2'
      })
      steps.push(...read.steps)
      if (read.last) break
    }
    expect(sim.requestsTo('steps').length).toBeGreaterThan(1)
    expect(sim.requestsTo('steps')[0].path).toBe(
      `/api/v2/test_runs/${runId}/test_case_results/${failed.caseResultId}/step_results`
    )
    expect(firstFailingStep(steps)).toMatchObject({
      action: 'Click on Pay button',
      message: 'Unable to perform click/check action on element, Element is not displayed.',
      result: 'FAILURE'
    })
  })

  it('answers at v1 only on a server from before the move, and says which path is missing', async () => {
    const client = await start({ results: { steps: 'v1' } })
    const runId = await finishedRun(client)
    const { caseResultId } = (await client.getTestCaseList(runId)).cases[3]
    const missing = await failure(client.getStepPage({ runId, caseResultId, page: 0, pageSize: 50, version: 'v2' }))
    expect(missing.missingPath).toBe(true)
    const page = await client.getStepPage({ runId, caseResultId, page: 0, pageSize: 50, version: 'v1' })
    expect(firstFailingStep(page.steps)?.result).toBe('FAILURE')
  })

  it("reads a re-run's own tests: only those it re-ran", async () => {
    const client = await start({}, [reRunPlan('5120')])
    const { runId } = await client.triggerRun({ testPlanId: '5120' }, 'cloud')
    let finalRunId = runId
    for (let i = 0; i < 8; i++) {
      const state = await client.getRun(runId, 'cloud')
      finalRunId = state.finalRunId
      if (state.finished) break
    }
    expect(finalRunId).not.toBe(runId)
    const list = await client.getTestCaseList(finalRunId)
    expect(list.cases.map(c => c.result)).toEqual(['SUCCESS', 'SUCCESS'])
  })
})
