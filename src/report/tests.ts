/**
 * The one test model the reporting renders: the summary, the comment, the annotations, the `failed-tests` output and
 * the action's own JUnit file all read `ReportedTest` values, whichever source they came from. Two sources map into
 * it: Testsigma's JSON results (`testsFromResults`, with the result word, the failing step and the iterations) and
 * its JUnit report (`report/junit.ts` writes `ReportedTest`s directly, which cannot say more than "did not pass").
 * Pure.
 */
import type { FailingStep, TestCaseRun } from '../testsigma/test-results.js'
import { clip, oneLine } from '../text.js'
import type { TestOutcome } from './junit.js'

/**
 * How a test ended on one device, in this action's words. From the JSON results: `passed` (SUCCESS), `failed`
 * (FAILURE), `aborted` (ABORTED), `stopped` (STOPPED), `not-executed` (NOT_EXECUTED), `unknown` (a word new to this
 * action, kept in `result`). From a JUnit report: JUnit's own outcomes, and `not-passed` for Testsigma's report,
 * which gives every case that did not pass the same `<failure>`.
 */
export type ReportedOutcome = TestOutcome | 'aborted' | 'stopped' | 'not-executed' | 'unknown'

/** The first step that did not pass: its place among the test's steps (1 first), its text, and what it said. */
export interface ReportedStep {
  position: number
  action: string
  message?: string
}

/** A test's result on one device. */
export interface ReportedTest {
  name: string
  /** The device (Testsigma's `machineTitle`, or the JUnit suite's name); '' when not named. */
  device: string
  outcome: ReportedOutcome
  /** Testsigma's result word as it came (FAILURE, ABORTED, …); only from the JSON results. */
  result?: string
  /** The test suite, when the source names it. */
  suite?: string
  /** Why it did not pass, as the source says it: the JUnit failure's message. The JSON results' is in `step`. */
  failureMessage?: string
  /** The first failing step, when its steps were read. */
  step?: ReportedStep
  /** A data-driven test's iterations that did not pass, by data set name (`setName`). */
  failedIterations?: string[]
  /** The case's `time` from a JUnit report. */
  timeSeconds?: number
  /** The device's own `time` from a JUnit report. */
  deviceTimeSeconds?: number
}

/** Where the reported tests came from: Testsigma's JSON results, or its JUnit report. */
export type TestsSource = 'results' | 'junit'

// Maps, not objects: a server word is never looked up as a property.
const OUTCOMES = new Map<string, ReportedOutcome>([
  ['SUCCESS', 'passed'],
  ['FAILURE', 'failed'],
  ['ABORTED', 'aborted'],
  ['STOPPED', 'stopped'],
  ['NOT_EXECUTED', 'not-executed']
])

/** Testsigma's result word → the action's outcome; a word it does not know (QUEUED, a new one) is `unknown`. */
export function outcomeOf(result: string): ReportedOutcome {
  return OUTCOMES.get(result) ?? 'unknown'
}

/** The JSON results as reported tests, in Testsigma's order: each case with its failing step when it was read. */
export function testsFromResults(
  cases: readonly TestCaseRun[],
  failingSteps: ReadonlyMap<string, FailingStep>
): ReportedTest[] {
  return cases.map(testCase => {
    const test: ReportedTest = {
      name: testCase.name,
      device: testCase.device ?? '',
      outcome: outcomeOf(testCase.result),
      result: testCase.result
    }
    if (testCase.suite !== undefined) test.suite = testCase.suite
    if (testCase.failedIterations.length > 0 && testCase.iterations > 0) {
      test.failedIterations = testCase.failedIterations
    }
    const step = failingSteps.get(testCase.caseResultId)
    if (step !== undefined) {
      test.step = { position: step.position, action: step.action }
      if (step.message !== undefined) test.step.message = step.message
    }
    return test
  })
}

