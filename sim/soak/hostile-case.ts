/**
 * The fault soak's hostile server text (issue 17), drawn beside the faults of case.ts: a JUnit report that once held
 * the step (long white space after Testsigma's template, deep nesting, many attributes, many cases, huge counts,
 * entities), and a hostile text (sim/soak/hostile-text.ts) in one field that reaches the summary or the comment (the
 * plan's name, the result, the status, test names, devices, failure texts, an error body). The step must still end
 * on time with its verdict (invariants 1 and 4), and no markup may come of the text (invariant 6).
 */
import fc from 'fast-check'
import type { Fault } from '../faults.js'
import {
  deeplyNestedReport,
  failureTextsReport,
  manyAttributesReport,
  manyCasesReport,
  spacedFailureText
} from '../reports.js'
import type { PlanScript, ResultsOptions, Route, SimTestCase } from '../simulator.js'
import { HOSTILE_TEXTS } from './hostile-text.js'

export type HostileReport =
  'long white space' | 'deep nesting' | 'many attributes' | 'many elements' | 'many cases' | 'huge counts' | 'entities'

export type HostileField =
  | 'plan name'
  | 'result'
  | 'status'
  | 'test names'
  | 'devices'
  | 'failure texts'
  | 'trigger error'
  | 'stop error'
  | 'report error'

export interface HostileSetup {
  /** The JUnit report's body, in place of Testsigma's. */
  report?: HostileReport
  /** A hostile text (an index into HOSTILE_TEXTS) in one field. */
  text?: { field: HostileField; index: number }
}

const hostileReport = fc.constantFrom<HostileReport>(
  'long white space',
  'deep nesting',
  'many attributes',
  'many elements',
  'many cases',
  'huge counts',
  'entities'
)

const hostileText = fc.record({
  field: fc.constantFrom<HostileField>(
    'plan name',
    'result',
    'status',
    'test names',
    'devices',
    'failure texts',
    'trigger error',
    'stop error',
    'report error'
  ),
  index: fc.integer({ min: 0, max: HOSTILE_TEXTS.length - 1 })
})

/** About one case in three: a hostile report, a hostile text, or both. */
export const hostileArbitrary: fc.Arbitrary<HostileSetup | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 12 },
  { arbitrary: fc.record({ report: hostileReport }), weight: 2 },
  { arbitrary: fc.record({ text: hostileText }), weight: 4 },
  { arbitrary: fc.record({ report: hostileReport, text: hostileText }), weight: 1 }
)

/** What the setup serves, in words, for the soak's tally: "report: many cases", "text in: plan name". */
export function hostilityOf(setup: HostileSetup | undefined): string[] {
  if (setup === undefined) return ['none']
  return [
    ...(setup.report === undefined ? [] : [`report: ${setup.report}`]),
    ...(setup.text === undefined ? [] : [`text in: ${setup.text.field}`])
  ]
}

/** `plan` with the hostile text in its name, result or status, and the hostile report as every run's report. */
export function withHostility(plan: PlanScript, setup: HostileSetup | undefined): PlanScript {
  if (setup === undefined) return plan
  const text = setup.text === undefined ? undefined : HOSTILE_TEXTS[setup.text.index]
  const field = setup.text?.field
  const frames = (list: PlanScript['frames']): PlanScript['frames'] =>
    list.map(frame => {
      // A result with no counts: the answer line then says the result in words.
      if (frame.status === 'STATUS_COMPLETED') {
        return field === 'result' ? { ...frame, result: text ?? '', counts: { total: 0 } } : frame
      }
      return field === 'status' ? { ...frame, status: text ?? '' } : frame
    })
  const body = reportBody(setup)
  const junit = body === undefined ? undefined : { body }
  // The same text in Testsigma's JSON results, which the action reads first.
  const testCases =
    field === 'test names' || field === 'devices' || field === 'failure texts'
      ? hostileTestCases(field, text ?? '')
      : undefined
  const served = { ...(junit === undefined ? {} : { junit }), ...(testCases === undefined ? {} : { testCases }) }
  return {
    ...plan,
    name: field === 'plan name' ? `${plan.name} ${text}` : plan.name,
    frames: frames(plan.frames),
    ...served,
    reRuns: plan.reRuns?.map(reRun => ({ ...reRun, frames: frames(reRun.frames), ...served }))
  }
}

/**
 * Which results endpoints the server has: none of the JSON results when the case serves a hostile JUnit report or
 * refuses it with a hostile text, so that the report is read as before the JSON results came (issue 18).
 */
