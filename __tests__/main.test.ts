/**
 * `main.ts` from source: the real inputs parsing, client, orchestration and publication against the
 * Testsigma simulator, with a core-shaped recorder in place of `@actions/core` and a fake clock.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { run } from '../src/main.js'
import { mergeGroupRunEnv } from '../sim/github-fake.js'
import { scratchDir } from '../sim/scratch.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { RecordingCore } from './helpers/core.js'
import { FakeClock } from './helpers/fake-clock.js'

const API_KEY = 'ts-key-main-41'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
})
afterEach(async () => sim.close())

let verdicts: boolean[] = []

async function runMain(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<RecordingCore> {
  const core = new RecordingCore({ 'api-key': API_KEY, 'test-plan-id': '2048', 'base-url': sim.url, ...inputs })
  verdicts = []
  await run({
    core,
    env: { GITHUB_WORKSPACE: '/tmp/not-written', ...env },
    clock: new FakeClock(),
    onVerdict: passed => verdicts.push(passed)
  })
  return core
}

/** Every text the step handed the runner, but the mask itself. */
function everythingSaid(core: RecordingCore): string {
  return core.calls
    .filter(call => call.kind !== 'setSecret')
    .map(call => JSON.stringify(call))
    .join('\n')
}

describe('run (main.ts)', () => {
  it('masks the key before anything else, and ends a passed run green with the verdict last', async () => {
    const core = await runMain({})
    expect(core.calls[0]).toEqual({ kind: 'setSecret', message: API_KEY })
    expect(core.of('setFailed')).toEqual([])
    expect(core.calls.at(-1)).toEqual({
      kind: 'info',
      message: `Test plan "Checkout flow" run 337 SUCCESS: 5 passed of 5 — ${sim.url}/ui/td/runs/337`
    })
    expect(core.outputs()).toMatchObject({ 'run-id': '337', result: 'SUCCESS', 'passed-count': '5' })
    expect(core.of('summary')).toHaveLength(1)
    expect(core.of('summary')[0].markdown).toContain('### ✅ Testsigma: Checkout flow passed')
  })

  it('fails a failed run: outputs, one error per test that did not pass, the summary, then setFailed with the verdict', async () => {
    const core = await runMain({ 'test-plan-id': '4096' })
    const kinds = core.calls.map(call => call.kind)
    expect(kinds.indexOf('summary')).toBeGreaterThan(kinds.lastIndexOf('setOutput'))
    // From Testsigma's JSON results: the failed test told apart from the aborted one.
    expect(core.of('error').map(call => call.title)).toEqual([
      'Failed: Test case 4 (Chrome 120 on Windows 11)',
      'Aborted: Test case 5 (Chrome 120 on Windows 11)'
    ])
    expect(core.calls.at(-1)).toEqual({
      kind: 'setFailed',
      message: `Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${sim.url}/ui/td/runs/337`
    })
    expect(core.outputs()).toMatchObject({ result: 'FAILURE', 'failed-count': '1', 'aborted-count': '1' })
  })

  it('keeps a failed run green with fail-on-failure: false: warnings, and the verdict as a titled warning', async () => {
    const core = await runMain({ 'test-plan-id': '4096', 'fail-on-failure': 'false' })
    expect(core.of('setFailed')).toEqual([])
    expect(core.of('error')).toEqual([])
    expect(core.calls.at(-1)).toEqual({
      kind: 'warning',
      title: 'Test plan "Checkout flow" did not pass (fail-on-failure: false)',
      message: `Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5 — ${sim.url}/ui/td/runs/337`
    })
    expect(core.of('summary')[0].markdown).toContain('the step stays green because `fail-on-failure` is false')
  })

  it('refuses a bad input before sending anything', async () => {
    const core = await runMain({ 'test-plan-id': 'checkout' })
    expect(core.of('setFailed')).toEqual([
      {
        kind: 'setFailed',
        message:
          'Input "test-plan-id" must be the test plan\'s numeric id, got "checkout". Example: test-plan-id: 2048. ' +
          'Nothing was sent to Testsigma.'
      }
    ])
    expect(sim.requests).toEqual([])
    expect(core.of('summary')).toEqual([
      {
        kind: 'summary',
        markdown: [
          '### ⚠️ Testsigma: could not start',
          '',
          '**Could not start:** the input `test-plan-id` is not valid, so nothing was sent to Testsigma',
          '',
          '- Input "test-plan-id" must be the test plan\'s numeric id, got "checkout". Example: test-plan-id: 2048.',
          '',
          ''
        ].join('\n')
      }
    ])
  })

  it('masks the GitHub token too, and on a push event writes no comment but still gives the verdict', async () => {
    const core = await runMain(
      { 'pr-comment': 'true', 'github-token': 'ghs_main_token' },
      { GITHUB_EVENT_NAME: 'push' }
    )
    expect(core.calls.slice(0, 2)).toEqual([
      { kind: 'setSecret', message: API_KEY },
      { kind: 'setSecret', message: 'ghs_main_token' }
    ])
    expect(core.of('info').map(call => call.message)).toContain(
      'pr-comment is on, but this is a push event, not pull_request or pull_request_target: no comment'
    )
    expect(core.calls.at(-1)).toMatchObject({ kind: 'info', message: expect.stringContaining('SUCCESS') as string })
  })

  describe('on a merge_group event', () => {
    const HEAD = '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d'
    const queueEnv = (): Record<string, string> =>
      mergeGroupRunEnv({
        number: 104,
        headSha: HEAD,
        baseSha: 'b'.repeat(40),
        refSha: 'c'.repeat(40),
        apiUrl: 'https://api.github.com'
      })

    it('keeps a given build-number, and still names the queue entry in the log and the summary', async () => {
      const core = await runMain({ 'build-number': '1.4.2' }, queueEnv())
      expect(sim.requestsTo('trigger')[0].json).toEqual({ executionId: 2048, buildNo: '1.4.2' })
      expect(core.of('info').map(call => call.message)).toContain('Merge queue: pull request #104 into main at 2ffea6d')
      expect(core.of('summary')[0].markdown).toContain('**Merge queue:** [#104](https://github.com/octo/shop/pull/104)')
    })

    it('names nothing, warns of nothing and refuses nothing when the payload cannot be read', async () => {
      const env = { ...queueEnv(), GITHUB_EVENT_PATH: '/nonexistent/event.json' }
      const core = await runMain({}, env)
      expect(sim.requestsTo('trigger')[0].json).toEqual({ executionId: 2048 })
      expect(core.of('warning')).toEqual([])
      expect(core.of('setFailed')).toEqual([])
      expect(everythingSaid(core)).not.toContain('Merge queue')
    })
  })

  it('does not mask an unexpanded token expression, and runs without a comment', async () => {
    const core = await runMain({ 'github-token': '${{ github.token }}' })
    expect(core.of('setSecret')).toEqual([{ kind: 'setSecret', message: API_KEY }])
    expect(core.of('setFailed')).toEqual([])
  })

  it('tells the exit guard the verdict: green for a pass, red for a failure or a bad input', async () => {
    await runMain({})
    expect(verdicts).toEqual([true])
    await runMain({ 'test-plan-id': '4096' })
    expect(verdicts).toEqual([false])
    await runMain({ 'test-plan-id': 'x' })
    expect(verdicts).toEqual([false])
    await runMain({ 'test-plan-id': '4096', 'fail-on-failure': 'false' })
    expect(verdicts).toEqual([true])
  })

  it('warns that a poll interval below 1 s is raised to 1 s', async () => {
    const core = await runMain({ 'poll-interval-seconds': '0.001' })
    expect(core.of('warning').map(call => call.message)).toContain(
      'poll-interval-seconds: 0.001 is below the floor of 1 s; the status is read every 1 s instead'
    )
  })

  it('refuses a junit-report that a link leads out of the workspace, before sending anything', async () => {
    const root = scratchDir('main-junit')
    mkdirSync(path.join(root, 'workspace'))
    mkdirSync(path.join(root, 'outside'))
    symlinkSync(path.join(root, 'outside'), path.join(root, 'workspace', 'reports'))
    const core = await runMain({ 'junit-report': 'reports/ts.xml' }, { GITHUB_WORKSPACE: path.join(root, 'workspace') })
    expect(core.of('setFailed')[0].message).toMatch(
      /^Input "junit-report": "reports\/ts.xml" leads outside the workspace: .*Nothing was sent to Testsigma\.$/
    )
    expect(sim.requests).toEqual([])
    expect(readdirSync(path.join(root, 'outside'))).toEqual([])
  })

  it.each([
    ['status', { status: '\n::set-output name=result::SUCCESS' }],
    ['status', { status: '::stop-commands::pwned' }],
    ['result', { result: '::add-mask::SUCCESS' }],
    ['message', { message: '##[error]forged' }],
    ['plan name', { execution: { name: '\r::error::forged' } }]
  ])('lets no %s from the server become a workflow command', async (_, extra) => {
    sim.addPlan({
      id: '66',
      name: 'Evil',
      frames: [{ status: 'STATUS_COMPLETED', result: 'FAILURE', counts: { total: 1, failed: 1 }, extra }]
    })
    const core = await runMain({ 'test-plan-id': '66' })
    for (const call of core.calls) {
      if (!('message' in call) || call.kind === 'setSecret') continue
      // What @actions/core would print for it: the message itself (info) or after `::command::`.
      expect(call.message.split(/[\r\n]/)).toHaveLength(1)
      expect(call.message.startsWith('::')).toBe(false)
      expect(call.message).not.toContain('##[')
    }
  })

  it('removes the key a server echoes back from every message, output and the summary', async () => {
    sim.injectFault('status', {
      type: 'status',
      status: 500,
      body: `{"error": "Invalid token: Bearer ${API_KEY}"}`,
      contentType: 'application/json'
    })
    sim.addPlan({ ...passingPlan('77'), name: `Plan ${API_KEY}` })
    const core = await runMain({ 'test-plan-id': '77' })
    expect(core.of('warning')[0].message).toContain('Invalid token: Bearer ***')
    expect(everythingSaid(core)).not.toContain(API_KEY)
    expect(core.of('summary')[0].markdown).toContain('Plan \\*\\*\\*')
  })
})
