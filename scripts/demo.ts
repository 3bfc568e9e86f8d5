/**
 * `npm run demo`: runs the bundled action (dist/index.js) against the Testsigma simulator on loopback,
 * as the runner would, and prints its log, its outputs and the job summary markdown.
 *
 *   npm run demo             a failing run (3 passed, 1 failed, 1 aborted of 5)
 *   npm run demo -- pass     a passing run
 *   npm run demo -- rerun    a run that fails, is re-run (its failed tests only) a read later, and passes on the re-run
 *   npm run demo -- mobile   a 40 MB APK uploaded as a new version of "Shop Android", processed for two reads, then run
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeAppArchive } from '../sim/app-archive.js'
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { runBundle } from '../sim/run-bundle.js'
import { removeScratchDirs } from '../sim/scratch.js'

const SCENARIOS: Record<string, () => PlanScript> = {
  fail: () => failingPlan(),
  pass: () => passingPlan(),
  rerun: () => reRunPlan('2048', { appearAfter: 1 }),
  mobile: () => ({ ...passingPlan('3071', 'Shop Android smoke'), devices: ['Pixel 8', 'Galaxy S23'] })
}
const scenario = process.argv[2] !== undefined && process.argv[2] in SCENARIOS ? process.argv[2] : 'fail'
const plan = SCENARIOS[scenario]()
const simulator = await TestsigmaSimulator.start({ apiKey: 'demo-api-key', plans: [plan] })
const mobile = scenario === 'mobile'
if (mobile) simulator.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 2 } })
const APK = 'app/build/outputs/apk/debug/app-debug.apk'

console.log(`Testsigma simulator listening at ${simulator.url}; running dist/index.js (${scenario} scenario)\n`)
console.log('── action log ─────────────────────────────────────────')
const result = await runBundle({
  inputs: {
    'api-key': 'demo-api-key',
    'test-plan-id': plan.id,
    'base-url': simulator.url,
    'build-number': 'demo-1',
    'poll-interval-seconds': '1',
    'junit-report': 'reports/testsigma-junit.xml',
    ...(mobile ? { 'app-file': APK, 'app-upload': 'Shop Android', 'app-devices': '101, 102' } : {})
  },
  prepareWorkspace: async workspace => {
    if (!mobile) return
    await mkdir(path.join(workspace, path.dirname(APK)), { recursive: true })
    await writeAppArchive(path.join(workspace, APK), 'apk', 40 * 1024 * 1024)
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
