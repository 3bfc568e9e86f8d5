/**
 * The action's own JUnit file (report/junit-writer.ts), read back with xml2js, the parser `dorny/test-reporter` reads
 * JUnit files with (its java-junit reporter), in the shape that reporter walks: `testsuites.testsuite[]`, each
 * `testcase[]` with `failure`, `error` or `skipped`, and their `message`. xml2js is lenient about characters XML 1.0
 * cannot hold, so the file is also checked for them by their definition (XML 1.0 §2.2), and for `]]>`.
 */
import { parseStringPromise } from 'xml2js'
import { renderJunitFile } from '../src/report/junit-writer.js'
import type { ReportedTest } from '../src/report/tests.js'

const FACTS = { planName: 'Checkout flow', runId: '337', runUrl: 'https://app.testsigma.com/ui/td/runs/337' }
const CHROME = 'Chrome 120 (Windows 11)'

const TESTS: ReportedTest[] = [
  { name: 'Log in', device: CHROME, outcome: 'passed', result: 'SUCCESS', suite: 'Smoke' },
  {
    name: 'Pay with card',
    device: CHROME,
    outcome: 'failed',
    result: 'FAILURE',
    suite: 'Smoke',
    step: {
      position: 4,
      action: 'Select the radio button Mobile Number Radio Button',
      message: 'Unable to perform click/check action on element, Element is not displayed.'
    }
  },
  { name: 'Pay with card', device: 'Pixel 8', outcome: 'aborted', result: 'ABORTED' },
  { name: 'Refund', device: 'Pixel 8', outcome: 'not-executed', result: 'NOT_EXECUTED' },
  { name: 'Coupon', device: 'Pixel 8', outcome: 'stopped', result: 'STOPPED' },
  { name: 'Checkout', device: 'Pixel 8', outcome: 'failed', result: 'FAILURE', failedIterations: ['card-visa'] }
]

interface Xml {
  testsuites: {
    $: Record<string, string>
    testsuite: Array<{
      $: Record<string, string>
      properties: Array<{ property: Array<{ $: { name: string; value: string } }> }>
      testcase: Array<{ $: Record<string, string> } & Partial<Record<'failure' | 'error' | 'skipped', unknown[]>>>
    }>
  }
}

// What XML 1.0 cannot hold (§2.2 Char), and what ends a CDATA section.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

async function read(xml: string): Promise<Xml> {
  expect(xml).not.toMatch(NOT_XML)
  expect(xml).not.toContain(']]>')
  return (await parseStringPromise(xml, { strict: true })) as Xml
}

function kindOf(testCase: Xml['testsuites']['testsuite'][number]['testcase'][number]): string {
  return testCase.failure ? 'failure' : testCase.error ? 'error' : testCase.skipped ? 'skipped' : 'passed'
}

describe('renderJunitFile', () => {
  it('writes a suite per device, failure for failed, error for aborted, skipped for stopped and not executed', async () => {
    const xml = await read(renderJunitFile(TESTS, FACTS))
    expect(xml.testsuites.$).toMatchObject({
      name: 'Checkout flow',
      tests: '6',
      failures: '2',
      errors: '1',
      skipped: '2'
    })
    const suites = xml.testsuites.testsuite
    expect(
      suites.map(suite => [suite.$.name, suite.$.tests, suite.$.failures, suite.$.errors, suite.$.skipped])
    ).toEqual([
      [CHROME, '2', '1', '0', '0'],
      ['Pixel 8', '4', '1', '1', '2']
    ])
    expect(suites[1].testcase.map(testCase => `${testCase.$.name}: ${kindOf(testCase)}`)).toEqual([
      'Pay with card: error',
      'Refund: skipped',
      'Coupon: skipped',
      'Checkout: failure'
    ])
    // The suite when Testsigma names it, else the plan, as the class name.
    expect(suites[0].testcase.map(testCase => testCase.$.classname)).toEqual(['Smoke', 'Smoke'])
    expect(suites[1].testcase[0].$.classname).toBe('Checkout flow')
  })

  it('gives the failing step’s message as the failure message, the step in its text, the run link in the properties', async () => {
    const xml = await read(renderJunitFile(TESTS, FACTS))
    const [chrome, pixel] = xml.testsuites.testsuite
    const failure = chrome.testcase[1].failure?.[0] as { _: string; $: { message: string; type: string } }
    expect(failure.$).toEqual({
      message: 'Unable to perform click/check action on element, Element is not displayed.',
      type: 'FAILURE'
    })
    expect(failure._).toBe(
      'Step 4 "Select the radio button Mobile Number Radio Button": "Unable to perform click/check action on element, ' +
        'Element is not displayed."'
    )
    expect(chrome.properties[0].property.map(property => property.$)).toEqual([
      { name: 'Testsigma run', value: '337' },
      { name: 'Testsigma run URL', value: FACTS.runUrl }
    ])
    // A data-driven test names its data sets; one without a step says what Testsigma said.
    const checkout = pixel.testcase[3].failure?.[0] as { $: { message: string } }
    expect(checkout.$.message).toBe('Data set "card-visa"')
    expect((pixel.testcase[1].skipped?.[0] as { $: { message: string } }).$.message).toBe('Testsigma: NOT_EXECUTED')
  })

  it('keeps hostile server text inert: markup, quotes, ]]>, XML-invalid characters and lone surrogates', async () => {
    const hostile = 'a"b\'<c>&d ]]> </testcase><x/>\u0000\u0001\u001b\uD800\uFFFE e\r\nf'
    const tests: ReportedTest[] = [
      {
        name: hostile,
        device: hostile,
        outcome: 'failed',
        result: 'FAILURE',
        suite: hostile,
        step: { position: 1, action: hostile, message: hostile }
      }
    ]
    const xml = await read(renderJunitFile(tests, { ...FACTS, planName: hostile }))
    const [suite] = xml.testsuites.testsuite
    expect(suite.testcase).toHaveLength(1)
    const cleaned = 'a"b\'<c>&d ]]> </testcase><x/> e f'
    expect(suite.$.name).toBe(cleaned)
    expect(suite.testcase[0].$.name).toBe(cleaned)
    expect((suite.testcase[0].failure?.[0] as { $: { message: string } }).$.message).toBe(cleaned)
  })

  it('writes an empty list of suites for a run without tests', async () => {
    const xml = await read(renderJunitFile([], FACTS))
    expect(xml.testsuites.$.tests).toBe('0')
  })
})
