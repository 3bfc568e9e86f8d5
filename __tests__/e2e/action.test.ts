/**
 * End to end: the committed dist/index.js in a child process, as the runner starts it, against the
 * Testsigma simulator on loopback. Reads the exit code, the log, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { scratchDir } from '../../sim/scratch.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-7f3a9c1d'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [finishedOnFirstRead(passingPlan('2048')), finishedOnFirstRead(failingPlan('4096'))]
  })
})
afterEach(async () => sim.close())

function run(inputs: Record<string, string>): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      ...inputs
    }
  })
}

/** Everything the process wrote where a person or another step could see it. */
function everythingWritten(result: BundleResult): string {
  const junit = result.outputs['junit-report']
    ? readFileSync(path.join(result.workspace, result.outputs['junit-report']), 'utf8')
    : ''
  return [result.stdout, result.stderr, JSON.stringify(result.outputs), result.summary, junit].join('\n')
}

describe('dist/index.js as the runner runs it', () => {
  it('passes a passing run: exit 0, every output, a summary with the counts', async () => {
    const result = await run({ 'build-number': '1.4.2' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      'run-id': '337',
      'run-url': `${sim.url}/ui/td/runs/337`,
      'final-run-id': '337',
      're-run-count': '0',
      result: 'SUCCESS',
      status: 'STATUS_COMPLETED',
      'total-count': '5',
      'passed-count': '5',
      'failed-count': '0',
      'aborted-count': '0',
      'stopped-count': '0',
      'not-executed-count': '0',
      'duration-ms': '125000',
      'junit-report': '',
      'failed-tests': '[]'
    })
    expect(result.summary).toContain('### ✅ Testsigma: Checkout flow passed')
    expect(result.summary).toContain('| 5 | 5 | 0 | 0 | 0 | 0 |')
    expect(result.summary).toContain('**Build:** 1.4.2')
    expect(result.stdout).toContain(`::add-mask::${API_KEY}`)
    expect(result.stdout).toContain(`Run 337 started: ${sim.url}/ui/td/runs/337`)
    expect(result.stdout).toMatch(/::group::Waiting for run 337[^\n]*\n(?:[^\n]*\n){1}::endgroup::/)
    expect(sim.requestsTo('trigger')[0].json).toEqual({ executionId: 2048, buildNo: '1.4.2' })
  })

  it('fails a failed run with the verdict as an error annotation, outputs still set', async () => {
    const result = await run({ 'test-plan-id': '4096' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      `::error::Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${sim.url}/ui/td/runs/337`
    )
    expect(result.outputs).toMatchObject({
      result: 'FAILURE',
      'passed-count': '3',
      'failed-count': '1',
      'aborted-count': '1',
      'stopped-count': '0'
    })
    expect(result.summary).toContain('| 5 | 3 | 1 | 1 | 0 | 0 |')
  })

  it('stays green on a failed run with fail-on-failure: false, with a warning', async () => {
    const result = await run({ 'test-plan-id': '4096', 'fail-on-failure': 'false' })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(
      /::warning title=Test plan "Checkout flow" did not pass \(fail-on-failure%3A false\)::Test plan "Checkout flow" run 337 FAILURE/
    )
    expect(result.stdout).not.toContain('::error')
    expect(result.outputs.result).toBe('FAILURE')
  })

  it('with wait: false, triggers, sets run-id and run-url, writes a short summary, never polls', async () => {
    const result = await run({ wait: 'false' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['run-id']).toBe('337')
    expect(result.outputs['run-url']).toBe(`${sim.url}/ui/td/runs/337`)
    expect(result.summary).toContain('**Started**, not waited for')
    expect(sim.requestsTo('status')).toHaveLength(0)
  })

  it.each([
    ['lines', '101=5003\n102 = 5004'],
    ['commas', '101=5003, 102=5004'],
    ['JSON', '{"101": 5003, "102": "5004"}']
  ])('sends upload-versions given as %s as numbers', async (_, value) => {
    const result = await run({
      'upload-versions': value,
      'runtime-data': 'user=qa-bot\nlocale=de_DE',
      'environment-id': '17'
    })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('trigger')[0].json).toEqual({
      executionId: 2048,
      environmentId: 17,
      uploadVersions: { '101': 5003, '102': 5004 },
      runtimeData: { user: 'qa-bot', locale: 'de_DE' }
    })
  })

  it('writes the JUnit report inside the workspace and names it in the outputs', async () => {
    const result = await run({ 'test-plan-id': '4096', 'junit-report': 'reports/testsigma.xml' })
    expect(result.outputs['junit-report']).toBe('reports/testsigma.xml')
    const xml = readFileSync(path.join(result.workspace, 'reports/testsigma.xml'), 'utf8')
    expect(xml).toMatch(/^<\?xml/)
    // The action's own, from Testsigma's JSON results: the failed test a failure, the aborted one an error.
    expect(xml).toContain('<testsuites name="Checkout flow" tests="5" failures="1" errors="1" skipped="0">')
  })

  it.each([
    [
      { 'test-plan-id': 'checkout' },
      'Input "test-plan-id" must be the test plan\'s numeric id, got "checkout". Example: test-plan-id: 2048'
    ],
    [{ 'upload-versions': '101=latest' }, 'Input "upload-versions" has upload version id "latest" for device 101'],
    [{ 'poll-interval-seconds': '0' }, 'Input "poll-interval-seconds" must be greater than 0'],
    [{ wait: 'maybe' }, 'Input "wait" must be true or false, got "maybe"'],
    [{ 'base-url': 'testsigma.example.com' }, 'Input "base-url" must be an http(s) URL'],
    [{ 'junit-report': '../../etc/x' }, 'Input "junit-report" must be a file path inside the workspace'],
    [{ 'base-url': 'https://testsigma.example.com?' }, 'Input "base-url" must not have a query or fragment'],
    [{ 'base-url': 'https://testsigma.example.com#' }, 'Input "base-url" must not have a query or fragment'],
    [{ 'test-plan-id': '9007199254740993' }, 'Input "test-plan-id" must be at most 9007199254740991'],
    [{ 'environment-id': '9007199254740993' }, 'Input "environment-id" must be at most 9007199254740991'],
    [{ 'upload-versions': '101=9007199254740993' }, 'Input "upload-versions" has upload version id "9007199254740993"'],
    [{ 'upload-versions': '{"101": 5003, "101": 5004}' }, 'Input "upload-versions" names "101" twice'],
    [{ 'runtime-data': '{"__proto__": "x", "user": "qa"}' }, 'Input "runtime-data" names "__proto__"']
  ])('refuses bad input %p before sending anything', async (inputs, message) => {
    const result = await run(inputs)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(`::error::${message}`)
    expect(result.stdout).toContain('Nothing was sent to Testsigma.')
    expect(sim.requests).toHaveLength(0)
  })

  it.each([
    ['a folder on the way that links outside', 'reports', 'outside', 'leads outside the workspace'],
    ['a link at the target to a file outside', 'reports/ts.xml', 'outside/victim.xml', 'is a symbolic link (to '],
    ['a dangling link on the way', 'reports', 'outside/missing', 'is a symbolic link that leads nowhere']
  ])(
    'refuses a junit-report through %s, before sending anything, and writes nothing outside',
    async (_, link, linkTarget, message) => {
      const root = scratchDir('junit-links')
      mkdirSync(path.join(root, 'outside'))
      writeFileSync(path.join(root, 'outside', 'victim.xml'), 'precious')
      const result = await runBundle({
        inputs: { 'api-key': API_KEY, 'test-plan-id': '4096', 'base-url': sim.url, 'junit-report': 'reports/ts.xml' },
        prepareWorkspace: workspace => {
          mkdirSync(path.join(workspace, 'reports'), { recursive: true })
          if (link === 'reports') rmSync(path.join(workspace, 'reports'), { recursive: true })
          symlinkSync(path.join(root, linkTarget), path.join(workspace, link))
        }
      })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(`::error::Input "junit-report": "reports/ts.xml" `)
      expect(result.stdout).toContain(message)
      expect(result.stdout).toContain('Nothing was sent to Testsigma.')
      expect(sim.requests).toHaveLength(0)
      expect(readdirSync(path.join(root, 'outside'))).toEqual(['victim.xml'])
      expect(readFileSync(path.join(root, 'outside', 'victim.xml'), 'utf8')).toBe('precious')
    }
  )

  it('explains a refused key', async () => {
    const result = await run({ 'api-key': 'not-the-key' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/::error::Test plan 2048: Testsigma refused the API key \(HTTP 401[^\n]*base-url/)
    expect(sim.requestsTo('trigger')).toHaveLength(1)
  })

  it('never shows the API key outside the mask command, whatever happens', async () => {
    sim.addPlan({ ...finishedOnFirstRead(failingPlan('99')), name: `Plan named ${API_KEY}` })
    const results = [
      await run({}),
      await run({ 'test-plan-id': '4096', 'junit-report': 'r.xml' }),
      await run({ 'test-plan-id': '31337' }),
      await run({ 'poll-interval-seconds': 'soon' }),
      await run({ 'api-key': `${API_KEY}x` }),
      await run({ 'test-plan-id': '99' })
    ]
    for (const result of results) {
      const written = everythingWritten(result)
        .split('\n')
        .filter(line => !line.startsWith('::add-mask::'))
        .join('\n')
      // The plan whose name contains the key: the action prints the name, and the runner's mask hides it.
      const withoutEchoedName = written.replaceAll(`Plan named ${API_KEY}`, '')
      expect(withoutEchoedName).not.toContain(API_KEY)
    }
    // Every request carried it as a bearer token, and only there.
    expect(sim.requests.every(request => request.headers.authorization?.startsWith('Bearer '))).toBe(true)
  })

  it('keeps server text from injecting workflow commands or breaking the summary', async () => {
    sim.addPlan({ ...finishedOnFirstRead(failingPlan('66')), name: 'Evil\n::error::injected | <b>bold</b>' })
    const result = await run({ 'test-plan-id': '66' })
    expect(result.stdout.split('\n').filter(line => line.startsWith('::error::injected'))).toEqual([])
    expect(result.summary.split('\n')[0]).toBe(
      '### ❌ Testsigma: Evil ::error::injected \\| &lt;b&gt;bold&lt;/b&gt; failed'
    )
  })
})
