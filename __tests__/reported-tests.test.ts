/**
 * The one test model (report/tests.ts) from Testsigma's JSON results, the reasons it gives, and the `failed-tests`
 * output rendered from it (report/outputs.ts).
 */
import { failedTestsOutput, FAILED_TESTS_MAX_BYTES, FAILED_TESTS_MAX_ENTRIES } from '../src/report/outputs.js'
import { outcomeOf, reasonOf, ReportedTest, testsFromResults } from '../src/report/tests.js'
import type { FailingStep, TestCaseRun } from '../src/testsigma/test-results.js'

const CHROME = 'Chrome 120 (Windows 11)'
const STEP: FailingStep = {
  position: 4,
  action: 'Select the radio button Mobile Number Radio Button',
  result: 'FAILURE',
  message: 'Unable to perform click/check action on element, Element is not displayed.',
  errorType: 'ASSERT_ERROR'
}

function run(caseResultId: string, name: string, result: string, more: Partial<TestCaseRun> = {}): TestCaseRun {
  return { caseResultId, name, result, device: CHROME, failedIterations: [], iterations: 0, ...more }
}

describe('testsFromResults', () => {
  it('takes Testsigma’s words, the failing step, the suite and the failing data sets of a data-driven test', () => {
    const cases = [
      run('1', 'Log in', 'SUCCESS', { suite: 'Smoke' }),
      run('2', 'Pay with card', 'FAILURE'),
      run('3', 'Refund', 'ABORTED', { device: undefined }),
      run('4', 'Checkout', 'FAILURE', { failedIterations: ['card-visa', 'card-amex'], iterations: 3 })
    ]
    expect(testsFromResults(cases, new Map([['2', STEP]]))).toEqual([
      { name: 'Log in', device: CHROME, outcome: 'passed', result: 'SUCCESS', suite: 'Smoke' },
      {
        name: 'Pay with card',
        device: CHROME,
        outcome: 'failed',
        result: 'FAILURE',
        step: { position: 4, action: STEP.action, message: STEP.message }
      },
      { name: 'Refund', device: '', outcome: 'aborted', result: 'ABORTED' },
      {
        name: 'Checkout',
        device: CHROME,
        outcome: 'failed',
        result: 'FAILURE',
        failedIterations: ['card-visa', 'card-amex']
      }
    ])
  })

  it('tells each of Testsigma’s words apart, and keeps one it does not know', () => {
    expect(
      ['SUCCESS', 'FAILURE', 'ABORTED', 'STOPPED', 'NOT_EXECUTED', 'QUEUED', 'constructor'].map(outcomeOf)
    ).toEqual(['passed', 'failed', 'aborted', 'stopped', 'not-executed', 'unknown', 'unknown'])
  })
})

describe('reasonOf', () => {
  it('says the data sets, then the step and its message; the JUnit message as it came; nothing when unknown', () => {
    const test: ReportedTest = {
      name: 'Checkout',
      device: CHROME,
      outcome: 'failed',
      failedIterations: ['card-visa'],
      step: { position: 2, action: 'Click on Pay', message: 'Element is not displayed.' }
    }
    expect(reasonOf(test)).toBe('Data set "card-visa"; step 2 "Click on Pay": "Element is not displayed."')
    expect(reasonOf({ ...test, failedIterations: undefined })).toBe(
      'Step 2 "Click on Pay": "Element is not displayed."'
    )
    expect(reasonOf({ name: 'x', device: '', outcome: 'not-passed', failureMessage: 'a\nb' })).toBe('a\nb')
    expect(reasonOf({ name: 'x', device: '', outcome: 'stopped', result: 'STOPPED' })).toBeUndefined()
    const many = { ...test, failedIterations: Array.from({ length: 8 }, (_, i) => `set ${i + 1}`), step: undefined }
    expect(reasonOf(many)).toBe('Data sets "set 1", "set 2", "set 3", "set 4", "set 5" and 3 more')
  })
})

describe('failedTestsOutput', () => {
  it('lists what did not pass, one entry per test and device, with its word, step and message', () => {
    const tests: ReportedTest[] = [
      { name: 'Log in', device: CHROME, outcome: 'passed', result: 'SUCCESS' },
      {
        name: 'Pay with card',
        device: CHROME,
        outcome: 'failed',
        result: 'FAILURE',
        step: { position: 4, action: STEP.action, message: STEP.message }
      },
      { name: 'Refund', device: 'Pixel 8', outcome: 'not-executed', result: 'NOT_EXECUTED' },
      { name: 'Checkout', device: 'Pixel 8', outcome: 'failed', result: 'FAILURE', failedIterations: ['card-visa'] },
      { name: 'Old', device: 'Pixel 8', outcome: 'not-passed', failureMessage: 'Element not found' }
    ]
    expect(JSON.parse(failedTestsOutput(tests))).toEqual([
      {
        name: 'Pay with card',
        device: CHROME,
        result: 'FAILURE',
        step: { position: 4, action: STEP.action },
        message: STEP.message
      },
      { name: 'Refund', device: 'Pixel 8', result: 'NOT_EXECUTED', step: null, message: null },
      {
        name: 'Checkout',
        device: 'Pixel 8',
        result: 'FAILURE',
        step: null,
        message: null,
        iterations: ['card-visa']
      },
      // From Testsigma's JUnit report: no word, no step.
      { name: 'Old', device: 'Pixel 8', result: null, step: null, message: 'Element not found' }
    ])
    expect(failedTestsOutput(tests.slice(0, 1))).toBe('[]')
  })

  it(`holds at most ${FAILED_TESTS_MAX_ENTRIES} entries and ${FAILED_TESTS_MAX_BYTES} bytes, each text one line`, () => {
    const many = (n: number, message: string): ReportedTest[] =>
      Array.from({ length: n }, (_, i) => ({
        name: `Test ${i}\n::error::x`,
        device: CHROME,
        outcome: 'failed',
        result: 'FAILURE',
        step: { position: 1, action: 'Click', message }
      }))
    const entries = JSON.parse(failedTestsOutput(many(500, 'short'))) as Array<{ name: string }>
    expect(entries).toHaveLength(FAILED_TESTS_MAX_ENTRIES)
    expect(entries[0].name).toBe('Test 0 ::error::x')
    const large = failedTestsOutput(many(100, 'é'.repeat(5000)))
    expect(Buffer.byteLength(large)).toBeLessThanOrEqual(FAILED_TESTS_MAX_BYTES)
    const kept = JSON.parse(large) as Array<{ message: string }>
    expect(kept.length).toBeGreaterThan(10)
    expect(kept[0].message.length).toBeLessThanOrEqual(500)
  })
})
