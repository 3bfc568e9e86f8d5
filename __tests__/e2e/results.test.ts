/**
 * End to end: which test failed, on which device, at which step and why (issue 18). dist/index.js as the runner runs
 * it, against the simulator's JSON results: the summary, the pull-request comment, the annotations, the JUnit file
 * and the `failed-tests` output all name the failing step and its message; an aborted test is told apart from a
 * failed one; a data-driven failure names its data set; a server without the JSON results falls back to Testsigma's
 * JUnit report with the same verdict; results endpoints that hang cost the reporting budget, not timeout-minutes.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { GitHubFake, pullRequestRunEnv } from '../../sim/github-fake.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { FINISHED, PlanScript, SimulatorOptions, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-results'
const TOKEN = 'ghp_e2eResultsToken000000000000000000000'
const CHROME = 'Chrome 120 (Windows 11)'
const PIXEL = 'Pixel 8 (Android 14)'
const ACTION = 'Select the radio button Mobile Number Radio Button'
const MESSAGE = 'Unable to perform click/check action on element, Element is not displayed.'
const WHY = `Step 4 "${ACTION}": "${MESSAGE}"`

const passed = (action: string) => ({ action, result: 'SUCCESS', message: 'Step executed successfully' })

/** Checkout flow: 5 results on 2 devices, 2 passed, 2 failed (one data-driven), 1 aborted. */
const CHECKOUT: PlanScript = finishedOnFirstRead({
  id: '2048',
  name: 'Checkout flow',
  frames: [{ status: FINISHED, result: 'FAILURE', counts: { total: 5, passed: 2, failed: 2, aborted: 1 } }],
  devices: [CHROME, PIXEL],
  testCases: [
    { name: 'Log in', device: CHROME, result: 'SUCCESS' },
    {
      name: 'Pay with card',
      device: CHROME,
      result: 'FAILURE',
      steps: [
        passed('Navigate to https://shop.example.com/'),
        passed('Click on Cart'),
        passed('Click on Checkout'),
        { action: ACTION, result: 'FAILURE', message: MESSAGE, errorType: 'ASSERT_ERROR', errorCode: 1000001 },
        { action: 'Click on Pay', result: 'NOT_EXECUTED', message: 'Major Test step failed.' }
      ]
    },
    { name: 'Pay with card', device: PIXEL, result: 'ABORTED' },
    {
      name: 'Pay with saved card',
      device: PIXEL,
      result: 'FAILURE',
      iterations: [
        { setName: 'visa', result: 'SUCCESS' },
        { setName: 'amex-expired', result: 'FAILURE' }
      ]
    },
    { name: 'Log in', device: PIXEL, result: 'SUCCESS' }
  ]
})

let sim: TestsigmaSimulator
let github: GitHubFake | undefined

afterEach(async () => {
  await sim?.close()
  await github?.close()
  github = undefined
})

async function serve(options: Partial<SimulatorOptions> = {}): Promise<void> {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [CHECKOUT], ...options })
}

function run(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'junit-report': 'reports/testsigma.xml',
      ...inputs
    },
    env,
    killAfterMs: 60_000
  })
}

function lines(result: BundleResult, prefix: string): string[] {
  return result.stdout.split(/\r?\n/).filter(line => line.startsWith(prefix))
}

/** A workflow command's message or property as the runner reads it back. */
function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
}

