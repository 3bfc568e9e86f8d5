import { clip, oneLine } from '../text.js'
import { didNotPass, outcomeWords, reasonOf, ReportedOutcome, ReportedTest } from './tests.js'
import type { RunReport } from './report.js'
import type { Verdict } from './verdict.js'

/** One workflow annotation: `core.error`, `core.warning` or `core.notice` with this title and message. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  title: string
  message: string
}

/** GitHub shows at most this many error (and warning) annotations per step, and drops the rest without a word. */
export const ANNOTATIONS_PER_STEP = 10

export interface AnnotationPlan {
  /**
   * `error` when the step fails; `warning` when it stays green (`fail-on-failure: false`), so the
   * annotations agree with the step's colour.
   */
  level: 'error' | 'warning'
  /** How many annotations of that level the failed tests may take: the verdict needs one too. */
  limit: number
  runUrl?: string
}

// A stack trace can be long; an annotation is for reading, the JUnit report has the rest.
const MESSAGE_LIMIT = 4000
const TITLE_PART_LIMIT = 120

/**
 * One annotation per test that did not pass, its devices together (a test that failed on three devices is one
 * annotation), at most `plan.limit`, then one notice saying how many more there are. The title says how it ended
 * and where; the message why (the failing step and its message, else the JUnit report's message). Pure: the caller
 * emits them.
 */
export function failedTestAnnotations(cases: readonly ReportedTest[], plan: AnnotationPlan): Annotation[] {
  const failed = groupByName(cases.filter(didNotPass))
  const shown = failed.slice(0, Math.max(0, plan.limit))
  const annotations: Annotation[] = shown.map(tests => ({
    level: plan.level,
    title: groupTitle(tests),
    message: clip(groupMessage(tests), MESSAGE_LIMIT)
  }))
  const more = failed.length - shown.length
  if (more > 0) {
    const where = plan.runUrl === undefined ? 'the job summary' : `the job summary and the Testsigma run ${plan.runUrl}`
    // Only "failed" when every one of them failed (a Testsigma-written JUnit report cannot say how).
    const neutral = !cases.filter(didNotPass).every(test => test.outcome === 'failed' || test.outcome === 'error')
    annotations.push({
      level: 'notice',
      title: neutral
        ? `${more} more test${more === 1 ? '' : 's'} that did not pass`
        : `${more} more failed test${more === 1 ? '' : 's'}`,
      message:
        `${failed.length} tests ${neutral ? 'did not pass' : 'failed'}; ${shown.length} ` +
        `${shown.length === 1 ? 'is' : 'are'} annotated (GitHub shows ${ANNOTATIONS_PER_STEP} ${plan.level}s per ` +
        `step). The others are in ${where}.`
    })
  }
  return annotations
}

/** The tests by name, in the order first named; each name's results on its devices. */
function groupByName(tests: readonly ReportedTest[]): ReportedTest[][] {
  const byName = new Map<string, ReportedTest[]>()
  for (const test of tests) {
    const group = byName.get(test.name)
    if (group === undefined) byName.set(test.name, [test])
    else group.push(test)
  }
  return [...byName.values()]
}

// Devices named in one title at most; the message names every device with its reason.
const TITLE_DEVICES = 3

/** "Failed: Pay with card (Chrome 120, Pixel 8)"; "Failed, aborted: …" when it ended in more than one way. */
function groupTitle(tests: readonly ReportedTest[]): string {
  if (tests.length === 1) return testTitle(tests[0])
  const words = [...new Set(tests.map(test => titleWord(test)))]
  const what = [words[0], ...words.slice(1).map(word => word.toLowerCase())].join(', ')
  const devices = tests.map(test => (test.device === '' ? '(unnamed device)' : oneLine(test.device)))
  const named = devices.slice(0, TITLE_DEVICES).join(', ')
  const more = devices.length > TITLE_DEVICES ? ` and ${devices.length - TITLE_DEVICES} more` : ''
  return `${what}: ${clip(oneLine(tests[0].name), TITLE_PART_LIMIT)} (${clip(named, TITLE_PART_LIMIT)}${more})`
}

/** Why, once when every device says the same; else device by device (with how it ended there, when that differs). */
function groupMessage(tests: readonly ReportedTest[]): string {
  const reasons = tests.map(test => reasonOf(test, MESSAGE_LIMIT) ?? noMessage(test))
  if (new Set(reasons).size === 1) return reasons[0]
  const mixed = new Set(tests.map(test => test.outcome)).size > 1
  return tests
    .map((test, i) => {
      const device = test.device === '' ? '(unnamed device)' : oneLine(test.device)
      return `${device}${mixed ? ` (${outcomeWords(test)})` : ''}: ${reasons[i]}`
    })
    .join('; ')
}

/**
 * The level and room of the failed tests' annotations: at the verdict's level (warnings when the step stays
 * green), and one fewer than GitHub shows when the verdict itself is an annotation (`setFailed`'s error, or
 * the warning of `fail-on-failure: false`), so the verdict is never the one dropped.
 */
export function annotationPlanFor(report: RunReport, verdict: Verdict): AnnotationPlan {
  return {
    level: verdict.level === 'error' ? 'error' : 'warning',
    limit: ANNOTATIONS_PER_STEP - (verdict.level === 'info' ? 0 : 1),
    runUrl: report.runUrl
  }
}

function noMessage(test: ReportedTest): string {
  if (test.outcome === 'not-passed') {
    return "Testsigma's report gives no message for this test case (it failed, was aborted, stopped or not executed)."
  }
  if (test.result !== undefined) {
    return test.outcome === 'not-executed' || test.outcome === 'stopped'
      ? `Testsigma says it was ${outcomeWords(test)}; it ran no step that says why.`
      : `Testsigma says it ${outcomeWords(test)}; its steps did not say why (see the run in Testsigma).`
  }
  return 'The JUnit report gives no failure message.'
}

const TITLE_WORDS: Record<ReportedOutcome, string> = {
  failed: 'Failed',
  error: 'Error',
  'not-passed': 'Did not pass',
  passed: 'Passed',
  skipped: 'Skipped',
  aborted: 'Aborted',
  stopped: 'Stopped',
  'not-executed': 'Not executed',
  unknown: 'Ended'
}

function titleWord(test: ReportedTest): string {
  return test.outcome === 'unknown' ? `Ended ${outcomeWords(test)}` : TITLE_WORDS[test.outcome]
}

/**
 * "Failed: Login with SSO (Chrome 120 on Windows 11)"; "Aborted:", "Stopped:", "Not executed:" as Testsigma says;
 * `error` outcomes say "Error:", and the cases of a Testsigma-written JUnit report, which cannot tell a failure
 * from an abort, "Did not pass:".
 */
export function testTitle(test: ReportedTest): string {
  const device = test.device === '' ? '' : ` (${clip(oneLine(test.device), TITLE_PART_LIMIT)})`
  return `${titleWord(test)}: ${clip(oneLine(test.name), TITLE_PART_LIMIT)}${device}`
}
