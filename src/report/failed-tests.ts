/** The table of tests that did not pass, shared by the job summary and the pull-request comment. */
import { clip, oneLine } from '../text.js'
import { escapeMarkdown } from './escape.js'
import { capitalize, plural } from './markdown.js'
import { didNotPass, outcomeWords, reasonOf, ReportedOutcome, ReportedTest } from './tests.js'

const NAME_LIMIT = 200
const DEVICE_LIMIT = 100
// A step's text and Testsigma's message fit whole in one reason; a row of several reasons shows the first few.
const MESSAGE_LIMIT = 400
const REASON_LIMIT = 240
const ROW_REASONS_LIMIT = 900
// A test that did not pass on many devices lists the first few by name.
const DEVICES_PER_ROW = 5
const MESSAGES_PER_ROW = 3

/** A test that did not pass, with every device it did not pass on. */
interface FailedTest {
  name: string
  /** How it did not pass, each way once, in the order seen ("failed", "aborted"). */
  outcomes: ReportedOutcome[]
  /** Words for the outcomes that are not plain failures, for after the name ("aborted", "error"). */
  words: string[]
  devices: string[]
  /** How it ended on each of `devices`, in words. */
  deviceWords: string[]
  /** Its distinct reasons (the failing step and its message, else the failure message), each with its devices. */
  reasons: Map<string, string[]>
}

const STEPLESS = new Set<ReportedOutcome>(['stopped', 'not-executed'])
// Outcomes said by the table's title ("Failed tests") rather than after the test's name.
const PLAIN_FAILURES = new Set<ReportedOutcome>(['failed', 'not-passed'])

/** The tests that did not pass grouped by name, in the order the results first name each test. */
export function groupFailedTests(cases: readonly ReportedTest[]): FailedTest[] {
  const byName = new Map<string, FailedTest>()
  for (const testCase of cases) {
    if (!didNotPass(testCase)) continue
    let test = byName.get(testCase.name)
    if (test === undefined) {
      test = { name: testCase.name, outcomes: [], words: [], devices: [], deviceWords: [], reasons: new Map() }
      byName.set(testCase.name, test)
    }
    if (!test.outcomes.includes(testCase.outcome)) test.outcomes.push(testCase.outcome)
    const word = outcomeWords(testCase)
    if (!PLAIN_FAILURES.has(testCase.outcome) && !test.words.includes(word)) test.words.push(word)
    test.devices.push(testCase.device)
    test.deviceWords.push(word)
    const reason = reasonOf(testCase)
    if (reason !== undefined) {
      const devices = test.reasons.get(reason)
      if (devices === undefined) test.reasons.set(reason, [testCase.device])
      else devices.push(testCase.device)
    }
  }
  // Tests that ran and said why first; those only stopped or not executed (no step to show) after them.
  const ranNoStep = (test: FailedTest): boolean => test.outcomes.every(outcome => STEPLESS.has(outcome))
  return [...byName.values()].sort((a, b) => Number(ranNoStep(a)) - Number(ranNoStep(b)))
}

export interface FailedTestsLimits {
  /** Rows shown at once; the rest fold into a `<details>` block. */
  visibleRows: number
  /** Rows at most; the rest are counted, not listed. */
  maxRows: number
  /** Bytes (UTF-8) the rows may take at most. */
  budgetBytes: number
  /** Where the unlisted ones can be seen, already markdown: "the JUnit report (`x.xml`) or [Testsigma](…)". */
  elsewhere: string
  /** Whose report the rows are from, when that is not plain, already markdown ("run 339 (re-run 1)"). */
  source?: string
}

/**
 * The tests that did not pass, one row per test with the devices it did not pass on and what it said: the first
 * rows in view, the others in a `<details>` block, cut at `maxRows` or `budgetBytes` with a line saying how many
 * more there are. Every cell is server text, clipped and escaped.
 */