describe('a failed run with Testsigma’s JSON results', () => {
  it('names the failing step and its message in the summary, the comment, the annotation, the JUnit file and the output', async () => {
    await serve()
    github = await GitHubFake.start({ token: TOKEN, basePath: '/api/v3' })
    const env = pullRequestRunEnv({ headSha: 'a'.repeat(40), repository: 'octo/shop', apiUrl: github.apiUrl })
    const result = await run({ 'pr-comment': 'true', 'github-token': TOKEN }, env)

    expect(result.exitCode).toBe(1)
    expect(result.outputs.result).toBe('FAILURE')
    expect(result.stdout).toContain(
      "Tests of run 337 from Testsigma's JSON test results: 5 results, 3 did not pass, failing step read for 3"
    )
    expect(sim.requestsTo('junit')).toHaveLength(0)
    // The summary: the step and its message, escaped as markdown.
    expect(result.summary).toContain('#### Tests that did not pass (2 tests, 3 test results on 2 devices)')
    expect(result.summary).toContain(WHY)
    expect(result.summary).toContain(
      '| Pay with card | Chrome 120 \\(Windows 11\\) \\(failed\\), Pixel 8 \\(Android 14\\) \\(aborted\\) |'
    )
    // The comment says the same.
    const [comment] = github.commentsOn('octo/shop', 42)
    expect(comment.body).toContain(`Step 4 "${ACTION}": "Unable to perform click/check action on element`)
    // One annotation per test, its devices together, why on each.
    const errors = lines(result, '::error').map(unescapeCommand)
    expect(errors[0]).toBe(
      `::error title=Failed, aborted: Pay with card (${CHROME}, ${PIXEL})::${CHROME} (failed): ${WHY}; ` +
        `${PIXEL} (aborted): Step 2 "Click on Checkout": "The test session ended unexpectedly."`
    )
    // The JUnit file is the action's own: the step's message as the failure's message.
    const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
    expect(xml).toContain(`<failure message="${MESSAGE}" type="FAILURE">${WHY.replace(/"/g, '"')}</failure>`)
    expect(xml).toContain('<error message="The test session ended unexpectedly." type="ABORTED">')
    expect(xml).toContain(`<property name="Testsigma run URL" value="${sim.url}/ui/td/runs/337"/>`)
    expect((JSON.parse(result.outputs['failed-tests']) as unknown[])[0]).toEqual({
      name: 'Pay with card',
      device: CHROME,
      result: 'FAILURE',
      step: { position: 4, action: ACTION },
      message: MESSAGE
    })
  })

  it('tells an aborted test from a failed one, and names the data set a data-driven test failed on', async () => {
    await serve()
    const result = await run()
    const failed = JSON.parse(result.outputs['failed-tests']) as Array<{ name: string; result: string }>
    expect(failed.map(test => `${test.name}: ${test.result}`)).toEqual([
      'Pay with card: FAILURE',
      'Pay with card: ABORTED',
      'Pay with saved card: FAILURE'
    ])
    expect(failed[2]).toMatchObject({ iterations: ['amex-expired'] })
    expect(result.summary).toContain(
      `**${PIXEL.replace(/\(/g, '\\(').replace(/\)/g, '\\)')}:** 3 tests: 1 passed, 1 failed, 1 aborted`
    )
    expect(result.summary).toContain(
      '| Pay with saved card | Pixel 8 \\(Android 14\\) | Data set "amex-expired"; step '
    )
    const titles = lines(result, '::error').map(line => unescapeCommand(line.split('::')[1]))
    expect(titles).toContain(`error title=Failed: Pay with saved card (${PIXEL})`)
    const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
    expect(xml).toContain('<testsuite id="1" name="Pixel 8 (Android 14)" tests="3" failures="1" errors="1" skipped="0"')
  })
})

describe('a server without the JSON results', () => {
  it.each<[string, Partial<SimulatorOptions>]>([
    ['the case list answers 404', { results: { caseList: false } }],
    ['the open-source server', { dialect: 'open-source' }]
  ])('%s: Testsigma’s JUnit report, the same verdict, the log says which source', async (_, options) => {
    await serve(options)
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(result.outputs.result).toBe('FAILURE')
    expect(lines(result, '::warning')).toEqual([])
    expect(result.stdout).toMatch(
      /Testsigma has no JSON test results for run \d+ here \(.*\); reading its JUnit report/
    )
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(result.summary).toContain('#### Tests that did not pass')
    // Testsigma's own report, as it came; the output has no word where the report has none.
    const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
    expect(xml).toContain('<testsuite name="Checkout flow || ')
    const failed = JSON.parse(result.outputs['failed-tests']) as Array<{ result: unknown; step: unknown }>
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every(test => test.result === null && test.step === null)).toBe(true)
  })
})

describe('results endpoints that hang', () => {
  it('the case list: one warning, the JUnit report instead, the verdict before timeout-minutes', async () => {
    await serve()
    sim.injectFault('cases', { type: 'hang' }, 10)
    const result = await run({ 'timeout-minutes': '0.2' })
    expect(result.signal).toBeNull()
    expect(result.exitCode).toBe(1)
    expect(result.elapsedMs).toBeLessThan(12_000)
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(
        /^::warning::Testsigma's JSON test results of run 337 could not be read \(.*\); reading its JUnit report$/
      )
    ])
    expect(sim.requestsTo('junit')).toHaveLength(1)
    expect(result.outputs.result).toBe('FAILURE')
  })

  it('the step pages: the tests without their step, one warning, within the 5 s budget', async () => {
    await serve()
    sim.injectFault('steps', { type: 'hang' }, 100)
    const result = await run({ 'timeout-minutes': '0.2' })
    expect(result.exitCode).toBe(1)
    expect(result.elapsedMs).toBeLessThan(12_000)
    expect(lines(result, '::warning')).toEqual([
      expect.stringMatching(/^::warning::The failing step of some tests is not shown: /)
    ])
    expect(result.summary).toContain('| Pay with saved card | Pixel 8 \\(Android 14\\) | Data set "amex-expired" |')
    expect(sim.requestsTo('junit')).toHaveLength(0)
  })
})
