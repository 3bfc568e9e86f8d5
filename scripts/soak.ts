/**
 * `npm run soak`: the fault soak. fast-check draws cases (sim/soak/case.ts: fault schedules for every route,
 * plan scripts, inputs, junit-report traps, signals at random times), each is run against dist/index.js as
 * the runner runs it (sim/soak/run-case.ts), and the invariants of sim/soak/invariants.ts are checked
 * on every case. Several cases run at once: the work is mostly waiting on timers and sockets.
 *
 *   npm run soak                              2000 cases (about 15 minutes on 2 cores)
 *   npm run soak -- --cases 300               a short soak (what .ci/run runs)
 *   npm run soak -- --seed 1234 --path 0      replays one case exactly, printing its log
 *
 * Options: --seed S (case i uses seed S + i; default: from the clock, printed), --concurrency N (default 8),
 * --shrink (on a failure, let fast-check look for a smaller failing case; slow: each try is a process),
 * --bundle PATH (soak another build of the action, e.g. an older release's dist/index.js).
 * Exits 1 when any invariant failed, after printing each failure with the command that replays it.
 */
import { parseArgs } from 'node:util'
import fc from 'fast-check'
import { soakCaseArbitrary, SoakCase } from '../sim/soak/case.js'
import { hostilityOf } from '../sim/soak/hostile-case.js'
import { checkInvariants, InvariantCheck } from '../sim/soak/invariants.js'
import { runCase } from '../sim/soak/run-case.js'
import { removeScratchDirs } from '../sim/scratch.js'

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    shrink: { type: 'boolean', default: false },
    bundle: { type: 'string' }
  }
})

interface Failure {
  seed: number
  path: string
  soakCase: SoakCase
  failed: InvariantCheck[]
  log: string
}

let checks = 0
/** How the cases ended, to show the soak reached every kind of ending. */
const endings = new Map<string, number>()
/** The first seed that ended each way, to replay one of each. */
const endingSeeds = new Map<string, number>()
/** The plans the cases ran, to show the soak reached every kind of run (re-run chains among them). */
const shapes = new Map<string, number>()
/** What became of the pull-request comment in the cases that asked for one. */
const comments = new Map<string, number>()
/** The cases of sim/soak/other-runs.ts: answers about other runs, lost triggers, the server. */
const otherRuns = new Map<string, number>()
/** The case that ended longest after its timeout-minutes (the time invariant's margin is 5 s). */
let latest = { pastMs: -Infinity, seed: undefined as number | undefined }

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
/** The hostile server text the cases served (sim/soak/hostile-case.ts). */
const hostility = new Map<string, number>()
// Where the finished runs' tests came from (issue 18), by the results' server and whether it served faults.
const testSources = new Map<string, number>()

function commentOutcomeOf(stdout: string): string {
  if (/^Pull-request comment (created|updated)/m.test(stdout)) return 'comment written'
  if (stdout.includes('Could not write the pull-request comment')) return 'comment not written: a warning'
  return 'no comment: the step ended before it'
}

function endingOf(record: { exitCode: number | null; signal: string | null; stdout: string }): string {
  if (record.signal !== null) return `ended by ${record.signal}`
  if (record.exitCode === 0) {
    if (record.stdout.includes('fail-on-failure: false')) return 'green, did not pass (fail-on-failure: false)'
    return / SUCCESS on re-run \d+/.test(record.stdout) ? 'green on a re-run' : 'green'
  }
  const verdict =
    record.stdout
      .split('\n')
      .filter(line => line.startsWith('::error::'))
      .at(-1) ?? ''
  if (verdict.includes('Nothing was sent to Testsigma')) return 'red: input refused'
  if (verdict.includes('did not finish within the timeout')) return 'red: timed out'
  if (verdict.includes('the job was cancelled')) return 'red: cancelled'
  if (verdict.includes('without a verdict')) return 'red: ended without a verdict'
  if (/ run \d+ [A-Z_]+: /.test(verdict)) return 'red: finished, did not pass'
  return 'red: a request failed'
}

/** Which source the step's log names for the tests, in a few words. */
function testSourceOf(stdout: string): string {
  if (stdout.includes("from Testsigma's JSON test results")) return 'JSON results'
  if (stdout.includes('reading its JUnit report')) return 'JUnit report instead'
  return 'no tests read'
}

function resultsSetupOf(soakCase: SoakCase): string {
  const { results } = soakCase
  if (results === undefined) return 'both, no faults'
  const faults = results.faults.cases.length + results.faults.steps.length
  return `${results.server}, ${faults === 0 ? 'no faults' : 'faults'}`
}

/** Runs the case and checks it; throws with the failed invariants, as fast-check wants a failing property. */
async function property(soakCase: SoakCase, seed?: number): Promise<{ failed: InvariantCheck[]; log: string }> {
  const record = await runCase(soakCase, values.bundle)
  const ending = endingOf(record)
  endings.set(ending, (endings.get(ending) ?? 0) + 1)
  if (seed !== undefined && !endingSeeds.has(ending)) endingSeeds.set(ending, seed)
  const shape =
    soakCase.shape === 're-runs' ? `re-runs (${soakCase.reRun.result}, ${soakCase.reRun.consolidated})` : soakCase.shape
  shapes.set(shape, (shapes.get(shape) ?? 0) + 1)
  for (const kind of hostilityOf(soakCase.hostile)) hostility.set(kind, (hostility.get(kind) ?? 0) + 1)
  if (soakCase.comment !== undefined) {
    const outcome = commentOutcomeOf(record.stdout)
    comments.set(outcome, (comments.get(outcome) ?? 0) + 1)
  }
  for (const answer of new Set(soakCase.otherRuns.answers)) count(otherRuns, `answer: ${answer}`)
  if (soakCase.faults.trigger.some(fault => fault.type === 'after-acting')) {
    const found = /^::warning::The trigger's answer was lost/m.test(record.stdout)
    count(otherRuns, `lost trigger, ${soakCase.otherRuns.server}${found ? ', its run found and followed' : ''}`)
  }
  count(otherRuns, `server: ${soakCase.otherRuns.server}`)
  count(testSources, `${testSourceOf(record.stdout)} (${resultsSetupOf(soakCase)})`)
  if (record.elapsedMs - record.timeoutMs > latest.pastMs) {
    latest = { pastMs: record.elapsedMs - record.timeoutMs, seed }
  }
  const results = checkInvariants(record)
  checks += results.length
  return { failed: results.filter(result => !result.ok), log: record.stdout }
}

