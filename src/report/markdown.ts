import { doneCount, RunCounts, RunState } from '../testsigma/run-state.js'
import { clip, formatDuration, oneLine } from '../text.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import type { ReportedReRun, RunReport } from './report.js'
import { countByDevice, DeviceCounts, ReportedOutcome, ReportedTest } from './tests.js'
import type { Verdict } from './verdict.js'
import { describeOutcomes, describeProgress, finishedWords, notFinishedCount } from './words.js'

/**
 * The markdown blocks the job summary and the pull-request comment share: the heading, the answer line under it,
 * the counts, the devices, the tests that did not pass and the notes. Every text from the server or the user goes
 * through `escapeMarkdown` (or `escapeCode`) on its way in.
 */

const NAME_LIMIT = 200
const DEVICE_LIMIT = 100
// Beyond this many devices the per-device lines fold away.
const VISIBLE_DEVICES = 10
const MAX_DEVICES = 200

/** The heading's icon: by how the step ended, a word of this action's own (never one of the server's). */
export function iconOf(outcome: RunReport['outcome'], passed: boolean): string {
  switch (outcome) {
    case 'finished':
      return passed ? '✅' : '❌'
    case 'triggered':
      return '🚀'
    case 'timed-out':
      return '⏱️'
    case 'cancelled':
      return '🛑'
    case 'failed':
      return '⚠️'
  }
}

/** "❌ Testsigma: Checkout flow failed": icon, plan, and what happened in words. */
export function headingOf(report: RunReport): string {
  const { state } = report
  const name = escapeMarkdown(clip(state?.planName ?? `Test plan ${report.testPlanId}`, NAME_LIMIT))
  const icon = iconOf(report.outcome, state?.passed ?? false)
  return `${icon} Testsigma: ${name} ${escapeMarkdown(headline(report))}`
}

export function headline(report: RunReport): string {
  switch (report.outcome) {
    case 'finished':
      return finishedWords(report.state?.result ?? '')
    case 'triggered':
      return 'started'
    case 'timed-out':
      return `did not finish in ${formatDuration(report.timeoutMs)}`
    case 'cancelled':
      return 'was cancelled'
    case 'failed':
      return report.runId === undefined ? 'could not start' : 'could not be followed'
  }
}

/**
 * The answer, on the line under the heading: "**36 of 50 failed** on 2 devices · [Open run 337 in Testsigma](…)".
 * It links the run whose result decided the step (a chain's last re-run).
 */
export function answerLine(report: RunReport): string {
  const { state } = report
  const runId = state?.finalRunId ?? report.runId
  const url = report.finalRunUrl ?? report.runUrl
  const link =
    runId !== undefined && url !== undefined ? ` · [Open run ${escapeMarkdown(runId)} in Testsigma](${url})` : ''
  switch (report.outcome) {
    case 'finished': {
      if (state === undefined) return `**Finished**${link}`
      if (report.reRunOf !== undefined) return `**${reRunWords(report.reRunOf, state)}**${link}`
      // With re-runs, which run decided matters more than on how many devices (the notes say whose report it is).
      const reRuns = state.reRuns
      const where = reRuns === 0 ? devicesPhrase(report.testCases) : ''
      if (state.passed) {
        const on = reRuns === 0 ? '' : ` on re-run ${reRuns}`
        const all = state.counts.total > 0 ? `All ${state.counts.total} passed` : 'Passed'
        return `**${all}${on}**${where}${link}`
      }
      const after = reRuns === 0 ? '' : ` after ${plural(reRuns, 're-run')}`
      if (state.counts.total === 0) {
        const ended = escapeMarkdown(capitalize(finishedWords(state.result)))
        return `**${ended}${after}**, with no test counts from Testsigma${link}`
      }
      return `**${notPassedPhrase(state.counts)}${after}**${where}${link}`
    }
    case 'triggered':
      return `**Started**, not waited for${link}`
    case 'timed-out':
    case 'cancelled': {
      if (state === undefined) return `**The job was cancelled before the run started**`
      const c = state.counts
      const left = notFinishedCount(c)
      const progress = c.total > 0 ? `${doneCount(c)} of ${c.total} done` : 'No test done'
      const outcomes = doneCount(c) > 0 ? ` (${describeOutcomes(c)})` : ''
      return `**${progress}**${outcomes}, ${left} not finished${link}`
    }
    case 'failed':
      return runId === undefined
        ? `**Could not start:** ${escapeMarkdown(report.errorBrief ?? 'see the notes below')}`
        : `**Lost track of the run:** ${escapeMarkdown(report.errorBrief ?? 'see the notes below')}${link}`
  }
}

