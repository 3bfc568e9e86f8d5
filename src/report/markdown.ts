import { countByDevice, DeviceCounts, isFailedTest, TestCaseResult } from './junit.js'
import type { RunCounts } from '../testsigma/run-state.js'
import { clip, formatDuration, oneLine } from '../text.js'
import type { RunReport } from './report.js'

/**
 * The markdown blocks the job summary and the pull-request comment share. Every text from the server or
 * the user goes through `escapeMarkdown` (or `escapeCode`) on its way in.
 */

const NAME_LIMIT = 200
const DEVICE_LIMIT = 100
const MESSAGE_LIMIT = 300
// Beyond this many devices the per-device lines fold away.
const VISIBLE_DEVICES = 10
const MAX_DEVICES = 200

const ICONS: Record<RunReport['outcome'], (passed: boolean) => string> = {
  finished: passed => (passed ? '✅' : '❌'),
  triggered: () => '🚀',
  'timed-out': () => '⏱️',
  cancelled: () => '🛑',
  failed: () => '⚠️'
}

/** "❌ Testsigma: Checkout flow — FAILURE": icon, plan and result, escaped. */
export function headingOf(report: RunReport): string {
  const { state } = report
  const name = escapeMarkdown(clip(state?.planName ?? `Test plan ${report.testPlanId}`, NAME_LIMIT))
  const icon = ICONS[report.outcome](state?.passed ?? false)
  return `${icon} Testsigma: ${name} — ${headline(report)}`
}

/** The run's counts as a one-row table. */
export function countsTable(c: RunCounts): string[] {
  return [
    '| Total | Passed | Failed | Aborted | Stopped | Not executed |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${c.total} | ${c.passed} | ${c.failed} | ${c.aborted} | ${c.stopped} | ${c.notExecuted} |`
  ]
}

/** One line of counts per device (one `<testsuite>` each); many devices fold into a `<details>` block. */
export function deviceLines(cases: readonly TestCaseResult[]): string[] {
  const devices = countByDevice(cases)
  if (devices.length === 0) return []
  const shown = devices.slice(0, MAX_DEVICES).map(device => `- ${describeDevice(device)}`)
  if (devices.length > shown.length) shown.push(`- … and ${devices.length - shown.length} more devices`)
  if (devices.length <= VISIBLE_DEVICES) return [...shown, '']
  return [`<details><summary>Results on ${devices.length} devices</summary>`, '', ...shown, '', '</details>', '']
}

function describeDevice(device: DeviceCounts): string {
  const name = device.device === '' ? '(unnamed device)' : clip(oneLine(device.device), DEVICE_LIMIT)
  const parts = [`${device.passed} passed`, `${device.failed} failed`]
  if (device.error > 0) parts.push(`${device.error} error${device.error === 1 ? '' : 's'}`)
  parts.push(`${device.skipped} skipped`)
  const time = device.timeSeconds > 0 ? ` (${formatDuration(device.timeSeconds * 1000)})` : ''
  return `**${escapeMarkdown(name)}:** ${device.total} test${device.total === 1 ? '' : 's'}: ${parts.join(', ')}${time}`
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
}

/**
 * A "Failed tests" table (test, device, message on one line), the first rows in view and the others in a
 * `<details>` block, cut at `maxRows` or `budgetBytes` with a line saying how many more there are. Every
 * cell is server text, clipped and escaped.
 */
export function failedTestsSection(cases: readonly TestCaseResult[], limits: FailedTestsLimits): string[] {
  const failed = cases.filter(isFailedTest)
  if (failed.length === 0) return []
  const rows: string[] = []
  let bytes = 0
  for (const testCase of failed.slice(0, limits.maxRows)) {
    const row = failedTestRow(testCase)
    bytes += Buffer.byteLength(row) + 1
    if (bytes > limits.budgetBytes) break
    rows.push(row)
  }
  const header = ['| Test | Device | Message |', '| --- | --- | --- |']
  const lines = [`#### Failed tests (${failed.length})`, '', ...header, ...rows.slice(0, limits.visibleRows), '']
  const folded = rows.slice(limits.visibleRows)
  if (folded.length > 0) {
    lines.push(
      `<details><summary>${folded.length} more failed test${folded.length === 1 ? '' : 's'}</summary>`,
      '',
      ...header,
      ...folded,
      '',
      '</details>',
      ''
    )
  }
  const unlisted = failed.length - rows.length
  if (unlisted > 0) lines.push(`${unlisted} more failed test${unlisted === 1 ? '' : 's'} in ${limits.elsewhere}.`, '')
  return lines
}

function failedTestRow(testCase: TestCaseResult): string {
  const name = cell(testCase.name, NAME_LIMIT)
  const test = testCase.outcome === 'error' ? `${name} (error)` : name
  const device = testCase.device === '' ? '—' : cell(testCase.device, DEVICE_LIMIT)
  const message = testCase.failureMessage === undefined ? '—' : cell(testCase.failureMessage, MESSAGE_LIMIT)
  return `| ${test} | ${device} | ${message} |`
}

/** Server text for a table cell: white space runs (a stack trace's indents) made one space, clipped, escaped. */
function cell(text: string, limit: number): string {
  return escapeMarkdown(clip(text.replace(/\s+/g, ' ').trim(), limit))
}

/** "the JUnit report (`reports/ts.xml`) / [Testsigma](…)": where the whole list of failed tests is. */
export function elsewhere(report: RunReport): string {
  const places: string[] = []
  places.push(
    report.junitReportPath === undefined
      ? 'the JUnit report'
      : `the JUnit report (\`${escapeCode(report.junitReportPath)}\`)`
  )
  if (report.runUrl !== undefined) places.push(`[Testsigma](${report.runUrl})`)
  return places.join(' / ')
}

function headline(report: RunReport): string {
  const { state } = report
  switch (report.outcome) {
    case 'finished':
      return escapeMarkdown(state?.result || 'no result')
    case 'triggered':
      return 'started, not waited for'
    case 'timed-out':
      return `timed out after ${formatDuration(report.timeoutMs)}`
    case 'cancelled':
      return 'cancelled'
    case 'failed':
      return 'could not be followed'
  }
}

/**
 * Text from the server or the user, made inert in markdown: one line, HTML and table pipes escaped,
 * markdown punctuation backslash-escaped so a name cannot add links, emphasis or headings, and every
 * `@name` (or `@org/team`) broken by a zero-width space after the `@`, so a test name cannot notify
 * people or teams: it still reads "@name".
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@(?=[\p{L}\p{N}_-])/gu, '@&#8203;')
}

export function escapeCode(text: string): string {
  return oneLine(text).replace(/`/g, "'")
}
