/** The table of tests that did not pass, shared by the job summary and the pull-request comment. */
import { clip, oneLine } from '../text.js'
import { escapeMarkdown } from './escape.js'
import { isFailedTest, TestCaseResult } from './junit.js'
import { capitalize, plural } from './markdown.js'

const NAME_LIMIT = 200
const DEVICE_LIMIT = 100
const MESSAGE_LIMIT = 300
// A test that did not pass on many devices lists the first few by name.
const DEVICES_PER_ROW = 5
const MESSAGES_PER_ROW = 3

/** A test that did not pass, with every device it did not pass on. */
interface FailedTest {
  name: string
  /** True when the report says it errored (could not run to its end) on some device. */
  errored: boolean
  devices: string[]
  /** Its distinct messages, each with the devices that gave it, in the order they came. */
  messages: Map<string, string[]>
}

/** The report's failed cases grouped by test name, in the order the report first names each test. */
export function groupFailedTests(cases: readonly TestCaseResult[]): FailedTest[] {
  const byName = new Map<string, FailedTest>()
  for (const testCase of cases) {
    if (!isFailedTest(testCase)) continue
    let test = byName.get(testCase.name)
    if (test === undefined) {
      test = { name: testCase.name, errored: false, devices: [], messages: new Map() }
      byName.set(testCase.name, test)
    }
    test.errored ||= testCase.outcome === 'error'
    test.devices.push(testCase.device)
    if (testCase.failureMessage !== undefined) {
      const devices = test.messages.get(testCase.failureMessage)
      if (devices === undefined) test.messages.set(testCase.failureMessage, [testCase.device])
      else devices.push(testCase.device)
    }
  }
  return [...byName.values()]
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
export function failedTestsSection(cases: readonly TestCaseResult[], limits: FailedTestsLimits): string[] {
  const tests = groupFailedTests(cases)
  if (tests.length === 0) return []
  // A Testsigma-written report cannot tell a failure from an abort: its tests "did not pass".
  const neutral = cases.some(testCase => testCase.outcome === 'not-passed')
  const noun = (n: number): string => `${plural(n, 'test')} ${neutral ? 'that did not pass' : 'that failed'}`
  const rows: string[] = []
  let bytes = 0
  for (const test of tests.slice(0, limits.maxRows)) {
    const row = failedTestRow(test)
    bytes += Buffer.byteLength(row) + 1
    if (bytes > limits.budgetBytes) break
    rows.push(row)
  }
  const header = ['| Test | Devices | Message |', '| --- | --- | --- |']
  const title = `${neutral ? 'Tests that did not pass' : 'Failed tests'} (${tests.length})`
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
  const named = test.devices.map(device => (device === '' ? '(unnamed device)' : device))
  const shown = named.slice(0, DEVICES_PER_ROW).join(', ')
  const devices = named.length > DEVICES_PER_ROW ? `${shown} and ${named.length - DEVICES_PER_ROW} more` : shown
  let message = '—'
  const messages = [...test.messages.entries()]
  if (messages.length === 1) message = cell(messages[0][0], MESSAGE_LIMIT)
  else if (messages.length > 1) {
    // Different words on different devices: the first few, each once, with where it was said.
    const each = messages
      .slice(0, MESSAGES_PER_ROW)
      .map(([text, devices]) => `${clip(oneLine(text), 120)} (${clip(devices.join(', '), 100)})`)
    const more = messages.length > MESSAGES_PER_ROW ? `; ${messages.length - MESSAGES_PER_ROW} more messages` : ''
    message = cell(`${each.join('; ')}${more}`, MESSAGE_LIMIT)
  }
  return `| ${test.errored ? `${name} (error)` : name} | ${cell(devices, DEVICE_LIMIT * 2)} | ${message} |`
}

/** Server text for a table cell: white space runs (a stack trace's indents) made one space, clipped, escaped. */
function cell(text: string, limit: number): string {
  return escapeMarkdown(clip(text.replace(/\s+/g, ' ').trim(), limit))
}