/**
 * "Re-ran the 3 failed tests of [run 337](…) (attempt 1): all passed", or ": 1 still failed": what a re-run of the
 * previous attempt's failed tests did, by its own counts (the table has the chain's).
 */
function reRunWords(of: ReportedReRun, state: RunState): string {
  const own = state.chain[0].counts
  const ran = own.total > 0 ? own.total : of.notPassed
  const tests = ran === 1 ? 'the 1 failed test' : `the ${ran} failed tests`
  const which = `[run ${escapeMarkdown(of.runId)}](${of.runUrl}) (attempt ${of.attempt})`
  const deepest = state.chain[state.chain.length - 1].counts
  let outcome: string
  if (state.passed) outcome = ran === 1 ? 'passed' : 'all passed'
  else if (deepest.total === 0) outcome = escapeMarkdown(finishedWords(state.result))
  else {
    const still = Math.max(0, deepest.total - deepest.passed)
    outcome = `${still} still ${still === deepest.failed ? 'failed' : 'did not pass'}`
  }
  return `Re-ran ${tests} of ${which}: ${outcome}`
}

/** "36 of 50 failed" when everything that did not pass failed; else "36 of 50 did not pass". */
function notPassedPhrase(counts: RunCounts): string {
  const notPassed = Math.max(0, counts.total - counts.passed)
  const verb = notPassed === counts.failed ? 'failed' : 'did not pass'
  return `${notPassed} of ${counts.total} ${verb}`
}

/** " on 2 devices", from the JUnit report; nothing when it is not known. */
function devicesPhrase(cases: readonly ReportedTest[] | undefined): string {
  if (cases === undefined || cases.length === 0) return ''
  return ` on ${plural(new Set(cases.map(testCase => testCase.device)).size, 'device')}`
}

/**
 * The counts as a one-row table; an aborted count Testsigma did not give (not derived yet) is "—". A run that did
 * not finish gets a "Not finished" column: the total less the test cases with an outcome.
 */
export function countsTable(c: RunCounts, finished: boolean): string[] {
  const head = ['Total', 'Passed', 'Failed', 'Aborted', 'Stopped', 'Not executed']
  const row = [c.total, c.passed, c.failed, c.aborted ?? '—', c.stopped, c.notExecuted]
  if (!finished) {
    head.push('Not finished')
    row.push(notFinishedCount(c))
  }
  return [`| ${head.join(' | ')} |`, `|${' ---: |'.repeat(head.length)}`, `| ${row.join(' | ')} |`]
}

/** "run 339 (re-run 1)" when the JUnit report is a re-run's, else undefined; markdown (the server's id escaped). */
export function reportSource(report: RunReport): string | undefined {
  const { state } = report
  if (state !== undefined && report.reRunOf !== undefined) {
    return `run ${escapeMarkdown(state.finalRunId)} (the re-run of run ${escapeMarkdown(report.reRunOf.runId)})`
  }
  if (state === undefined || state.reRuns === 0) return undefined
  return `run ${escapeMarkdown(state.finalRunId)} (re-run ${state.reRuns})`
}

/**
 * One line of counts per device (one `<testsuite>` each); many devices fold into a `<details>` block. A report that
 * cannot tell a failure from an abort (Testsigma's) gets "passed / did not pass", so the lines never contradict the
 * counts table, which comes from the run object and is the authority.
 */
export function deviceLines(cases: readonly ReportedTest[], source?: string): string[] {
  const devices = countByDevice(cases)
  if (devices.length === 0) return []
  const shown = devices.slice(0, MAX_DEVICES).map(device => `- ${describeDevice(device, true)}`)
  if (devices.length > shown.length) shown.push(`- … and ${devices.length - shown.length} more devices`)
  // After re-runs the report is the deciding run's, which ran only some tests: said first, so that its few tests
  // do not contradict the chain's counts above.
  const of = source === undefined ? '' : ` in ${source}`
  if (devices.length <= VISIBLE_DEVICES) return [...(of === '' ? [] : [`**Devices${of}:**`, '']), ...shown, '']
  return [`<details><summary>Results on ${devices.length} devices${of}</summary>`, '', ...shown, '', '</details>', '']
}