export function hostileResults(setup: HostileSetup | undefined): ResultsOptions | undefined {
  return setup?.report !== undefined || setup?.text?.field === 'report error' ? { caseList: false } : undefined
}

/** The JSON results of `standardReport`, with `text` in `field`: a step's text and message, a data set's name. */
function hostileTestCases(field: 'test names' | 'devices' | 'failure texts', text: string): SimTestCase[] {
  const name = (i: number): string => (field === 'test names' ? `${text} ${i}` : `Test ${i}`)
  const message = field === 'failure texts' ? text : 'Element not found'
  const step = (result: string) => [{ action: field === 'failure texts' ? text : 'Click on Pay', result, message }]
  return ['Chrome', 'Pixel 8'].flatMap(machine => {
    const device = field === 'devices' ? `${text} ${machine}` : machine
    return [
      { name: name(1), device, result: 'SUCCESS' },
      {
        name: name(2),
        device,
        result: 'FAILURE',
        steps: step('FAILURE'),
        iterations: [{ setName: field === 'test names' ? text : 'set 1', result: 'FAILURE' }]
      },
      { name: name(3), device, result: 'ABORTED', steps: step('ABORTED') }
    ]
  })
}

/**
 * `faults` with a refusal that carries the hostile text in its error body after the route's own faults: a refused
 * trigger, stop or report.
 */
export function withHostileFaults(
  faults: Record<Route, Fault[]>,
  setup: HostileSetup | undefined
): Record<Route, Fault[]> {
  if (setup?.text === undefined) return faults
  const body = JSON.stringify({ error: 'Bad Request', message: HOSTILE_TEXTS[setup.text.index] })
  const refusal: Fault = { type: 'status', status: 400, body, contentType: 'application/json' }
  const route = refusedRoute(setup.text.field)
  return route === undefined ? faults : { ...faults, [route]: [...faults[route], refusal] }
}

function refusedRoute(field: HostileField): Route | undefined {
  switch (field) {
    case 'trigger error':
      return 'trigger'
    case 'stop error':
      return 'stop'
    case 'report error':
      return 'junit'
    default:
      return undefined
  }
}

/** The report's body for the setup: a hostile one, a standard one with the hostile text in it, or Testsigma's. */
function reportBody(setup: HostileSetup): string | undefined {
  const text = setup.text === undefined ? 'Plain text' : HOSTILE_TEXTS[setup.text.index]
  const field = setup.text?.field
  switch (setup.report) {
    case 'long white space':
      return failureTextsReport([spacedFailureText(200_000), text])
    case 'deep nesting':
      return deeplyNestedReport(100_000)
    case 'many attributes':
      return manyAttributesReport(200_000)
    case 'many elements':
      return `<testsuites><testsuite name="s"><testcase name="c"><system-out>${'<x/>'.repeat(500_001)}</system-out></testcase></testsuite></testsuites>`
    case 'many cases':
      return manyCasesReport(60_000)
    case 'huge counts':
      return (
        '<testsuites tests="99999999999999999999999"><testsuite name="Chrome" tests="-1" failures="1e308" ' +
        `time="${'9'.repeat(400)}"><testcase name="a" time="1e400"/><testcase name="b" time="${'9'.repeat(400)}.5">` +
        '<failure message="m"/></testcase></testsuite></testsuites>'
      )
    case 'entities':
      return '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuites><testsuite name="d"><testcase name="&b;"/></testsuite></testsuites>'
    case undefined:
      if (field !== 'test names' && field !== 'devices' && field !== 'failure texts') return undefined
      return standardReport(field, text)
  }
}

/** A standard JUnit report of three cases on two devices, two of them failing, with `text` in `field`. */
function standardReport(field: 'test names' | 'devices' | 'failure texts', text: string): string {
  const xml = (value: string): string =>
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  const name = (i: number): string => xml(field === 'test names' ? `${text} ${i}` : `Test ${i}`)
  const message = xml(field === 'failure texts' ? text : 'Element not found')
  const suites = ['Chrome', 'Pixel 8'].map(device => {
    const cases = [
      `<testcase name="${name(1)}" time="1.5"/>`,
      `<testcase name="${name(2)}" time="2"><failure message="${message}"/></testcase>`,
      `<testcase name="${name(3)}" time="3"><error message="${message}">${message}</error></testcase>`
    ]
    return `<testsuite name="${xml(field === 'devices' ? `${text} ${device}` : device)}">${cases.join('')}</testsuite>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?><testsuites>${suites.join('')}</testsuites>`
}
