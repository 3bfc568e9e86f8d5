/**
 * The Testsigma simulator as a process, for CI's job that runs the action with `uses: ./` (and for trying the
 * action by hand with `npm run local-action`). Prints the URL once it listens, then serves until killed.
 *
 *   npx tsx sim/cli.ts pass --port 8090          test plan 2048 passes (5 of 5) on the third status read
 *   npx tsx sim/cli.ts fail --port 8091          test plan 2048 fails (3 passed, 1 failed, 1 aborted of 5)
 *   npx tsx sim/cli.ts rerun --port 8092         test plan 2048 fails, then passes on its re-run
 *
 * Options: --port (default: any free port), --api-key (default: sim-api-key), --plan-id (default: 2048),
 * --open-source (answer as the self-hosted open-source server).
 */
import { parseArgs } from 'node:util'
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from './simulator.js'

const usage = 'usage: tsx sim/cli.ts pass|fail|rerun [--port N] [--api-key KEY] [--plan-id ID] [--open-source]'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string', default: 'sim-api-key' },
    'plan-id': { type: 'string', default: '2048' },
    'open-source': { type: 'boolean', default: false }
  }
})

const SCENARIOS: Record<string, (id: string) => PlanScript> = {
  pass: id => passingPlan(id),
  fail: id => failingPlan(id),
  rerun: id => reRunPlan(id, { appearAfter: 1 })
}
const scenario = positionals[0]
const port = Number(values.port)
if (scenario === undefined || !(scenario in SCENARIOS) || positionals.length > 1 || !Number.isInteger(port)) {
  console.error(usage)
  process.exit(2)
}

const plan = SCENARIOS[scenario](values['plan-id'])
const dialect = values['open-source'] ? 'open-source' : 'cloud'
const simulator = await TestsigmaSimulator.start({ apiKey: values['api-key'], plans: [plan], port, dialect })
console.log(`Testsigma simulator (${scenario}, test plan ${plan.id}, ${dialect}) listening at ${simulator.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing after ${simulator.requests.length} requests`)
    void simulator.close().then(() => process.exit(0))
  })
}
