import { clip, oneLine } from '../text.js'
import { isFailedTest, TestCaseResult } from './junit.js'
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
 * One annotation per test case that did not pass (a `<failure>` or an `<error>`), at most `plan.limit`, then one
 * notice saying how many more there are. Pure: the caller emits them.
 */
export function failedTestAnnotations(cases: readonly TestCaseResult[], plan: AnnotationPlan): Annotation[] {
  const failed = cases.filter(isFailedTest)
  const shown = failed.slice(0, Math.max(0, plan.limit))
  const annotations: Annotation[] = shown.map(testCase => ({
    level: plan.level,
    title: testTitle(testCase),
    message: clip(testCase.failureMessage ?? noMessage(testCase), MESSAGE_LIMIT)
  }))
  const more = failed.length - shown.length
  if (more > 0) {
    const where = plan.runUrl === undefined ? 'the job summary' : `the job summary and the Testsigma run ${plan.runUrl}`
    // A Testsigma-written report cannot tell a failure from an abort: its cases "did not pass".
    const neutral = failed.some(testCase => testCase.outcome === 'not-passed')
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

function noMessage(testCase: TestCaseResult): string {
  return testCase.outcome === 'not-passed'
    ? "Testsigma's report gives no message for this test case (it failed, was aborted, stopped or not executed)."
    : 'The JUnit report gives no failure message.'
}

const TITLE_WORDS: Record<TestCaseResult['outcome'], string> = {
  failed: 'Failed',
  error: 'Error',
  'not-passed': 'Did not pass',
  passed: 'Passed',
  skipped: 'Skipped'
}

/**
 * "Failed: Login with SSO (Chrome 120 on Windows 11)"; `error` outcomes say "Error:", and the cases of a
 * Testsigma-written report, which cannot tell a failure from an abort, "Did not pass:".
 */
export function testTitle(testCase: TestCaseResult): string {
  const what = TITLE_WORDS[testCase.outcome]
  const device = testCase.device === '' ? '' : ` (${clip(oneLine(testCase.device), TITLE_PART_LIMIT)})`
  return `${what}: ${clip(oneLine(testCase.name), TITLE_PART_LIMIT)}${device}`
}
