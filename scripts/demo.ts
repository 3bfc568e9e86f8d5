/**
 * `npm run demo`: runs the bundled action (dist/index.js) against the Testsigma simulator on loopback,
 * as the runner would, and prints its log, its outputs, the job summary markdown and the JUnit report.
 *
 *   npm run demo             the fail scenario: a failing run, so the action exits 1 (a red step) on purpose
 *   npm run demo -- pass     a passing run
 *   npm run demo -- rerun    a run that fails, is re-run (its failed tests only) a read later, and passes on the re-run
 *   npm run demo -- mobile   a 40 MB APK uploaded as a new version of "Shop Android", processed for two reads, then run
 *   npm run demo -- fail --keep   keeps the run's workspace (the JUnit file) instead of removing it at the end
 *
 * An unknown scenario is refused with the list of known ones. The demo itself exits 0 when the action ended as
 * its scenario says it should (exit 1 for `fail`), and 1 when it did not.
 */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { writeAppArchive } from '../sim/app-archive.js'
import { failingPlan, passingPlan, PlanScript, reRunPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { runBundle } from '../sim/run-bundle.js'
import { removeScratchDirs } from '../sim/scratch.js'

interface Scenario {
  plan: () => PlanScript
  /** What the run is, in a line. */
  says: string
  /** The exit code the action must end with: 1 is a red step, which is the point of `fail`. */
  exitCode: 0 | 1
  mobile?: boolean
}

const SCENARIOS: Record<string, Scenario> = {
  fail: {
    plan: () => failingPlan(),
    says: 'a run that fails (3 passed, 1 failed, 1 aborted of 5): the action exits 1, a red step, on purpose',
    exitCode: 1
  },
  pass: { plan: () => passingPlan(), says: 'a run that passes (5 of 5): the action exits 0', exitCode: 0 },
  rerun: {
    plan: () => reRunPlan('2048', { appearAfter: 1 }),
    says: 'a run that fails, then passes on its re-run of the failed tests: the action exits 0',
    exitCode: 0
  },
  mobile: {
    plan: () => ({ ...passingPlan('3071', 'Shop Android smoke'), devices: ['Pixel 8', 'Galaxy S23'] }),
    says: 'a 40 MB APK uploaded as a new version of "Shop Android", processed, then run on two phones: exits 0',
    exitCode: 0,
    mobile: true
  }
}
const DEFAULT_SCENARIO = 'fail'

function usage(): string {
  return [
    'usage: npm run demo [-- <scenario>] [--keep]',
    'scenarios:',
    ...Object.entries(SCENARIOS).map(
      ([name, { says }]) => `  ${name.padEnd(7)} ${says}${name === DEFAULT_SCENARIO ? ' (the default)' : ''}`
    ),
    "--keep: keep the run's workspace (the JUnit file) instead of removing it at the end"
  ].join('\n')
}

function readArgs(): { positionals: string[]; keep: boolean } {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { keep: { type: 'boolean', default: false } }
    })
    return { positionals, keep: values.keep }
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage()}`)
    process.exit(2)
  }
}

const { positionals, keep } = readArgs()
const [named, ...extra] = positionals
const refusal =
  extra.length > 0
    ? `One scenario at a time, not "${positionals.join(' ')}".`
    : named !== undefined && !Object.hasOwn(SCENARIOS, named)
      ? `Unknown scenario "${named}". Known scenarios: ${Object.keys(SCENARIOS).join(', ')}.`
      : undefined
if (refusal !== undefined) {
  console.error(`${refusal}\n${usage()}`)
  process.exit(2)
}
const name = named ?? DEFAULT_SCENARIO
const scenario = SCENARIOS[name]

console.log(`Scenario ${name}${named === undefined ? ' (the default; npm run demo -- pass for a green one)' : ''}:`)
console.log(`  ${scenario.says}.\n`)

const plan = scenario.plan()
const simulator = await TestsigmaSimulator.start({ apiKey: 'demo-api-key', plans: [plan] })
if (scenario.mobile === true) simulator.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 2 } })
const APK = 'app/build/outputs/apk/debug/app-debug.apk'
const JUNIT = 'reports/testsigma-junit.xml'

console.log(`Testsigma simulator listening at ${simulator.url}; running dist/index.js as the runner does\n`)
console.log('── action log ─────────────────────────────────────────')
let exitCode: number | null
try {
  const result = await runBundle({
    inputs: {
      'api-key': 'demo-api-key',
      'test-plan-id': plan.id,
      'base-url': simulator.url,
      'build-number': 'demo-1',
      'poll-interval-seconds': '1',
      'junit-report': JUNIT,
      ...(scenario.mobile === true ? { 'app-file': APK, 'app-upload': 'Shop Android', 'app-devices': '101, 102' } : {})
    },
    prepareWorkspace: async workspace => {
      if (scenario.mobile !== true) return
      await mkdir(path.join(workspace, path.dirname(APK)), { recursive: true })
      await writeAppArchive(path.join(workspace, APK), 'apk', 40 * 1024 * 1024)
    },
    onStdout: chunk => process.stdout.write(chunk)
  })
  exitCode = result.exitCode

  console.log(`\n── exit code: ${result.exitCode} ───────────────────────────────────`)
  console.log('── outputs ────────────────────────────────────────────')
  for (const [output, value] of Object.entries(result.outputs)) console.log(`${output}=${value}`)
  console.log('── job summary (markdown) ─────────────────────────────')
  console.log(result.summary)
  const junit = path.join(result.workspace, JUNIT)
  console.log(`── JUnit report (${JUNIT} in the run's workspace) ───────`)
  console.log(await readFile(junit, 'utf8').catch(() => '(none was written)'))
  console.log(
    keep
      ? `The run's workspace is kept: ${result.workspace}`
      : `The run's workspace (${result.workspace}) is a temporary folder, removed now; --keep keeps it.`
  )
} finally {
  await simulator.close()
  if (!keep) removeScratchDirs()
}

if (exitCode === scenario.exitCode) {
  console.log(`\nThe action exited ${exitCode}, as the ${name} scenario should.`)
} else {
  console.error(`\nThe action exited ${exitCode}, but the ${name} scenario should exit ${scenario.exitCode}.`)
  process.exitCode = 1
}
