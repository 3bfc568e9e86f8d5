/**
 * The JUnit step's budget (issue 17), through `runTestPlan` against the simulator: the report is read within what is
 * left of timeout-minutes (at most 20 s), a large one is announced before it is read, a report past the caps or a
 * cancelled reading is one warning, and the verdict stands.
 */
import { runTestPlan } from '../src/action.js'
import type { Config } from '../src/config.js'
import { fetchJunitReport } from '../src/fetch-report.js'
import { JunitReadCancelled, JunitReader, JunitReadLimits, readJunitHere } from '../src/report/junit-reader.js'
import type { JunitOptions } from '../src/report/junit.js'
import { decideVerdict } from '../src/report/verdict.js'
import type { StepDeps } from '../src/step.js'
import { manyCasesReport } from '../sim/reports.js'
import { failingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'

const API_KEY = 'ts-key-budget-3'
let sim: TestsigmaSimulator

// A server without Testsigma's JSON results (an older one): the JUnit report is where the tests come from.
beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [failingPlan('4096')], results: { caseList: false } })
})
afterEach(async () => sim.close())

/** A reader on this thread that records when it was told to get ready and the limits it was given. */
function recordingReader(): { reader: JunitReader; given: JunitReadLimits[]; prepared: number } {
  const recording = {
    given: [] as JunitReadLimits[],
    prepared: 0,
    reader: {
      prepare: () => (recording.prepared += 1),
      read: async (xml: string, options: JunitOptions, limits: JunitReadLimits) => {
        recording.given.push(limits)
        return readJunitHere.read(xml, options, limits)
      }
    }
  }
  return recording
}

async function run(config: Partial<Config> = {}, deps: Partial<StepDeps> = {}) {
  const step = stepDeps(sim, API_KEY, deps)
  const report = await runTestPlan(stepConfig(sim, API_KEY, { testPlanId: '4096', ...config }), step.deps)
  return { report, log: step.log }
}

describe('reading the JUnit report', () => {
  it('gets at most 20 s, and no more than is left of timeout-minutes', async () => {
    const long = recordingReader()
    await run({}, { readJunit: long.reader })
    expect(long.given.map(limits => limits.timeLimitMs)).toEqual([20_000])
    // Made ready while the run went on, once.
    expect(long.prepared).toBe(1)

    // The run takes three reads, 15 s apart: 45 s of the 50 s are gone.
    const short = recordingReader()
    const { report } = await run({ timeoutMs: 50_000 }, { readJunit: short.reader })
    expect(short.given.map(limits => limits.timeLimitMs)).toEqual([5000])
    expect(report.testCases).toHaveLength(5)
  })

  it('is not started when nothing is left of timeout-minutes: the verdict stands, one warning says why', async () => {
    const { report: finished } = await run()
    const step = stepDeps(sim, API_KEY)
    const config = stepConfig(sim, API_KEY, { testPlanId: '4096' })
    const facts = await fetchJunitReport(config, finished.state!, step.deps, step.deps.clock.now())
    expect(facts.testCases).toBeUndefined()
    expect(facts.reportWarning).toBe(
      'Failed tests are not listed: no time was left within timeout-minutes to read the JUnit report'
    )
  })

  it('announces a report of a MiB or more before reading it', async () => {
    sim.addPlan({ ...failingPlan('81'), junit: { body: manyCasesReport(40_000) } })
    const { report, log } = await run({ testPlanId: '81' })
    expect(log.messages('info')).toContain('Reading the JUnit report of run 337 (2 MiB)')
    expect(report.testCases).toHaveLength(40_000)
  })

  it('past its caps on a failed run: not read, one warning, the verdict stands', async () => {
    sim.addPlan({ ...failingPlan('82'), junit: { body: manyCasesReport(60_000) } })
    const { report, log } = await run({ testPlanId: '82' })
    const warning =
      'Failed tests are not listed: The JUnit report has more than 50,000 test cases, past what this action reads'
    expect(log.messages('warning')).toEqual([warning])
    expect(report).toMatchObject({ outcome: 'finished', reportWarning: warning, state: { result: 'FAILURE' } })
    expect(report.testCases).toBeUndefined()
    expect(decideVerdict(report).level).toBe('error')
  })

  it('cancelled by the job: one warning, the run still reported as finished', async () => {
    const cancelled: JunitReader = {
      prepare: () => undefined,
      read: () => Promise.reject(new JunitReadCancelled())
    }
    const { report, log } = await run({}, { readJunit: cancelled })
    expect(log.messages('warning')).toEqual([
      'Failed tests are not listed: the job was cancelled while the JUnit report was read'
    ])
    expect(report).toMatchObject({ outcome: 'finished', state: { result: 'FAILURE' } })
  })
})