const asyncProperty = fc.asyncProperty(soakCaseArbitrary, async soakCase => {
  const { failed } = await property(soakCase)
  if (failed.length > 0) throw new Error(failed.map(check => `${check.invariant}: ${check.detail ?? ''}`).join('; '))
})

function describeCase(soakCase: SoakCase): string {
  return JSON.stringify(soakCase, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 120 ? `${value.slice(0, 40)}… (${value.length} chars)` : value
  )
}

async function replay(seed: number, replayPath: string): Promise<number> {
  const [soakCase] = fc.sample(soakCaseArbitrary, { seed, numRuns: 1, path: replayPath })
  console.log(`Replaying seed ${seed}, path ${replayPath}:\n${describeCase(soakCase)}\n`)
  const { failed, log } = await property(soakCase)
  console.log(log)
  for (const check of failed) console.log(`FAILED ${check.invariant}: ${check.detail ?? ''}`)
  console.log(failed.length === 0 ? 'All invariants hold.' : `${failed.length} invariant(s) failed.`)
  return failed.length === 0 ? 0 : 1
}

async function soak(cases: number, baseSeed: number, concurrency: number): Promise<number> {
  const started = performance.now()
  const failures: Failure[] = []
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cases; i = next++) {
      const seed = baseSeed + i
      const [soakCase] = fc.sample(soakCaseArbitrary, { seed, numRuns: 1 })
      const { failed, log } = await property(soakCase, seed)
      if (failed.length > 0) {
        failures.push({ seed, path: '0', soakCase, failed, log })
        console.log(`case ${i} (seed ${seed}) FAILED: ${failed.map(check => check.invariant).join(', ')}`)
      }
      done += 1
      if (done % 25 === 0) {
        console.log(
          `${done}/${cases} cases, ${failures.length} failed, ${Math.round((performance.now() - started) / 1000)} s`
        )
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))

  if (values.shrink) {
    for (const failure of failures) {
      const result = await fc.check(asyncProperty, { seed: failure.seed, numRuns: 1 })
      if (result.failed && result.counterexamplePath !== null) failure.path = result.counterexamplePath
    }
  }

  const seconds = Math.round((performance.now() - started) / 100) / 10
  console.log(
    `\nSoak: ${cases} cases, ${checks} invariant checks, ${failures.length} failed, ${seconds} s wall time ` +
      `(seeds ${baseSeed}…${baseSeed + cases - 1}, ${concurrency} at a time)`
  )
  console.log('How the cases ended:')
  for (const [ending, count] of [...endings.entries()].sort((a, b) => b[1] - a[1])) {
    const example = endingSeeds.get(ending)
    console.log(`  ${String(count).padStart(6)}  ${ending}${example === undefined ? '' : ` (first: seed ${example})`}`)
  }
  console.log('The runs they ran:')
  for (const [shape, count] of [...shapes.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(count).padStart(6)}  ${shape}`)
  }
  console.log('The pull-request comments (pull_request events with pr-comment: true):')
  for (const [outcome, count] of [...comments.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(count).padStart(6)}  ${outcome}`)
  }
  if (latest.seed !== undefined) {
    const past = latest.pastMs >= 0 ? `${Math.round(latest.pastMs)} ms past` : `${Math.round(-latest.pastMs)} ms before`
    console.log(`The latest end: ${past} timeout-minutes (seed ${latest.seed}; the margin is 5 s)`)
  }
  console.log('Answers about other runs, lost triggers, servers (sim/soak/other-runs.ts):')
  for (const [what, n] of [...otherRuns.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(n).padStart(6)}  ${what}`)
  }
  console.log("Where the tests came from (Testsigma's JSON results, else its JUnit report), by the results' server:")
  for (const [what, n] of [...testSources.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(n).padStart(6)}  ${what}`)
  }
  console.log('The hostile server text they served (a report that held the step, markup in a field):')
  for (const [kind, count] of [...hostility.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(count).padStart(6)}  ${kind}`)
  }
  for (const failure of failures) {
    console.log(
      `\nFAILED seed ${failure.seed}, path ${failure.path}: npm run soak -- --seed ${failure.seed} --path ${failure.path}`
    )
    for (const check of failure.failed) console.log(`  ${check.invariant}: ${check.detail ?? ''}`)
    console.log(`  case: ${describeCase(failure.soakCase)}`)
    console.log(
      `  last log lines:\n${failure.log
        .split('\n')
        .slice(-8)
        .map(line => `    ${line}`)
        .join('\n')}`
    )
  }
  return failures.length === 0 ? 0 : 1
}

const seed = values.seed === undefined ? Date.now() % 1_000_000_000 : Number(values.seed)
const code =
  values.path !== undefined
    ? await replay(seed, values.path)
    : await soak(Number(values.cases), seed, Math.max(1, Number(values.concurrency)))
// The workspaces' parent (each case removes its own workspace).
removeScratchDirs()
process.exit(code)
