/**
 * End to end: dist/index.js against the simulator answering as Testsigma really does (docs/testsigma-api.md):
 * re-run chains (§4), the open-source server's dialect and error texts (§2.2, §7), the stop that stops only this
 * run (§5) and Testsigma's JUnit shape (§6.3).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../../sim/simulator.js'
import { TestsigmaClient } from '../../src/testsigma/client.js'

const API_KEY = 'tsk-e2e-real-5d21'
let sim: TestsigmaSimulator

afterEach(async () => sim.close())

async function start(plans: PlanScript[], dialect: 'cloud' | 'open-source' = 'cloud'): Promise<void> {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans, dialect })
}

function run(inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      ...inputs
    }
  })
}

function lines(result: BundleResult, prefix: string): string[] {
  return result.stdout.split(/\r?\n/).filter(line => line.startsWith(prefix))
}

describe('a re-run chain', () => {
  it('that passes on its re-run: step green, result SUCCESS, one trigger, the re-run named and linked', async () => {
    await start([reRunPlan('5120')])
    const result = await run({ 'test-plan-id': '5120' })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    expect(result.outputs).toMatchObject({
      'run-id': '337',
      'final-run-id': '338',
      're-run-count': '1',
      result: 'SUCCESS',
      status: 'STATUS_COMPLETED',
      'total-count': '5',
      'passed-count': '5',
      'failed-count': '0',
      'aborted-count': '0'
    })
    expect(result.stdout).toContain(
      `Test plan "Checkout flow" run 337 SUCCESS on re-run 1 (run 338): 5 passed of 5 — ${sim.url}/ui/td/runs/338`
    )
    expect(result.stdout).not.toContain('::error')
    expect(result.summary).toContain(
      `**All 5 passed on re-run 1** · [Open run 338 in Testsigma](${sim.url}/ui/td/runs/338)`
    )
    // The re-run ran the 2 tests that had not passed: its devices are said to be its own, not the chain's 5.
    expect(result.summary).toMatch(
      /\*\*Devices in run 338 \(re-run 1\):\*\*\n\n- \*\*Chrome 120 on Windows 11:\*\* 1 test: 1 passed.*\n- \*\*Firefox 121 on Windows 11:\*\* 1 test: 1 passed/
    )
    // The deciding run's tests, from Testsigma's JSON results; its JUnit report is not needed.
    expect(sim.requestsTo('cases').map(request => request.path)).toEqual([
      '/api/v1/execution_results/338/test_case_results'
    ])
    expect(sim.requestsTo('junit')).toEqual([])
  })

  it('that fails after its re-run: step red, the chain’s counts, the re-run’s tests that did not pass', async () => {
    await start([reRunPlan('5121', { reRunResult: 'FAILURE' })])
    const result = await run({ 'test-plan-id': '5121' })
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({
      'final-run-id': '338',
      're-run-count': '1',
      result: 'FAILURE',
      'passed-count': '4',
      'failed-count': '1'
    })
    expect(lines(result, '::error')).toEqual([
      '::error title=Failed%3A Test case 2 (Firefox 121 on Windows 11)::Step 3 "Click on Pay button": "Unable to perform click/check action on element, Element is not displayed."',
      `::error::Test plan "Checkout flow" run 337 FAILURE after 1 re-run (run 338): 4 passed, 1 failed of 5 — ${sim.url}/ui/td/runs/338`
    ])
    expect(result.summary).toMatch(
      new RegExp(
        `\\*\\*1 of 5 (failed|did not pass) after 1 re-run\\*\\* · \\[Open run 338 in Testsigma\\]\\(${sim.url}/ui/td/runs/338\\)`
      )
    )
    expect(result.summary).toContain('#### Failed tests (1) in run 338 (re-run 1)')
    expect(result.summary).toContain(
      "from Testsigma's test results of run 338 (re-run 1), the run that decided the result"
    )
  })

  it('whose re-run appears two reads after the parent completed: waited for, followed, green', async () => {
    await start([reRunPlan('5122', { appearAfter: 2 })])
    const result = await run({ 'test-plan-id': '5122' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ result: 'SUCCESS', 'final-run-id': '338', 're-run-count': '1' })
    expect(result.stdout).toMatch(
      /Run 337 completed FAILURE and its test plan re-runs tests that did not pass: waiting up to [^\n]+ for the re-run/
    )
    expect(result.stdout).toContain(`Re-run 1 of run 337 appeared: run 338 (${sim.url}/ui/td/runs/338)`)
    // Completed on read 3; reads 4 and 5 look for the re-run (there on 5), which passes on read 6.
    expect(sim.requestsTo('status')).toHaveLength(6)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
  })

  it('on timeout stops the re-run that is running, with canStopAll: false, and nothing else', async () => {
    const plan = reRunPlan('5123')
    plan.reRuns = [{ frames: [{ status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 2 } }] }]
    await start([plan])
    // Long enough to read the re-run (polls are at least a second apart), far too short for it to finish.
    const result = await run({ 'test-plan-id': '5123', 'timeout-minutes': '0.1' })
    expect(result.exitCode).toBe(1)
    expect(sim.requestsTo('stop').map(request => [request.path, request.json])).toEqual([
      ['/api/v1/execution_results/338', { result: 'STOPPED', canStopAll: false }]
    ])
    expect(result.stdout).toContain('Run 338 stopped')
  })
})

describe('the self-hosted open-source server', () => {
  it('works with no extra input: the cloud path’s 404 started nothing, the open-source dialect is kept', async () => {
    await start([passingPlan('2048')], 'open-source')
    const result = await run({ 'test-plan-id': '2048', 'build-number': '1.4.2' })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('trigger').map(request => [request.path, request.json])).toEqual([
      ['/api/v1/execution_results', { executionId: 2048, buildNo: '1.4.2' }],
      ['/api/v1/test_plan_results', { testPlanId: 2048, buildNo: '1.4.2' }]
    ])
    expect(sim.runs.size).toBe(1)
    expect(new Set(sim.requestsTo('status').map(request => request.path))).toEqual(
      new Set(['/api/v1/test_plan_results/337'])
    )
    expect(result.stdout).toContain(
      "trying the self-hosted open-source Testsigma server's API (/api/v1/test_plan_results)"
    )
    expect(result.outputs).toMatchObject({ 'run-id': '337', result: 'SUCCESS', 'passed-count': '5' })
    expect(result.summary).toContain('### ✅ Testsigma: Test plan 2048 passed')
  })

  it('refuses a busy plan saying another run is in progress, none was started, and suggesting a concurrency group', async () => {
    await start([passingPlan('2048')], 'open-source')
    await new TestsigmaClient({
      baseUrl: sim.url,
      apiKey: API_KEY,
      userAgent: 'test',
      requestTimeoutMs: 2000
    }).triggerRun({ testPlanId: '2048' }, 'open-source')
    const result = await run({ 'test-plan-id': '2048', 'api-dialect': 'open-source' })
    expect(result.exitCode).toBe(1)
    const [error] = lines(result, '::error::')
    expect(error).toContain('HTTP 500: The specified Test Plan is currently running.')
    expect(error).toContain(
      'Another run of this test plan is in progress and this server refuses to start a second one'
    )
    expect(error).toContain('no new run was started')
    expect(error).toContain('concurrency: testsigma-plan-2048')
    expect(error).not.toContain('may have started')
    expect(sim.runs.size).toBe(1)
  })

  it('names an unknown test-plan-id from its own text, without "a run may have started"', async () => {
    await start([passingPlan('2048')], 'open-source')
    const result = await run({ 'test-plan-id': '2049' })
    expect(result.exitCode).toBe(1)
    const [error] = lines(result, '::error::')
    expect(error).toContain('HTTP 500: Could not find resource with id:2049')
    expect(error).toContain('test-plan-id is unknown to this server, so no run was started')
    expect(error).not.toContain('may have started')
    // The plan is named once by the action ("Test plan 2049:"), once by the server's own text.
    expect(error.match(/2049/g)).toHaveLength(2)
  })

  it('names the test plan once in the verdict of an unknown plan on the cloud (issue 21)', async () => {
    await start([passingPlan('2048')])
    const result = await run({ 'test-plan-id': '9999' })
    const [error] = lines(result, '::error::')
    expect(error).toBe(
      '::error::Test plan 9999: Testsigma answered the trigger with HTTP 500: Test Plan not found with id 9999. ' +
        'Check test-plan-id: Testsigma does not know this test plan for this API key.'
    )
  })

  it('sends upload-versions, keyed by test device id (issue 21)', async () => {
    await start([{ ...passingPlan('2048'), testDevices: [101, 102] }], 'open-source')
    const result = await run({
      'test-plan-id': '2048',
      'api-dialect': 'open-source',
      'upload-versions': '101=5003\n102=5004'
    })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      { testPlanId: 2048, uploadVersions: { '101': 5003, '102': 5004 } }
    ])
  })

  it('explains the server’s 404 for a test device missing from upload-versions: the run it made is stopped, none sent again', async () => {
    await start([{ ...passingPlan('2048'), testDevices: [101, 102] }], 'open-source')
    const result = await run({ 'test-plan-id': '2048', 'api-dialect': 'open-source', 'upload-versions': '101=5003' })
    expect(result.exitCode).toBe(1)
    const [error] = lines(result, '::error::')
    expect(error).toContain("HTTP 404: Couldn't find upload version with id: 0.")
    expect(error).toContain(
      'A test device of the plan is missing from upload-versions: this server reads a device that upload-versions ' +
        'does not name as upload version 0, which does not exist. Name every test device of the plan in ' +
        'upload-versions (web devices too), or leave upload-versions out. The server had already created the run ' +
        `and stopped it (result STOPPED): it was not sent again; see the plan's runs at ${sim.url}/ui/td/plans/2048`
    )
    expect(sim.requestsTo('trigger')).toHaveLength(1)
    // As the server does (C1): the run exists, completed and stopped with the message.
    const [made] = [...sim.runs.values()]
    expect(sim.currentFrame(made)).toMatchObject({ status: 'STATUS_COMPLETED', result: 'STOPPED' })
  })
})

describe("Testsigma's JUnit report", () => {
  it('with two devices: device names without the plan, messages without boilerplate, neutral words, counts agree', async () => {
    // A run of almost seven minutes: each device's time goes past 60 s, which ss.SSS writes as 100 and more.
    // On a server without Testsigma's JSON results (an older one), where the report is the source of the tests.
    sim = await TestsigmaSimulator.start({
      apiKey: API_KEY,
      plans: [{ ...failingPlan('4096'), durationMs: 400_000, devices: ['Chrome 120 on Windows 11', 'Pixel 8'] }],
      results: { caseList: false }
    })
    const result = await run({ 'test-plan-id': '4096', 'junit-report': 'reports/testsigma.xml' })
    expect(result.exitCode).toBe(1)

    const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
    expect(xml).toContain('<testsuite name="Checkout flow || Chrome 120 on Windows 11"')
    expect(xml).toContain('<testsuite name="Checkout flow || Pixel 8"')
    expect(xml).toMatch(/tests="3" failures="1" errors="1" time="\d{3}\.\d{3}"/)
    expect(xml).toContain('Test failed with message:"null".please visit below URL for more details.')

    // In the report's order: devices first to last.
    expect(lines(result, '::error title=')).toEqual([
      "::error title=Did not pass%3A Test case 5 (Chrome 120 on Windows 11)::Testsigma's report gives no message for this test case (it failed, was aborted, stopped or not executed).",
      '::error title=Did not pass%3A Test case 4 (Pixel 8)::Step 2 failed: element "#pay-button" was not found within 30 s'
    ])
    expect(result.stdout).not.toContain('please visit below URL')

    // The counts table is the run object's (aborted derived, as the 2023 answer has no abortedCount); the device
    // lines add up to it and do not call an aborted test "failed".
    expect(result.summary).toContain('| 5 | 3 | 1 | 1 | 0 | 0 |')
    expect(result.summary).toMatch(
      /- \*\*Chrome 120 on Windows 11:\*\* 3 tests: 2 passed, 1 did not pass \(\d min( \d+ s)?\)/
    )
    expect(result.summary).toMatch(/- \*\*Pixel 8:\*\* 2 tests: 1 passed, 1 did not pass \(\d min( \d+ s)?\)/)
    expect(result.summary).toContain('#### Tests that did not pass (2)')
    expect(result.summary).toContain('Aborted is derived')
    expect(result.outputs['aborted-count']).toBe('1')
  })
})
