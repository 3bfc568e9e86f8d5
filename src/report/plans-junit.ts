/**
 * The one JUnit file of a step that ran several test plans: every plan's test cases, one `<testsuite>` per plan and
 * device, named "<plan> (<id>) · <device>" so that CI tools that list suites tell the plans apart. Written from the
 * cases read from each plan's own report (`junit.ts`), so one format comes out whatever each report looked like.
 * Pure.
 */
import { isFailedTest, TestCaseResult } from './junit.js'
import type { RunReport } from './report.js'

/** The file's XML; a plan without cases (it never started, or its report could not be read) has no suite. */
export function renderPlansJunit(plans: readonly RunReport[]): string {
  const suites: string[] = []
  let tests = 0
  let failures = 0
  for (const plan of plans) {
    const cases = plan.testCases ?? []
    const planTitle =
      plan.state?.planName === undefined
        ? `Test plan ${plan.testPlanId}`
        : `${plan.state.planName} (${plan.testPlanId})`
    const byDevice = new Map<string, TestCaseResult[]>()
    for (const testCase of cases) {
      const list = byDevice.get(testCase.device)
      if (list === undefined) byDevice.set(testCase.device, [testCase])
      else list.push(testCase)
    }
    for (const [device, deviceCases] of byDevice) {
      const failed = deviceCases.filter(testCase => testCase.outcome !== 'error' && isFailedTest(testCase)).length
      const errors = deviceCases.filter(testCase => testCase.outcome === 'error').length
      const skipped = deviceCases.filter(testCase => testCase.outcome === 'skipped').length
      tests += deviceCases.length
      failures += failed + errors
      const name = device === '' ? planTitle : `${planTitle} · ${device}`
      const time = deviceCases[0].deviceTimeSeconds
      suites.push(
        `  <testsuite name="${xml(name)}" tests="${deviceCases.length}" failures="${failed}" errors="${errors}" ` +
          `skipped="${skipped}"${time === undefined ? '' : ` time="${time}"`}>`,
        ...deviceCases.map(testCase => caseElement(testCase, planTitle)),
        '  </testsuite>'
      )
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="Testsigma: ${plans.length} test plans" tests="${tests}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    ''
  ].join('\n')
}

function caseElement(testCase: TestCaseResult, className: string): string {
  const time = testCase.timeSeconds === undefined ? '' : ` time="${testCase.timeSeconds}"`
  const open = `    <testcase name="${xml(testCase.name)}" classname="${xml(className)}"${time}`
  const message = testCase.failureMessage === undefined ? '' : ` message="${xml(testCase.failureMessage)}"`
  switch (testCase.outcome) {
    case 'passed':
      return `${open}/>`
    case 'skipped':
      return `${open}><skipped/></testcase>`
    case 'error':
      return `${open}><error${message}/></testcase>`
    case 'failed':
    case 'not-passed':
      return `${open}><failure${message}/></testcase>`
  }
}

/** Text for an XML attribute: the five special characters escaped, characters XML 1.0 cannot hold dropped. */
export function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing what XML 1.0 forbids is this function's purpose
      .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  )
}
