import { JunitLimitError } from '../src/report/junit-limits.js'
import fc from 'fast-check'
import { countByDevice } from '../src/report/tests.js'
import { JunitFormatError, parseJunitReport, TestCaseResult, testsigmaMessage } from '../src/report/junit.js'

/** A report shaped like Testsigma's: one suite per device. */
const TWO_DEVICES = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Checkout flow" tests="7" failures="3">
  <testsuite name="Chrome 120 on Windows 11" tests="4" failures="2">
    <testcase name="Add to cart" classname="Checkout flow" time="12.5"></testcase>
    <testcase name="Pay with card" classname="Checkout flow" time="30.25">
      <failure message="Element &quot;#pay&quot; not found &amp; page timed out" type="AssertionError">Step 4: click #pay
at step 4</failure>
    </testcase>
    <testcase name="Apply coupon" classname="Checkout flow" time="3">
      <failure>Expected total 90&#10;got 100</failure>
    </testcase>
    <testcase name="Gift wrap" classname="Checkout flow"><skipped/></testcase>
  </testsuite>
  <testsuite name="Pixel 8 (Android 14)" tests="3" failures="1">
    <testcase name="Add to cart" classname="Checkout flow" time="9"/>
    <testcase name="Pay with card" classname="Checkout flow" time="1.5"><failure/></testcase>
    <testcase name="Log in" classname="Checkout flow" time="0.5"><error message="Session could not be created"/></testcase>
  </testsuite>
