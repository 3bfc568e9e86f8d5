/**
 * RESULTS TAIL (issue 18): the time from the finished status read to the process's exit for a failed run, with the
 * tests read from Testsigma's JSON results (the case list, then the failing step of up to 25 tests, 4 at a time) and
 * with Testsigma's JUnit report (a server without the JSON results), for 5 and 50 failed tests. Targets: with 5,
 * the JSON source costs at most 1 s more than the JUnit report; with 50, it stays within the reporting budget
 * (src/fetch-tests.ts, 5 s).
 */
import { rm } from 'node:fs/promises'
import { failedTestsPlan } from '../sim/failing-tests.js'
import { finishedOnFirstRead } from '../sim/quick-plans.js'
import { startBundle } from '../sim/run-bundle.js'
import { TestsigmaSimulator } from '../sim/simulator.js'
import { RESULTS_BUDGET_MS } from '../src/fetch-tests.js'
import { API_KEY, BenchContext, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { ms, renderTable, spread } from './stats.js'

const FAILED = [5, 50] as const
const JSON_OVER_JUNIT_TARGET_MS = 1000

interface TailRow {
  source: 'JSON results' | 'JUnit report'
  failed: number
  tailsMs: number[]
  medianMs: number
}

/** One run: the bundle against a plan whose first status read is finished; finished read → exit, in ms. */
async function tailOnce(sim: TestsigmaSimulator, node: string, planId: string, problems: string[]): Promise<number> {
  const bundle = await startBundle({
    node,
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': planId,
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'junit-report': 'reports/testsigma-junit.xml'
    },
    killAfterMs: 60_000
  })
  let exitedAt = 0
  bundle.child.once('exit', () => (exitedAt = Date.now()))
  const result = await bundle.result
  await rm(result.workspace, { recursive: true, force: true })
  if (result.exitCode !== 1) problems.push(`plan ${planId}: exit code ${result.exitCode}, expected 1 (failed run)`)
  const finishedRead = sim.requests.filter(request => request.route === 'status').at(-1)
  if (finishedRead === undefined) {
    problems.push(`plan ${planId}: no status read`)
    return NaN
  }
  return exitedAt - finishedRead.at
}

export async function resultsTailFigure(context: BenchContext): Promise<Section> {
  const runs = context.settings.mode === 'full' ? 7 : 2
  const problems: string[] = []
  const rows: TailRow[] = []
  const load = startLoadProbe()
  for (const source of ['JUnit report', 'JSON results'] as const) {
    for (const failed of FAILED) {
      progress(`results tail: ${failed} failed tests from the ${source}, ${runs} runs`)
      const tailsMs: number[] = []
      for (let i = 0; i < runs; i++) {
        // A fresh server each run, so each run's requests are its own.
        const sim = await TestsigmaSimulator.start({
          apiKey: API_KEY,
          plans: [
            finishedOnFirstRead(
              failedTestsPlan({ id: '9001', devices: ['Chrome'], tests: failed + 2, failures: failed })
            )
          ],
          results: source === 'JSON results' ? {} : { caseList: false }
        })
        try {
          tailsMs.push(await tailOnce(sim, context.node, '9001', problems))
          const junitRead = sim.requestsTo('junit').length > 0
          if (junitRead !== (source === 'JUnit report'))
            problems.push(`${source}, ${failed}: the other source was read`)
        } finally {
          await sim.close()
        }
      }
      rows.push({ source, failed, tailsMs, medianMs: spread(tailsMs).median })
    }
  }
  const reading = load.stop()
  const median = (source: TailRow['source'], failed: number): number =>
    rows.find(row => row.source === source && row.failed === failed)?.medianMs ?? NaN
  const overJunit = median('JSON results', 5) - median('JUnit report', 5)
  const json50 = median('JSON results', 50)
  return {
    key: 'resultsTail',
    lines: [
      `RESULTS TAIL: failed run, finished status read → exit, median of ${runs} (${describeLoad(reading)})`,
      renderTable(
        ['source', 'failed tests', 'tail (median)', 'min–max'],
        rows.map(row => {
          const { min, max } = spread(row.tailsMs)
          return [row.source, String(row.failed), ms(row.medianMs), `${ms(min)}–${ms(max)}`]
        })
      )
    ],
    figures: { runs: rows },
    load: reading,
    targets: [
      {
        name: `JSON results ≤ JUnit report + ${JSON_OVER_JUNIT_TARGET_MS / 1000} s (5 failed tests)`,
        measured: `${ms(median('JSON results', 5))} vs ${ms(median('JUnit report', 5))} (${overJunit >= 0 ? '+' : ''}${ms(overJunit)})`,
        met: reading.heavy ? undefined : overJunit <= JSON_OVER_JUNIT_TARGET_MS,
        note: reading.heavy ? 'heavy load' : undefined
      },
      {
        name: `JSON results within the ${RESULTS_BUDGET_MS / 1000} s reporting budget (50 failed tests)`,
        measured: ms(json50),
        met: reading.heavy ? undefined : json50 <= RESULTS_BUDGET_MS,
        note: reading.heavy ? 'heavy load' : undefined
      }
    ],
    problems
  }
}
