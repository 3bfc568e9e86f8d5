/**
 * End to end (issue 17, "Answers that are not about this run"): dist/index.js as the runner runs it, against the
 * simulator answering status reads with another run, a re-run chain that is not a chain, and ids JavaScript cannot
 * read exactly. None of them may turn the step green, name another run in the outputs, or aim the stop at it.
 */
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { FINISHED, PlanScript, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-not-this-run'
const PLAN = '2048'
let sim: TestsigmaSimulator

afterEach(async () => sim.close())

/** A cloud run object as a re-run nested in an answer (docs §3.4 sample B's fields that matter). */
function nested(id: number | string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    executionId: Number(PLAN),
    status: FINISHED,
    result: 'SUCCESS',
    totalCount: 2,
    passedCount: 2,
    failedCount: 0,
    childResult: null,
    reRunParentId: 337,
    ...fields
  }
}

/** The plan's every status read answers this frame (the trigger's run is 337). */
function planAnswering(frame: PlanScript['frames'][number]): PlanScript {
  return { id: PLAN, name: 'Checkout flow', frames: [frame] }
}

async function run(plan: PlanScript, inputs: Record<string, string> = {}): Promise<BundleResult> {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [plan] })
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': PLAN,
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'timeout-minutes': '0.05',
      ...inputs
    },
    killAfterMs: 30_000
  })
}

function stops(): string[] {
  return sim.requestsTo('stop').map(request => request.path)
}

describe('a status answer about another run', () => {
  it('is not the run’s status: GET …/337 answered {id: 555, SUCCESS} never turns the step green', async () => {
    const result = await run(
      planAnswering({ status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5 }, extra: { id: 555 } })
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs['final-run-id']).toBe('337')
    expect(result.outputs.result).not.toBe('SUCCESS')
    expect(result.stdout).toContain('Testsigma answered the status request for run 337 with run 555')
    expect(JSON.stringify(result.outputs)).not.toContain('555')
    expect(stops()).toEqual(['/api/v1/execution_results/337'])
  })

  it('is not the run’s status when it is a run of another test plan', async () => {
    const result = await run(
      planAnswering({ status: FINISHED, result: 'SUCCESS', counts: { total: 5, passed: 5 }, extra: { executionId: 9 } })
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('with a run of test plan 9: not the status of run 337')
  })
})

describe('a re-run chain that is not a chain', () => {
  it('is not a finished pass while the parent is still in progress, whatever its re-run says', async () => {
    const result = await run(
      planAnswering({
        status: 'STATUS_IN_PROGRESS',
        result: 'QUEUED',
        // The chain-wide fields say what the re-run says (the 'chain' timeline of docs §10).
        extra: { childResult: nested(339), consolidatedStatus: FINISHED, consolidatedResult: 'SUCCESS' }
      })
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('did not finish within the timeout')
    // The run still in progress is this job's own: that one is stopped.
    expect(stops()).toEqual(['/api/v1/execution_results/337'])
  })

  it('never follows, judges or stops a nested run that names another parent', async () => {
    const foreign = nested(901, { reRunParentId: 900, status: 'STATUS_IN_PROGRESS', result: 'QUEUED' })
    const result = await run(
      planAnswering({
        status: FINISHED,
        result: 'FAILURE',
        counts: { total: 5, passed: 3, failed: 2 },
        extra: { childResult: foreign }
      })
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ 'final-run-id': '337', 're-run-count': '0', result: 'FAILURE' })
    expect(result.stdout).toContain('Run 901 is nested in Testsigma')
    expect(result.stdout).toContain('it names run 900 as its parent')
    expect(stops()).toEqual([])
  })

  it('refuses A → B → A … rather than report "re-run 10"', async () => {
    let chain: Record<string, unknown> | null = null
    for (let depth = 10; depth >= 1; depth--) {
      const id = depth % 2 === 1 ? 339 : 337
      chain = nested(id, { reRunParentId: id === 339 ? 337 : 339, childResult: chain })
    }
    const result = await run(
      planAnswering({ status: FINISHED, result: 'FAILURE', counts: { total: 5 }, extra: { childResult: chain } })
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('nests run 337 twice in its re-run chain (337 → 339 → 337), a cycle')
    expect(result.stdout).not.toMatch(/re-run 10|SUCCESS on re-run/)
    expect(result.outputs['re-run-count']).toBe('0')
  })

  it('never sends the stop to a neighbour of a child id of 2^53 or more', async () => {
    // Served as text: a JavaScript number could not even write the id.
    const body =
      `{"id":337,"executionId":${PLAN},"status":"STATUS_COMPLETED","result":"FAILURE","totalCount":5,` +
      '"childResult":{"id":9007199254740993,"executionId":2048,"reRunParentId":337,' +
      '"status":"STATUS_IN_PROGRESS","result":"QUEUED","childResult":null}}'
    const plan = planAnswering({ status: 'STATUS_IN_PROGRESS', result: 'QUEUED' })
    sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [plan] })
    sim.injectFault('status', { type: 'status', status: 200, body, contentType: 'application/json' }, 20)
    const result = await runBundle({
      inputs: {
        'api-key': API_KEY,
        'test-plan-id': PLAN,
        'base-url': sim.url,
        'poll-interval-seconds': '1',
        'timeout-minutes': '0.05'
      },
      killAfterMs: 30_000
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('has a "id" (re-run 1) of 2^53 or more')
    expect(stops().join(' ')).not.toContain('900719925474099')
    expect(JSON.stringify(result.outputs)).not.toContain('900719925474099')
  })
})
