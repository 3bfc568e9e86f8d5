/**
 * `main.ts` from source: the real inputs parsing, client, orchestration and publication against the
 * Testsigma simulator, with a core-shaped recorder in place of `@actions/core` and a fake clock.
 */
import { run } from '../src/main.js'
import { failingPlan, passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { RecordingCore } from './helpers/core.js'
import { FakeClock } from './helpers/fake-clock.js'

const API_KEY = 'ts-key-main-41'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048'), failingPlan('4096')] })
})
afterEach(async () => sim.close())

async function runMain(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<RecordingCore> {
  const core = new RecordingCore({ 'api-key': API_KEY, 'test-plan-id': '2048', 'base-url': sim.url, ...inputs })
  await run({ core, env: { GITHUB_WORKSPACE: '/tmp/not-written', ...env }, clock: new FakeClock() })
  return core
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
    expect(core.of('error').map(call => call.title)).toEqual([
      'Did not pass: Test case 4 (Chrome 120 on Windows 11)',
      'Did not pass: Test case 5 (Chrome 120 on Windows 11)'
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

  it('does not mask an unexpanded token expression, and runs without a comment', async () => {
    const core = await runMain({ 'github-token': '${{ github.token }}' })
    expect(core.of('setSecret')).toEqual([{ kind: 'setSecret', message: API_KEY }])
    expect(core.of('setFailed')).toEqual([])
  })
})
