/**
 * The action's own JUnit file, written from Testsigma's JSON results (when they were read; else Testsigma's JUnit
 * report is written as it came). The shape test reporters read (`dorny/test-reporter`, `mikepenz/action-junit-report`,
 * `EnricoMi/publish-unit-test-result-action`): a `<testsuites>` root with the run's counts, one `<testsuite>` per
 * device, one `<testcase>` per test on it; `<failure>` for failed, `<error>` for aborted (and results new to this
 * action), `<skipped>` for not executed and stopped; the failing step's message as the failure's `message`, and the
 * run's link in each suite's properties. Pure: every server text is made valid XML here (characters XML cannot hold
 * are dropped, markup escaped), so no test name can end an element or a comment.
 */
import { oneLine } from '../text.js'
import { reasonOf, ReportedTest } from './tests.js'

export interface JunitFileFacts {
  /** The test plan's name, the file's name. */
  planName: string
  /** The run the results are of, and its page. */
  runId: string
  runUrl?: string
}

/** The JUnit XML of `tests`, devices in the order the results name them. */
export function renderJunitFile(tests: readonly ReportedTest[], facts: JunitFileFacts): string {
  return renderJunitRoot(facts.planName, countsOf(tests), junitSuites(tests, facts).lines)
}

/** The file around its suites: the declaration and a `<testsuites>` root with the counts of all of them. */
export function renderJunitRoot(name: string, total: JunitCounts, suites: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attribute(name)}" tests="${total.tests}" failures="${total.failures}" ` +
      `errors="${total.errors}" skipped="${total.skipped}">`,
    ...suites,
    '</testsuites>',
    ''
  ].join('\n')
}

/**
 * One `<testsuite>` per device of `tests`, numbered from `firstId`, each named after its device (after
 * `namePrefix`, when given: a step with several plans names each suite after its plan too), and their counts.
 */
export function junitSuites(
  tests: readonly ReportedTest[],
  facts: JunitFileFacts,
  options: { firstId?: number; namePrefix?: string } = {}
): { lines: string[]; counts: JunitCounts } {
  const byDevice = new Map<string, ReportedTest[]>()
  for (const test of tests) {
    const group = byDevice.get(test.device)
    if (group === undefined) byDevice.set(test.device, [test])
    else group.push(test)
  }
  const lines: string[] = []
  let id = options.firstId ?? 0
  for (const [device, suite] of byDevice) {
    const counts = countsOf(suite)
    const deviceName = device === '' ? '(unnamed device)' : device
    const name = options.namePrefix === undefined ? deviceName : `${options.namePrefix} · ${deviceName}`
    lines.push(
      `  <testsuite id="${id++}" name="${attribute(name)}" tests="${counts.tests}" failures="${counts.failures}" ` +
        `errors="${counts.errors}" skipped="${counts.skipped}" time="0">`,
      '    <properties>',
      `      <property name="Testsigma run" value="${attribute(facts.runId)}"/>`,
      ...(facts.runUrl === undefined
        ? []
        : [`      <property name="Testsigma run URL" value="${attribute(facts.runUrl)}"/>`]),
      '    </properties>'
    )
    for (const test of suite) lines.push(...testCaseElement(test, facts.planName))
    lines.push('  </testsuite>')
  }
  return { lines, counts: countsOf(tests) }
}

type Kind = 'passed' | 'failure' | 'error' | 'skipped'

/** failed (and a Testsigma JUnit case) is a failure; aborted and new words errors; stopped, not executed skipped. */
function kindOf(test: ReportedTest): Kind {
  switch (test.outcome) {
    case 'passed':
      return 'passed'
    case 'failed':
    case 'not-passed':
      return 'failure'
    case 'skipped':
    case 'stopped':
    case 'not-executed':
      return 'skipped'
    default:
      return 'error'
  }
}

/** A file's or a suite's counts, as JUnit has them. */
export interface JunitCounts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

function countsOf(tests: readonly ReportedTest[]): JunitCounts {
  const kinds = tests.map(kindOf)
  const count = (kind: Kind): number => kinds.filter(k => k === kind).length
  return { tests: tests.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') }
}

function testCaseElement(test: ReportedTest, planName: string): string[] {
  const classname = test.suite ?? planName
  const open = `    <testcase name="${attribute(test.name)}" classname="${attribute(classname)}" time="0"`
  const kind = kindOf(test)
  if (kind === 'passed') return [`${open}/>`]
  const word = test.result ?? test.outcome
  const reason = reasonOf(test)
  const message = test.step?.message ?? reason ?? `Testsigma: ${word}`
  const body = reason === undefined ? '' : text(reason)
  const element =
    kind === 'skipped'
      ? `      <skipped message="${attribute(message)}"/>`
      : `      <${kind} message="${attribute(message)}" type="${attribute(word)}">${body}</${kind}>`
  return [`${open}>`, element, '    </testcase>']
}

/** Text XML 1.0 can hold: its invalid characters (controls, lone surrogates, U+FFFE/U+FFFF) dropped. */
function xmlChars(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
}

/** An attribute's value: one line, XML's characters only, escaped. */
function attribute(value: string): string {
  return escapeXml(xmlChars(oneLine(value))).replace(/"/g, '&quot;')
}

/** An element's text: XML's characters only, escaped (`]]>` cannot end anything here: `>` is escaped too). */
function text(value: string): string {
  return escapeXml(xmlChars(value))
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