/** The devices on one line, for the comment: "**Devices:** Chrome: 3 passed, 1 did not pass · Pixel 8: 4 passed". */
export function devicesInline(cases: readonly ReportedTest[], source?: string): string[] {
  const devices = countByDevice(cases)
  if (devices.length === 0) return []
  const shown = devices.slice(0, VISIBLE_DEVICES).map(device => describeDevice(device, false))
  const more = devices.length > shown.length ? ` · and ${devices.length - shown.length} more` : ''
  return [`**Devices${source === undefined ? '' : ` in ${source}`}:** ${shown.join(' · ')}${more}`, '']
}

// In this order on a device's line; a Testsigma-written JUnit report has only "did not pass".
const NOT_PASSED_ORDER: Exclude<ReportedOutcome, 'passed' | 'skipped'>[] = [
  'failed',
  'error',
  'aborted',
  'stopped',
  'not-executed',
  'not-passed',
  'unknown'
]
const NOT_PASSED_WORDS: Record<(typeof NOT_PASSED_ORDER)[number], string> = {
  failed: 'failed',
  error: 'errors',
  aborted: 'aborted',
  stopped: 'stopped',
  'not-executed': 'not executed',
  'not-passed': 'did not pass',
  unknown: 'with another result'
}

/** A device's counts: the summary's line has the number of tests and the time, the comment's is short. */
function describeDevice(device: DeviceCounts, withTime: boolean): string {
  const name = device.device === '' ? '(unnamed device)' : clip(oneLine(device.device), DEVICE_LIMIT)
  const parts = [`${device.passed} passed`]
  for (const outcome of NOT_PASSED_ORDER) {
    const n = device.notPassed.get(outcome) ?? 0
    if (n > 0) parts.push(outcome === 'error' ? plural(n, 'error') : `${n} ${NOT_PASSED_WORDS[outcome]}`)
  }
  if (device.skipped > 0) parts.push(`${device.skipped} skipped`)
  if (!withTime) return `${escapeMarkdown(name)}: ${parts.join(', ')}`
  const time = device.timeSeconds > 0 ? ` (${formatDuration(device.timeSeconds * 1000)})` : ''
  return `**${escapeMarkdown(name)}:** ${plural(device.total, 'test')}: ${parts.join(', ')}${time}`
}

/** "the JUnit report (`reports/ts.xml`) / [Testsigma](…)": where the whole list of failed tests is. */
export function elsewhere(report: RunReport): string {
  const places: string[] = []
  places.push(
    report.junitReportPath === undefined
      ? 'the JUnit report'
      : `the JUnit report (\`${escapeCode(report.junitReportPath)}\`)`
  )
  const url = report.finalRunUrl ?? report.runUrl
  if (url !== undefined) places.push(`[Testsigma](${url})`)
  return places.join(' and ')
}

/**
 * "**App:** Shop Android version 1.4.2 (upload version 5012)": the build the run tested, when this step uploaded
 * it (`app-file`); undefined otherwise.
 */
export function appFact(report: RunReport): string | undefined {
  const { app } = report
  if (app === undefined) return undefined
  const name = escapeMarkdown(clip(app.uploadName ?? `upload ${app.uploadId}`, NAME_LIMIT))
  const version = app.versionName === undefined ? '' : ` version ${escapeMarkdown(clip(app.versionName, NAME_LIMIT))}`
  return `**App:** ${name}${version} (upload version ${app.versionId})`
}

/** Notes as a list, each its own sentence, so none runs into the next (consecutive `>` lines would merge). */
export function noteList(notes: readonly string[]): string[] {
  return notes.length === 0 ? [] : [...notes.map(note => `- ${note}`), '']
}

/**
 * The notes under the facts, each one sentence: what the reader would otherwise wonder about. The comment leaves
 * out what only makes sense on the runner (the JUnit file's path).
 */
