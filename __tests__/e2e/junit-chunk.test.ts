/**
 * End to end: fast-xml-parser is loaded only once the run has finished (src/report/junit.ts imports it
 * where it parses the report), so ncc puts it in a chunk of its own, off the start-up path. Without that
 * chunk the action still triggers, waits and gives the verdict; only the failed tests go unlisted.
 */
import { bundleWithout, chunkHolding, XML_PARSER_MARKER } from '../../sim/dist-copy.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-junit-chunk'

let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [failedTestsPlan({ id: '4096', tests: 3, failures: 1 })],
    // Without Testsigma's JSON results, so that the JUnit report is where the tests come from.
    results: { caseList: false }
  })
})
afterEach(async () => {
  await sim.close()
})

function run(bundle?: string): Promise<BundleResult> {
  return runBundle({
    bundle,
    inputs: { 'api-key': API_KEY, 'test-plan-id': '4096', 'base-url': sim.url, 'poll-interval-seconds': '1' }
  })
}

function lines(result: BundleResult, prefix: string): string[] {
  return result.stdout.split(/\r?\n/).filter(line => line.startsWith(prefix))
}

describe("the JUnit parser's chunk", () => {
  it('lists the failed tests when it is there', async () => {
    const result = await run()
    expect(result.exitCode).toBe(1)
    // One annotation for the test, its two devices together.
    expect(lines(result, '::error title=Failed%3A TC-103')).toEqual([
      expect.stringMatching(
        /^::error title=Failed%3A TC-103 Add to cart \(Chrome 120 on Windows 11%2C Safari 17 on macOS 14\)::/
      )
    ])
  })

  it('is not needed to trigger and wait: without it the verdict stands, and a warning says why no tests are listed', async () => {
    const chunk = chunkHolding(XML_PARSER_MARKER)
    const result = await run(bundleWithout(chunk))
    expect(result.exitCode).toBe(1)
    expect(sim.requests.map(request => `${request.method} ${request.path}`)).toEqual([
      'POST /api/v1/execution_results',
      'GET /api/v1/execution_results/337',
      'GET /api/v1/execution_results/337',
      'GET /api/v1/execution_results/337/test_case_results',
      'GET /api/v1/reports/junit/337'
    ])
    expect(lines(result, '::error title=Failed')).toEqual([])
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(new RegExp(`^::warning::Failed tests are not listed: Cannot find module .*/${chunk}'`))
    ])
    expect(lines(result, '::error::')).toEqual([
      expect.stringMatching(/^::error::Test plan "Checkout flow" run 337 FAILURE/)
    ])
  })
})
