/**
 * The caps on what the action reads of a JUnit report, checked in one pass before the parser runs: the counts are
 * exact at the caps, and what is not an element (comments, CDATA, quoted values) is not counted.
 */
import { checkJunitLimits, JUNIT_LIMITS, JunitLimitError } from '../src/report/junit-limits.js'
import { deeplyNestedReport, junitXml, manyAttributesReport, manyCasesReport } from '../sim/reports.js'

function refusal(xml: string): string | undefined {
  try {
    checkJunitLimits(xml)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(JunitLimitError)
    return (error as Error).message
  }
}

/** `elements` elements that are neither test cases nor nested, inside one test case. */
function flatElements(elements: number): string {
  return `<testsuites><testsuite name="s"><testcase name="c"><system-out>${'<x/>'.repeat(elements - 4)}</system-out></testcase></testsuite></testsuites>`
}

describe('checkJunitLimits', () => {
  it('states its caps', () => {
    expect(JUNIT_LIMITS).toEqual({
      testCases: 50_000,
      elements: 500_000,
      attributesPerElement: 100,
      attributes: 1_000_000,
      depth: 64
    })
  })

  it.each([
    ['test cases', manyCasesReport(50_000), manyCasesReport(50_001), 'has more than 50,000 test cases'],
    ['elements', flatElements(500_000), flatElements(500_001), 'has more than 500,000 elements'],
    [
      'attributes on one element',
      manyAttributesReport(100),
      manyAttributesReport(101),
      'has an element with more than 100 attributes'
    ],
    [
      'attributes in all',
      `<testsuites>${`<p ${manyAttributes(100)}/>`.repeat(10_000)}</testsuites>`,
      `<testsuites>${`<p ${manyAttributes(100)}/>`.repeat(10_000)}<p a="1"/></testsuites>`,
      'has more than 1,000,000 attributes'
    ],
    // The root and the suites count (not the self-closed case): 1 + 63 = 64 levels.
    ['nesting', deeplyNestedReport(63), deeplyNestedReport(64), 'nests elements more than 64 deep']
  ])('%s: reads a report at the cap, refuses one past it', (_, atCap, pastCap, problem) => {
    expect(refusal(atCap)).toBeUndefined()
    expect(refusal(pastCap)).toBe(`The JUnit report ${problem}, past what this action reads`)
  })

  it.each([
    ['names without values', (i: number) => `a${i}`],
    ['names run together after a value', (i: number) => `a${i}="1"`, ''],
    ['white space around the equals sign', (i: number) => `a${i} = '1'`]
  ])('counts attributes as names: %s', (_, attribute: (i: number) => string, separator = ' ') => {
    const element = (n: number): string =>
      `<testsuites><testcase ${Array.from({ length: n }, (_, i) => attribute(i)).join(separator)}/></testsuites>`
    expect(refusal(element(100))).toBeUndefined()
    expect(refusal(element(101))).toBe(
      'The JUnit report has an element with more than 100 attributes, past what this action reads'
    )
  })

  it('does not count what is not an element: comments, CDATA, processing instructions, quoted values', () => {
    const hidden = '<testcase name="c"/>'.repeat(60_000)
    const xml =
      `<?xml version="1.0"?><?pi ${hidden}?><!-- ${hidden} --><testsuites><testsuite name="s">` +
      `<testcase name="a > b = c" classname='x=">"'><system-out><![CDATA[${hidden}]]></system-out></testcase>` +
      '</testsuite></testsuites>'
    expect(refusal(xml)).toBeUndefined()
  })

  it('counts <testcase> elements only, not <testcases> or <testcase-group>', () => {
    const others = '<testcases/><testcase-group/>'.repeat(30_000)
    expect(refusal(`<testsuites><testsuite>${others}</testsuite></testsuites>`)).toBeUndefined()
  })

  it("reads every report the simulator writes in Testsigma's shape", () => {
    const xml = junitXml(
      { name: 'Checkout', devices: ['Chrome', 'Pixel 8'] },
      { total: 5000, passed: 4000, failed: 500, aborted: 300, stopped: 100, notExecuted: 100 },
      { runId: 337, baseUrl: 'https://app.testsigma.com' }
    )
    expect(refusal(xml)).toBeUndefined()
  })

  it('refuses entities declared in a DOCTYPE, and reads one that only names a DTD', () => {
    expect(refusal('<!DOCTYPE t [<!ENTITY a "x">]><testsuites/>')).toBe(
      'The JUnit report declares entities in its DOCTYPE, which no JUnit report needs'
    )
    expect(refusal('<!DOCTYPE testsuites SYSTEM "junit.dtd"><testsuites/>')).toBeUndefined()
  })

  it('leaves what is not well-formed to the parser', () => {
    for (const xml of ['', 'plain text', '<', '<a', '<a b="', '<a <b', '</a></b>', '<!--', '<![CDATA[', '<?x']) {
      expect(refusal(xml)).toBeUndefined()
    }
  })
})

function manyAttributes(n: number): string {
  return Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ')
}