/** Whether the test did not pass: any outcome but passed and skipped. */
export function didNotPass(test: ReportedTest): boolean {
  return test.outcome !== 'passed' && test.outcome !== 'skipped'
}

const OUTCOME_WORDS: Record<ReportedOutcome, string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  skipped: 'skipped',
  'not-passed': 'did not pass',
  aborted: 'aborted',
  stopped: 'stopped',
  'not-executed': 'not executed',
  unknown: 'ended'
}

// A word this action does not know is shown quoted, up to this long.
const UNKNOWN_WORD_LIMIT = 60

/** "failed", "aborted", "not executed", …; a result word new to this action quoted as it came. */
export function outcomeWords(test: ReportedTest): string {
  if (test.outcome !== 'unknown') return OUTCOME_WORDS[test.outcome]
  const word = test.result ?? ''
  return word === '' ? 'no result' : `"${clip(oneLine(word), UNKNOWN_WORD_LIMIT)}"`
}

/** The failing step's action text is clipped to this in the reason; the message to `limit`. */
const ACTION_LIMIT = 160

/**
 * Why the test did not pass, in plain text (the caller escapes it): `Step 4 "Select the radio button": "Unable to
 * perform click…"`, with the data sets that did not pass first (`Data sets "card-visa", "card-amex"; step 4 …`);
 * the JUnit failure's message as it came when that is all there is; undefined when nothing is known.
 */
export function reasonOf(test: ReportedTest, limit = 1000): string | undefined {
  const parts: string[] = []
  if (test.failedIterations !== undefined && test.failedIterations.length > 0) {
    const sets = test.failedIterations.slice(0, 5).map(name => `"${clip(oneLine(name), 80)}"`)
    const more = test.failedIterations.length > 5 ? ` and ${test.failedIterations.length - 5} more` : ''
    parts.push(`Data set${test.failedIterations.length === 1 ? '' : 's'} ${sets.join(', ')}${more}`)
  }
  if (test.step !== undefined) {
    const { position, action, message } = test.step
    const said = message === undefined ? '' : `: "${oneLine(message)}"`
    parts.push(`${parts.length === 0 ? 'Step' : 'step'} ${position} "${clip(oneLine(action), ACTION_LIMIT)}"${said}`)
  } else if (test.failureMessage !== undefined) {
    parts.push(test.failureMessage)
  }
  return parts.length === 0 ? undefined : clip(parts.join('; '), limit)
}

/** The counts of one device's tests, in the order the tests name the devices. */
export interface DeviceCounts {
  device: string
  total: number
  passed: number
  /** Tests that did not pass, by their outcome, in the order first seen. */
  notPassed: Map<ReportedOutcome, number>
  skipped: number
  /** The suite's `time` when given, else the cases' times added up (JUnit only; 0 when unknown). */
  timeSeconds: number
}

/** Counts per device, devices in the order the tests name them. */
export function countByDevice(tests: readonly ReportedTest[]): DeviceCounts[] {
  const byDevice = new Map<string, DeviceCounts & { suiteTime?: number }>()
  for (const test of tests) {
    let counts = byDevice.get(test.device)
    if (counts === undefined) {
      counts = {
        device: test.device,
        total: 0,
        passed: 0,
        notPassed: new Map(),
        skipped: 0,
        timeSeconds: 0,
        suiteTime: test.deviceTimeSeconds
      }
      byDevice.set(test.device, counts)
    }
    counts.suiteTime ??= test.deviceTimeSeconds
    counts.total += 1
    if (test.outcome === 'passed') counts.passed += 1
    else if (test.outcome === 'skipped') counts.skipped += 1
    else counts.notPassed.set(test.outcome, (counts.notPassed.get(test.outcome) ?? 0) + 1)
    counts.timeSeconds += test.timeSeconds ?? 0
  }
  return [...byDevice.values()].map(({ suiteTime, ...counts }) =>
    suiteTime === undefined ? counts : { ...counts, timeSeconds: suiteTime }
  )
}
