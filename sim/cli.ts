/**
 * The Testsigma simulator as a process, for CI's job that runs the action with `uses: ./` (and for trying the
 * action by hand with `npm run local-action`). Prints the URL once it listens, then serves until killed.
 *
 *   npx tsx sim/cli.ts pass --port 8090          test plan 2048 passes (5 of 5) on the third status read
 *   npx tsx sim/cli.ts fail --port 8091          test plan 2048 fails (3 passed, 1 failed, 1 aborted of 5)
 *
 * Options: --port (default: any free port), --api-key (default: sim-api-key), --plan-id (default: 2048).
 */
import { parseArgs } from 'node:util'
import { failingPlan, passingPlan, TestsigmaSimulator } from './simulator.js'

const usage = 'usage: tsx sim/cli.ts pass|fail [--port N] [--api-key KEY] [--plan-id ID]'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string', default: 'sim-api-key' },
    'plan-id': { type: 'string', default: '2048' }
  }
})

const scenario = positionals[0]
const port = Number(values.port)
if ((scenario !== 'pass' && scenario !== 'fail') || positionals.length > 1 || !Number.isInteger(port)) {
  console.error(usage)
  process.exit(2)
}

const plan = scenario === 'pass' ? passingPlan(values['plan-id']) : failingPlan(values['plan-id'])
const simulator = await TestsigmaSimulator.start({ apiKey: values['api-key'], plans: [plan], port })
console.log(`Testsigma simulator (${scenario}, test plan ${plan.id}) listening at ${simulator.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing after ${simulator.requests.length} requests`)
    void simulator.close().then(() => process.exit(0))
  })
}