</testsuites>
`

describe('parseJunitReport', () => {
  it('maps every <testcase> of several devices, in document order', async () => {
    expect(await parseJunitReport(TWO_DEVICES)).toEqual<TestCaseResult[]>([
      { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed', timeSeconds: 12.5 },
      {
        device: 'Chrome 120 on Windows 11',
        name: 'Pay with card',
        outcome: 'failed',
        failureMessage: 'Element "#pay" not found & page timed out',
        timeSeconds: 30.25
      },
      {
        device: 'Chrome 120 on Windows 11',
        name: 'Apply coupon',
        outcome: 'failed',
        failureMessage: 'Expected total 90\ngot 100',
        timeSeconds: 3
      },
      { device: 'Chrome 120 on Windows 11', name: 'Gift wrap', outcome: 'skipped' },
      { device: 'Pixel 8 (Android 14)', name: 'Add to cart', outcome: 'passed', timeSeconds: 9 },
      { device: 'Pixel 8 (Android 14)', name: 'Pay with card', outcome: 'failed', timeSeconds: 1.5 },
      {
        device: 'Pixel 8 (Android 14)',
        name: 'Log in',
        outcome: 'error',
        failureMessage: 'Session could not be created',
        timeSeconds: 0.5
      }
    ])
  })

  it('takes the failure message from the attribute, else the element text, else the type', async () => {
    const xml = `<testsuite name="d">
      <testcase name="attr"><failure message="short" type="T">long text</failure></testcase>
      <testcase name="text"><failure>  only text  </failure></testcase>
      <testcase name="type"><failure type="java.lang.AssertionError"/></testcase>
      <testcase name="nothing"><failure message="  "></failure></testcase>
      <testcase name="cdata"><error><![CDATA[<b>raw</b> & stack]]></error></testcase>
    </testsuite>`
    expect((await parseJunitReport(xml)).map(c => c.failureMessage)).toEqual([
      'short',
      'only text',
      'java.lang.AssertionError',
      undefined,
      '<b>raw</b> & stack'
    ])
  })

  it('reads a lone <testsuite> root and nested suites (the innermost names the device)', async () => {
    const xml = `<testsuite name="outer"><testcase name="a"/>
      <testsuite name="inner"><testcase name="b"/></testsuite></testsuite>`
    expect((await parseJunitReport(xml)).map(c => `${c.device}/${c.name}`)).toEqual(['outer/a', 'inner/b'])
  })

  it('keeps names that look like numbers as text and ignores a time that is not a number', async () => {
    const [testCase] = await parseJunitReport(
      '<testsuites><testsuite name="007"><testcase name="1.10" time="n/a"/></testsuite></testsuites>'
    )
    expect(testCase).toEqual({ device: '007', name: '1.10', outcome: 'passed' })
  })

  it.each([
    ['an empty <testsuites/>', '<?xml version="1.0"?><testsuites/>'],
    ['suites without test cases', '<testsuites><testsuite name="Chrome" tests="0"></testsuite></testsuites>']
  ])('maps %s to no test cases', async (_, xml) => {
    expect(await parseJunitReport(xml)).toEqual([])
  })

  it.each([
    ['a truncated report', TWO_DEVICES.slice(0, 400)],
    ['an HTML page', '<html><head><title>502</title></head></html>'],
    ['plain text', 'Report generation failed, Test plan run is not completed'],
    ['an empty body', '']
  ])('refuses %s', async (_, xml) => {
    await expect(parseJunitReport(xml)).rejects.toThrow(JunitFormatError)
  })

  it('refuses entities a DOCTYPE declares (no entity bombs), before the parser sees them', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <testsuites><testsuite name="d"><testcase name="&b;"/></testsuite></testsuites>`
    await expect(parseJunitReport(xml)).rejects.toThrow(
      new JunitLimitError('declares entities in its DOCTYPE, which no JUnit report needs')
    )
  })

  it('reads a DOCTYPE that only names a DTD', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE testsuites SYSTEM "junit.dtd">
      <testsuites><testsuite name="d"><testcase name="t"/></testsuite></testsuites>`
    expect(await parseJunitReport(xml)).toEqual([{ device: 'd', name: 't', outcome: 'passed' }])
  })

  it('ignores a time too large to be a number (400 nines are digits, and Infinity to Number)', async () => {
    const xml = `<testsuite name="d" time="${'9'.repeat(400)}"><testcase name="t" time="${'9'.repeat(400)}.5"/></testsuite>`
    expect(await parseJunitReport(xml)).toEqual([{ device: 'd', name: 't', outcome: 'passed' }])
  })

  it('clips names at 1,000 characters and messages at 4,000, so what it returns is bounded by the cases', async () => {
    const xml = `<testsuites><testsuite name="${'d'.repeat(5000)}"><testcase name="${'n'.repeat(5000)}">
      <failure>${'m'.repeat(100_000)}</failure></testcase></testsuite></testsuites>`
    const [testCase] = await parseJunitReport(xml)
    expect([testCase.device.length, testCase.name.length, testCase.failureMessage?.length]).toEqual([1000, 1000, 4000])
    expect(testCase.failureMessage?.endsWith('m…')).toBe(true)
  })

  it('reads a huge report: 20,000 test cases on 4 devices, 5 MB', async () => {
    const suites: string[] = []
    for (let d = 0; d < 4; d++) {
      const cases: string[] = []
      for (let i = 0; i < 5000; i++) {
        const problem =
          i % 5 === 0
            ? `<failure message="Step ${i} failed: expected &lt;${i}&gt; &amp; got &quot;x&quot;">${'    at com.example.Step.run(Step.java:42)\n'.repeat(20)}</failure>`
            : ''
        cases.push(`<testcase name="Case ${i}" classname="Plan" time="1.25">${problem}</testcase>`)
      }
      suites.push(`<testsuite name="Device ${d}">${cases.join('\n')}</testsuite>`)
    }
    const xml = `<?xml version="1.0"?><testsuites>${suites.join('\n')}</testsuites>`
    expect(xml.length).toBeGreaterThan(5_000_000)
    const cases = await parseJunitReport(xml)
    expect(cases).toHaveLength(20_000)
    expect(cases.filter(c => c.outcome === 'failed')).toHaveLength(4000)
    expect(cases[19_990]).toEqual({
      device: 'Device 3',
      name: 'Case 4990',
      outcome: 'failed',
      failureMessage: 'Step 4990 failed: expected <4990> & got "x"',
      timeSeconds: 1.25
    })
  })
})

describe('countByDevice', () => {
  it('counts each device once, in report order, with times added up', async () => {
    expect(countByDevice(await parseJunitReport(TWO_DEVICES))).toEqual([
      {
        device: 'Chrome 120 on Windows 11',
        total: 4,
        passed: 1,
        skipped: 1,
        notPassed: new Map([['failed', 2]]),
        timeSeconds: 45.75
      },
      {
        device: 'Pixel 8 (Android 14)',
        total: 3,
        passed: 1,
        skipped: 0,
        notPassed: new Map([
          ['failed', 1],
          ['error', 1]
        ]),
        timeSeconds: 11
      }
    ])
  })
})

/** The docs' two-device sample of what Testsigma writes (docs/testsigma-api.md §6.3, from O-junit). */
const TESTSIGMA_TWO_DEVICES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<testsuites>
    <testsuite name="Checkout smoke || Chrome on Windows" timestamp="2024-05-29 07:29:19.0" tests="2" failures="1" errors="1" time="141.000">
        <properties>
            <property name="Testsigma reports URL" value="https://testsigma.example.com/ui/td/runs/517"/>
        </properties>
        <testcase name="Login works" classname="Auth" time="23.038"/>
        <testcase name="Pay by card" classname="Payments" time="40.112">
            <failure>Test failed with message:"Element not found".please visit below URL for more details.
 https://testsigma.example.com/ui/td/runs/517</failure>
        </testcase>
        <system-out>For More info on results, visit https://testsigma.example.com/ui/td/runs/517</system-out>
    </testsuite>
    <testsuite name="Checkout smoke || Pixel 7" timestamp="2024-05-29 07:29:20.0" tests="2" failures="1" errors="1" time="05.200">
        <properties>
            <property name="Testsigma reports URL" value="https://testsigma.example.com/ui/td/runs/517"/>
        </properties>
        <testcase name="Login works" classname="Auth" time="04.100"/>
        <testcase name="Pay by card" classname="Payments" time="00.000">
            <failure>Test failed with message:"null".please visit below URL for more details.
 https://testsigma.example.com/ui/td/runs/517</failure>
        </testcase>
        <system-out>For More info on results, visit https://testsigma.example.com/ui/td/runs/517</system-out>
    </testsuite>
</testsuites>
`

describe('a report Testsigma wrote', () => {
  it('names devices without the plan, keeps only the message, and does not call a case "failed"', async () => {
    expect(await parseJunitReport(TESTSIGMA_TWO_DEVICES, { planName: 'Checkout smoke' })).toEqual<TestCaseResult[]>([
      {
        device: 'Chrome on Windows',
        name: 'Login works',
        outcome: 'passed',
        timeSeconds: 23.038,
        deviceTimeSeconds: 141
      },
      {
        device: 'Chrome on Windows',
        name: 'Pay by card',
        outcome: 'not-passed',
        failureMessage: 'Element not found',
        timeSeconds: 40.112,
        deviceTimeSeconds: 141
      },
      { device: 'Pixel 7', name: 'Login works', outcome: 'passed', timeSeconds: 4.1, deviceTimeSeconds: 5.2 },
      // "null" is Testsigma's word for no message.
      { device: 'Pixel 7', name: 'Pay by card', outcome: 'not-passed', timeSeconds: 0, deviceTimeSeconds: 5.2 }
    ])
  })

  it('takes the plan off device names even when the plan’s name is not known (the open-source answer has none)', async () => {
    expect((await parseJunitReport(TESTSIGMA_TWO_DEVICES)).map(c => c.device)).toEqual([
      'Chrome on Windows',
      'Chrome on Windows',
      'Pixel 7',
      'Pixel 7'
    ])
    const oneDevice = TESTSIGMA_TWO_DEVICES.replace(
      /<testsuite name="Checkout smoke \|\| Pixel 7"[\s\S]*?<\/testsuite>/,
      ''
    )
    expect((await parseJunitReport(oneDevice)).map(c => c.device)).toEqual(['Chrome on Windows', 'Chrome on Windows'])
    // A plan whose own name holds " || ": the part all suites share is the plan's.
    const piped = TESTSIGMA_TWO_DEVICES.replaceAll('Checkout smoke ||', 'Web || Checkout ||')
    expect((await parseJunitReport(piped)).map(c => c.device)[2]).toBe('Pixel 7')
    expect((await parseJunitReport(piped, { planName: 'Web || Checkout' })).map(c => c.device)[0]).toBe(
      'Chrome on Windows'
    )
  })

  it('reads the device’s time from its suite, in ss.SSS past 60 s', async () => {
    expect(countByDevice(await parseJunitReport(TESTSIGMA_TWO_DEVICES))).toEqual([
      {
        device: 'Chrome on Windows',
        total: 2,
        passed: 1,
        skipped: 0,
        notPassed: new Map([['not-passed', 1]]),
        timeSeconds: 141
      },
      { device: 'Pixel 7', total: 2, passed: 1, skipped: 0, notPassed: new Map([['not-passed', 1]]), timeSeconds: 5.2 }
    ])
    const long = TESTSIGMA_TWO_DEVICES.replace('time="141.000"', 'time="3723.000"')
    expect(countByDevice(await parseJunitReport(long))[0].timeSeconds).toBe(3723)
  })

  it('keeps a message with quotes, newlines and markup-like text, without the boilerplate or the link', async () => {
    const xml = `<testsuites><testsuite name="P || D"><testcase name="t"><failure>Test failed with message:"Expected "Total" to be 90
but was 100 &lt;EUR&gt;".please visit below URL for more details.
 https://x.example/ui/td/runs/9</failure></testcase></testsuite></testsuites>`
    expect((await parseJunitReport(xml))[0]).toEqual({
      device: 'D',
      name: 't',
      outcome: 'not-passed',
      failureMessage: 'Expected "Total" to be 90\nbut was 100 <EUR>'
    })
  })

  it('reads as standard JUnit once it has what Testsigma never writes (<error>, <skipped>, attributes)', async () => {
    const withError = TESTSIGMA_TWO_DEVICES.replace(
      '<testcase name="Login works" classname="Auth" time="04.100"/>',
      '<testcase name="x"><error message="boom"/></testcase>'
    )
    const cases = await parseJunitReport(withError, { planName: 'Checkout smoke' })
    expect(cases.map(c => c.outcome)).toEqual(['passed', 'failed', 'error', 'failed'])
    // The plan's known name still comes off; the template still gives the message alone.
    expect(cases[1]).toMatchObject({ device: 'Chrome on Windows', failureMessage: 'Element not found' })
  })
})

describe('testsigmaMessage', () => {
  // The pattern it replaces (issue 17): right, but quadratic (or worse) in the white space after the closing words.
  const OLD = /^Test failed with message:"([\s\S]*)"\.please visit below URL for more details\.\s*\S*\s*$/i
  const pieces = fc.constantFrom(
    'Test failed with message:"',
    'TEST FAILED WITH MESSAGE:"',
    '".please visit below URL for more details.',
    '".Please Visit Below url for more details.',
    '"',
    '.',
    ' ',
    '\n',
    '\t',
    '\u00a0',
    'x',
    'https://app.testsigma.com/ui/td/runs/9'
  )

  it('finds what the old pattern found, on every text made of its pieces (on short texts, where it was quick)', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 9 }), parts => {
        const text = parts.join('')
        expect(testsigmaMessage(text)).toBe(OLD.exec(text)?.[1])
      }),
      { numRuns: 3000 }
    )
  })

  it('reads the message to the last closing, and refuses two words after it', () => {
    const closing = '".please visit below URL for more details.'
    expect(testsigmaMessage(`Test failed with message:"a${closing}b${closing}\n https://x/1`)).toBe(`a${closing}b`)
    expect(testsigmaMessage(`Test failed with message:"a${closing}${' '.repeat(200_000)}x y`)).toBeUndefined()
  })
})
