/**
 * Which Node runs the bundle. GitHub's runners run `node20` actions on Node 24, so CI runs the end-to-end
 * tests twice: with this process's Node, and with ACTION_NODE pointing at a Node 24 binary (.ci/run sets it,
 * with ACTION_NODE_VERSION naming the version it expects). This test proves the second run really used it.
 */
import { execFileSync } from 'node:child_process'
import { startBundle } from '../../sim/run-bundle.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-node-version-e2e'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [finishedOnFirstRead(passingPlan('2048'))] })
})
afterEach(async () => sim.close())

it('runs dist/index.js on the Node that ACTION_NODE names (else this one) and passes a passing run', async () => {
  const bundle = await startBundle({
    inputs: { 'api-key': API_KEY, 'test-plan-id': '2048', 'base-url': sim.url, 'poll-interval-seconds': '1' }
  })
  const result = await bundle.result

  expect(result.exitCode).toBe(0)
  expect(result.outputs.result).toBe('SUCCESS')

  const actionNode = process.env.ACTION_NODE
  expect(bundle.child.spawnfile).toBe(actionNode ?? process.execPath)
  const ranOn = execFileSync(bundle.child.spawnfile, ['--version'], { encoding: 'utf8' }).trim()
  expect(ranOn).toMatch(/^v\d+\.\d+\.\d+$/)
  // Run by hand without ACTION_NODE_VERSION, any Node version will do; .ci/run names the one it installed.
  const expected = actionNode === undefined ? process.version : (process.env.ACTION_NODE_VERSION ?? ranOn)
  expect(ranOn).toBe(expected)
})