export function reportNotes(report: RunReport, verdict: Verdict, where: 'summary' | 'comment'): string[] {
  const notes: string[] = []
  const { state } = report
  if (report.outcome === 'triggered') {
    notes.push('The step did not wait for the run (`wait: false`); its result is in Testsigma.')
  }
  if (report.outcome === 'failed' && state !== undefined) {
    notes.push(`Last seen ${escapeMarkdown(describeProgress(state))}.`)
  }
  if (report.error !== undefined) notes.push(sentence(escapeMarkdown(report.error)))
  if (report.stop !== undefined) notes.push(stopNote(report.stop))
  if (report.reRunOf !== undefined) notes.push(reRunNote(report.reRunOf, report.runId))
  if (state !== undefined) notes.push(...chainNotes(report, state))
  if (verdict.level === 'warning') {
    notes.push('The run did not pass; the step stays green because `fail-on-failure` is false.')
  }
  if (report.reportWarning !== undefined) notes.push(sentence(escapeMarkdown(report.reportWarning)))
  if (report.junitReportPath !== undefined && where === 'summary') {
    notes.push(`JUnit report written to \`${escapeCode(report.junitReportPath)}\`.`)
  }
  return notes
}

/** "Only this run was stopped (Testsigma run 337); other runs on Testsigma go on." or why it could not be. */
function stopNote(stop: NonNullable<RunReport['stop']>): string {
  const id = stop.runId === undefined ? undefined : escapeMarkdown(stop.runId)
  if (stop.stopped) {
    return `Only this run was stopped${id === undefined ? '' : ` (Testsigma run ${id})`}; other runs on Testsigma go on.`
  }
  const run = id === undefined ? 'The Testsigma run' : `Testsigma run ${id}`
  return `${run} could not be stopped: ${sentence(escapeMarkdown(stop.detail ?? 'unknown reason'))}`
}

/** Why only some tests ran, and whose counts the table adds. */
function reRunNote(of: ReportedReRun, runId: string | undefined): string {
  const reRun = runId === undefined ? 'This step' : `Run ${escapeMarkdown(runId)}`
  return (
    `${reRun} re-ran only the tests of [run ${escapeMarkdown(of.runId)}](${of.runUrl}) that did not pass, started by ` +
    `attempt ${of.attempt} of this workflow run (\`rerun-failed-tests\`); the counts are the chain's, as Testsigma ` +
    `shows them: the passes of run ${escapeMarkdown(of.firstRunId)} and of the re-run.`
  )
}

/** What the summary says about re-runs and about counts Testsigma did not give. */
function chainNotes(report: RunReport, state: RunState): string[] {
  const notes: string[] = []
  if (state.reRunGivenUp === true) {
    notes.push(
      `The test plan re-runs tests that did not pass, but no re-run of run ${escapeMarkdown(state.finalRunId)} appeared in time: ` +
        'its result stands.'
    )
  }
  if (state.resultConflict !== undefined) {
    const { consolidated, finalRun } = state.resultConflict
    notes.push(
      escapeMarkdown(
        `Testsigma's chain result (consolidatedResult ${consolidated}) and the result of run ${state.finalRunId} ` +
          `(${finalRun || 'none'}) disagree; the step reports ${state.result}.`
      )
    )
  }
  const source = reportSource(report)
  if (source !== undefined && report.testCases !== undefined) {
    notes.push(
      `The devices and tests listed are from ${testsSourceWords(report)} of ${source}, the run that decided the result.`
    )
  }
  if (report.testCases !== undefined && report.outcome === 'finished') {
    const ownTotal = state.chain[state.chain.length - 1].counts.total
    if (report.testCases.length !== ownTotal) {
      notes.push(
        `${capitalize(testsSourceWords(report))} ${report.testsSource === 'results' ? 'list' : 'lists'} ${report.testCases.length} test case${report.testCases.length === 1 ? '' : 's'} ` +
          `where Testsigma's run object counts ${ownTotal}; the counts table is the run object's.`
      )
    }
  }
  // A derived 0 is certain (the other counts add up to the total); a number above 0 is worth saying where it came from.
  if (state.abortedDerived === true && (state.counts.aborted ?? 0) > 0) {
    notes.push("Aborted is derived: Testsigma's answer has no aborted count, so it is the total less the other counts.")
  }
  return notes
}

/** "the JUnit report", or "Testsigma's test results" when the tests came from its JSON results. */
function testsSourceWords(report: RunReport): string {
  return report.testsSource === 'results' ? "Testsigma's test results" : 'the JUnit report'
}

/** Ends a note with a full stop, unless it already ends a sentence. */
export function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