export function failedTestsSection(cases: readonly ReportedTest[], limits: FailedTestsLimits): string[] {
  const tests = groupFailedTests(cases)
  if (tests.length === 0) return []
  // "Failed" only when every test that did not pass failed (a Testsigma-written JUnit report cannot say how).
  const failedOnly = tests.every(test => test.outcomes.every(outcome => outcome === 'failed' || outcome === 'error'))
  const noun = (n: number): string => `${plural(n, 'test')} ${failedOnly ? 'that failed' : 'that did not pass'}`
  const rows: string[] = []
  let bytes = 0
  for (const test of tests.slice(0, limits.maxRows)) {
    const row = failedTestRow(test)
    bytes += Buffer.byteLength(row) + 1
    if (bytes > limits.budgetBytes) break
    rows.push(row)
  }
  const header = ['| Test | Devices | Why |', '| --- | --- | --- |']
  // The counts above count a test once per device (Testsigma's unit): the title says both when they differ.
  const results = tests.reduce((sum, test) => sum + test.devices.length, 0)
  const devices = new Set(tests.flatMap(test => test.devices)).size
  const units =
    results === tests.length
      ? `${tests.length}`
      : `${plural(tests.length, 'test')}, ${plural(results, 'test result')} on ${plural(devices, 'device')}`
  const title = `${failedOnly ? 'Failed tests' : 'Tests that did not pass'} (${units})`
  const source = limits.source === undefined ? '' : ` in ${limits.source}`
  const lines = [`#### ${title}${source}`, '', ...header, ...rows.slice(0, limits.visibleRows), '']
  const folded = rows.slice(limits.visibleRows)
  if (folded.length > 0) {
    lines.push(`<details><summary>${folded.length} more</summary>`, '', ...header, ...folded, '', '</details>', '')
  }
  const unlisted = tests.length - rows.length
  if (unlisted > 0) lines.push(`${capitalize(noun(unlisted))}, not listed here, are in ${limits.elsewhere}.`, '')
  return lines
}

function failedTestRow(test: FailedTest): string {
  const name = cell(test.name, NAME_LIMIT)
  // A test that ended in more than one way says how on each device.
  const mixed = test.outcomes.length > 1
  const labels = test.devices.map((device, i) => {
    const shown = device === '' ? '(unnamed device)' : device
    return mixed ? `${shown} (${test.deviceWords[i]})` : shown
  })
  const shown = labels.slice(0, DEVICES_PER_ROW).join(', ')
  const devices = labels.length > DEVICES_PER_ROW ? `${shown} and ${labels.length - DEVICES_PER_ROW} more` : shown
  let why = '—'
  const reasons = [...test.reasons.entries()]
  if (reasons.length === 1) why = cell(reasons[0][0], MESSAGE_LIMIT)
  else if (reasons.length > 1) {
    // Different reasons on different devices: the first few, each once, with where it was said.
    const each = reasons
      .slice(0, MESSAGES_PER_ROW)
      .map(([text, devices]) => `${clip(oneLine(text), REASON_LIMIT)} (${clip(devices.join(', '), 100)})`)
    const more = reasons.length > MESSAGES_PER_ROW ? `; ${reasons.length - MESSAGES_PER_ROW} more reasons` : ''
    why = cell(`${each.join('; ')}${more}`, ROW_REASONS_LIMIT)
  }
  // How it ended, after the name when it ended one way; device by device (above) when it ended several ways.
  const title = test.words.length === 0 || mixed ? name : `${name} (${cell(test.words.join(', '), 200)})`
  return `| ${title} | ${cell(devices, DEVICE_LIMIT * 2)} | ${why} |`
}

/** Server text for a table cell: white space runs (a stack trace's indents) made one space, clipped, escaped. */
function cell(text: string, limit: number): string {
  return escapeMarkdown(clip(text.replace(/\s+/g, ' ').trim(), limit))
}
