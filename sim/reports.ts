/**
 * The simulator's reports: `GET /api/v1/reports/junit/{runId}` (docs/testsigma-api.md §6), in Testsigma's JUnit shape
 * (§6.3) made from the run's final counts, or a plan's own answer.
 */
import type { ServerResponse } from 'node:http'
import { send } from './loopback-server.js'
import { countsOf, FINISHED, PlanScript, SimCounts } from './plans.js'
import type { SimRuns } from './runs.js'

export function serveJunit(runs: SimRuns, baseUrl: string, path: string, response: ServerResponse): void {
  const run = runs.runOf(path)
  if (run === undefined) return runs.unknownRun(path, response)
  const frame = runs.currentFrame(run)
  if (frame.status !== FINISHED) {
    // The real server answers 200 with a plain-text error here (O-junitctl).
    return send(response, 200, 'Report generation failed, Test plan run is not completed', 'application/xml')
  }
  const custom = run.junit
  if (custom !== undefined) {
    return send(response, custom.status ?? 200, custom.body, custom.contentType ?? 'application/xml')
  }
  send(
    response,
    200,
    junitXml(run.plan, countsOf(frame), { runId: run.id, baseUrl, durationMs: run.durationMs }),
    'application/xml'
  )
}

// What each outcome's `<failure>` message says; Testsigma prints a missing message as "null" (O-junit).
const FAILURE_MESSAGES: Record<'failed' | 'aborted' | 'stopped' | 'notExecuted', (n: number) => string> = {
  failed: n => `Step ${(n % 4) + 2} failed: element "#pay-button" was not found within 30 s`,
  aborted: () => 'null',
  stopped: () => 'null',
  notExecuted: () => 'null'
}

/**
 * A JUnit report in Testsigma's shape (docs §6.3): `<testsuites>` without attributes, one
 * `<testsuite name="<plan> || <device>" timestamp tests failures errors time>` per device with its properties and
 * `<system-out>`, and for every case that did not pass a text-only `<failure>` in Testsigma's words. The run's
 * test cases are dealt to the devices in turn; times are `ss.SSS` (a device of a long run goes past 60 s). The
 * devices run side by side, each through its own cases one after the other, so no device takes longer than the run.
 */
export function junitXml(
  plan: Pick<PlanScript, 'name' | 'devices' | 'caseNames'>,
  counts: SimCounts,
  where: { runId: number; baseUrl: string; durationMs?: number }
): string {
  const url = `${where.baseUrl}/ui/td/runs/${where.runId}`
  const outcomes: Array<'passed' | keyof typeof FAILURE_MESSAGES> = []
  const add = (outcome: (typeof outcomes)[number], howMany: number): void => {
    for (let i = 0; i < howMany; i++) outcomes.push(outcome)
  }
  add('passed', counts.passed)
  add('failed', counts.failed)
  add('aborted', counts.aborted)
  add('stopped', counts.stopped)
  add('notExecuted', counts.notExecuted)
  const devices = plan.devices ?? ['Chrome 120 on Windows 11']
  // A device's cases fill at most 90 % of the run's duration (the rest is queueing and setting up the devices).
  const runMs = where.durationMs ?? 60_000
  const suites = devices.map((device, d) => {
    const onDevice = outcomes.filter((_, i) => i % devices.length === d).length
    const slotMs = Math.floor((runMs * 0.9) / Math.max(1, onDevice))
    const cases: string[] = []
    let failures = 0
    let timeMs = 0
    outcomes.forEach((outcome, i) => {
      if (i % devices.length !== d) return
      const n = i + 1
      // Cases differ a little in length (between half and all of their slot); not executed or stopped take none.
      const caseMs =
        outcome === 'notExecuted' || outcome === 'stopped' ? 0 : Math.floor(slotMs * (0.5 + ((n * 37) % 50) / 100))
      timeMs += caseMs
      const caseName = plan.caseNames?.[(n - 1) % plan.caseNames.length] ?? `Test case ${n}`
      const open = `        <testcase name="${escapeXml(caseName)}" classname="${escapeXml(plan.name)} suite" time="${ssSss(caseMs)}"`
      if (outcome === 'passed') {
        cases.push(`${open}/>`)
        return
      }
      failures += 1
      const text = `Test failed with message:"${FAILURE_MESSAGES[outcome](n)}".please visit below URL for more details.\n ${url}`
      cases.push(`${open}>`, `            <failure>${escapeText(text)}</failure>`, '        </testcase>')
    })
    const tests = onDevice
    return [
      `    <testsuite name="${escapeXml(`${plan.name} || ${device}`)}" timestamp="2024-05-29 07:29:${String(19 + d).padStart(2, '0')}.0" tests="${tests}" failures="${failures}" errors="${failures}" time="${ssSss(timeMs)}">`,
      '        <properties>',
      `            <property name="Testsigma reports URL" value="${escapeXml(url)}"/>`,
      '        </properties>',
      ...cases,
      `        <system-out>For More info on results, visit ${escapeText(url)}</system-out>`,
      '    </testsuite>'
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<testsuites>',
    ...suites,
    '</testsuites>',
    ''
  ].join('\n')
}

/** Apache DurationFormatUtils' `ss.SSS`: total seconds, at least two digits, then milliseconds. */
function ssSss(ms: number): string {
  return `${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** JAXB escapes only these in text; quotes stay literal (docs §6.3). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

// Hostile reports (issue 17): bodies that once held the step, for the end-to-end tests and the soak.

/** Testsigma's failure text with `spaces` spaces and "x y" after it: quadratic for the old template pattern. */
export function spacedFailureText(spaces: number): string {
  return `Test failed with message:"a".please visit below URL for more details.${' '.repeat(spaces)}x y`
}

/** One suite whose cases each fail with one of `texts` (as XML text, escaped), after `passed` passing cases. */
export function failureTextsReport(texts: readonly string[], passed = 0): string {
  const cases = [
    ...Array.from({ length: passed }, (_, i) => `<testcase name="Passing ${i + 1}" time="1.000"/>`),
    ...texts.map(
      (text, i) => `<testcase name="Case ${i + 1}" time="1.000"><failure>${escapeText(text)}</failure></testcase>`
    )
  ]
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="Plan || Chrome">${cases.join('\n')}</testsuite></testsuites>\n`
}

/** One `<testcase>` holding `attributes` attributes with names as short as they come (`a=""`, `b=""`, …, `aa=""`). */
export function manyAttributesReport(attributes: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const parts: string[] = []
  for (let i = 0; i < attributes; i++) {
    let name = ''
    for (let n = i; ; n = Math.floor(n / letters.length) - 1) {
      name = letters[n % letters.length] + name
      if (n < letters.length) break
    }
    parts.push(`${name}=""`)
  }
  return `<testsuites><testsuite name="s"><testcase ${parts.join(' ')}/></testsuite></testsuites>`
}

/** `cases` test cases in one suite, each failing with a short standard `<failure>` (or passing). */
export function manyCasesReport(cases: number, failing = true): string {
  const one = failing ? '<testcase name="c"><failure message="m"/></testcase>' : '<testcase name="c"/>'
  return `<testsuites><testsuite name="s">${one.repeat(cases)}</testsuite></testsuites>`
}

/** Suites nested `depth` deep, one case in the innermost. */
export function deeplyNestedReport(depth: number): string {
  return `<testsuites>${'<testsuite name="s">'.repeat(depth)}<testcase name="c"/>${'</testsuite>'.repeat(depth)}</testsuites>`
}
