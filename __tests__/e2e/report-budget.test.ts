/**
 * End to end: the JUnit report cannot hold the step (issue 17). dist/index.js as the runner runs it, against reports
 * that held it before: a failure text that the old template pattern matched in quadratic time, a report with millions
 * of attributes on one element, one with hundreds of thousands of failing cases, and a SIGINT while a large report
 * is read. Each ends within timeout-minutes, with its verdict, and at most one warning about the report.
 */
import { BundleResult, startBundle } from '../../sim/run-bundle.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { failureTextsReport, manyAttributesReport, manyCasesReport, spacedFailureText } from '../../sim/reports.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-report-budget'
let sim: TestsigmaSimulator

afterEach(async () => sim?.close())

async function serve(passed: boolean, body: string): Promise<void> {
  const plan = finishedOnFirstRead(passed ? passingPlan('2048') : failingPlan('2048'))
  // A server without Testsigma's JSON results: the JUnit report is read, as these reports need.
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [{ ...plan, junit: { body } }],
    results: { caseList: false }
  })
}

function inputs(extra: Record<string, string>): Record<string, string> {
  return { 'api-key': API_KEY, 'test-plan-id': '2048', 'base-url': sim.url, 'poll-interval-seconds': '1', ...extra }
}

function lines(result: BundleResult, prefix: string): string[] {
  return result.stdout.split('\n').filter(line => line.startsWith(prefix))
}

describe('a report that held the step before', () => {
  it('the failure text with 200,000 spaces, on a passed run with timeout-minutes: 0.25: green, on time', async () => {
    await serve(true, failureTextsReport([spacedFailureText(200_000)]))
    const bundle = await startBundle({ inputs: inputs({ 'timeout-minutes': '0.25' }), killAfterMs: 45_000 })
    const result = await bundle.result

    expect(result.signal).toBeNull()
    expect(result.elapsedMs).toBeLessThan(15_000)
    expect(result.exitCode).toBe(0)
    // Not Testsigma's template (two words after it): the case's message is its whole text, clipped.
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(
        /^::warning title=Failed%3A Case 1 \(Plan \|\| Chrome\)::Test failed with message:"a"\.please .* …$/
      )
    ])
    expect(result.summary).toContain('Case 1')
  })

  it.each([
    [
      'one element with 3.2 million attributes (24 MiB)',
      () => manyAttributesReport(3_200_000),
      'an element with more than 100 attributes'
    ],
    ['327,000 failing test cases', () => manyCasesReport(327_000), 'more than 50,000 test cases']
  ])('%s on a failed run: one warning, the verdict, within timeout-minutes: 0.2', async (_, report, problem) => {
    await serve(false, report())
    const bundle = await startBundle({ inputs: inputs({ 'timeout-minutes': '0.2' }), killAfterMs: 45_000 })
    const result = await bundle.result

    expect(result.signal).toBeNull()
    expect(result.elapsedMs).toBeLessThan(12_000)
    expect(result.exitCode).toBe(1)
    expect(lines(result, '::warning')).toEqual([
      `::warning::Failed tests are not listed: The JUnit report has ${problem}, past what this action reads`
    ])
    expect(lines(result, '::error title=')).toEqual([])
    expect(lines(result, '::error::')).toEqual([
      expect.stringMatching(/^::error::Test plan "Checkout flow" run 337 FAILURE/)
    ])
  })

  it('SIGINT while a large report is read: heard, logged, and the step ends without waiting for the reading', async () => {
    // 45,000 failing cases (a few seconds to read), one of them with the text that was quadratic.
    const texts = Array.from({ length: 45_000 }, (_, i) => `Step ${i % 7} failed: element "#pay-${i}" was not found`)
    texts[0] = spacedFailureText(200_000)
    await serve(false, failureTextsReport(texts))
    const bundle = await startBundle({ inputs: inputs({ 'timeout-minutes': '1' }), killAfterMs: 45_000 })
    // SIGINT as soon as the action says it reads the report, or a second after the report was asked for.
    let stdout = ''
    bundle.child.stdout?.on('data', (chunk: Buffer | string) => (stdout += String(chunk)))
    for (let i = 0; i < 600; i++) {
      const asked = sim.requestsTo('junit')[0]?.at
      if (stdout.includes('Reading the JUnit report') || (asked !== undefined && Date.now() - asked > 1000)) break
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    const signalledAt = performance.now()
    bundle.child.kill('SIGINT')
    const result = await bundle.result

    expect(result.signal).toBeNull()
    expect(result.stdout).toContain('::warning::SIGINT received: the job is being cancelled')
    expect(result.stdout).toMatch(/Failed tests are not listed: the job was cancelled while the JUnit report was read/)
    // The runner kills 7.5 s after SIGINT: the step is gone well before.
    expect(performance.now() - signalledAt).toBeLessThan(5000)
    expect(result.exitCode).toBe(1)
    expect(lines(result, '::error::')).toEqual([
      expect.stringMatching(/^::error::Test plan "Checkout flow" run 337 FAILURE/)
    ])
  })
})
