/**
 * `npm run demo`: runs the bundled action (dist/index.js) against the Testsigma simulator on loopback,
 * as the runner would, and prints its log, its outputs and the job summary markdown.
 *
 *   npm run demo             a failing run (3 passed, 1 failed, 1 aborted of 5)
 *   npm run demo -- pass     a passing run
 *   npm run demo -- rerun    a run that fails, is re-run (its failed tests only) a read later, and passes on the re-run
 */
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { runBundle } from '../sim/run-bundle.js'
import { removeScratchDirs } from '../sim/scratch.js'

const SCENARIOS: Record<string, () => PlanScript> = {
  fail: () => failingPlan(),
  pass: () => passingPlan(),
  rerun: () => reRunPlan('2048', { appearAfter: 1 })
}
const scenario = process.argv[2] !== undefined && process.argv[2] in SCENARIOS ? process.argv[2] : 'fail'
const plan = SCENARIOS[scenario]()
const simulator = await TestsigmaSimulator.start({ apiKey: 'demo-api-key', plans: [plan] })

console.log(`Testsigma simulator listening at ${simulator.url}; running dist/index.js (${scenario} scenario)\n`)
console.log('── action log ─────────────────────────────────────────')
const result = await runBundle({
  inputs: {
    'api-key': 'demo-api-key',
    'test-plan-id': plan.id,
    'base-url': simulator.url,
    'build-number': 'demo-1',
    'poll-interval-seconds': '1',
    'junit-report': 'reports/testsigma-junit.xml'
  },
  onStdout: chunk => process.stdout.write(chunk)
})
await simulator.close()
// The run's workspace (the JUnit file the demo asked for): its output and summary are printed below.
removeScratchDirs()

console.log(`\n── exit code: ${result.exitCode} ───────────────────────────────────`)
console.log('── outputs ────────────────────────────────────────────')
for (const [name, value] of Object.entries(result.outputs)) console.log(`${name}=${value}`)
console.log('── job summary (markdown) ─────────────────────────────')
console.log(result.summary)
