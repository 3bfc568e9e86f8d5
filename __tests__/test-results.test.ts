import { firstFailingStep, MAX_CASES, stepPageOf, testCaseListOf } from '../src/testsigma/test-results.js'

// D-rerun's sample ("Test Case Execution details"), as the docs show it.
const DOCS_CASE_LIST = {
  executionId: 268,
  executionResultId: 986,
  result: 'FAILURE',
  status: 'STATUS_COMPLETED',
  testCases: [
    {
      testCaseId: 413,
      testCaseName: '03 data driven small',
      testCaseResultId: 7975,
      result: 'FAILURE',
      isDataDrivenCase: true,
      iterationResults: [
        { iterationResultId: 7963, setName: 'examples', result: 'SUCCESS' },
        { iterationResultId: 7976, setName: 'travels', result: 'FAILURE' },
        { iterationResultId: 7965, setName: 'examples 1', result: 'FAILURE' }
      ],
      testSuiteId: 197,
      testSuiteName: '02 DD Small',
      testSuiteResultId: 2295,
      machineId: 414,
      machineTitle: 'machine 2',
      machineResultId: 2370
    }
  ]
}

describe('testCaseListOf', () => {
  it("reads the docs' sample: name, result, suite, device, the iterations that did not pass", () => {
    expect(testCaseListOf(DOCS_CASE_LIST, '986')).toEqual({
      total: 1,
      cases: [
        {
          caseResultId: '7975',
          name: '03 data driven small',
          result: 'FAILURE',
          suite: '02 DD Small',
          device: 'machine 2',
          failedIterations: ['travels', 'examples 1'],
          iterations: 3
        }
      ]
    })
  })

  it('refuses an answer about another run, and one without a case list', () => {
    expect(() => testCaseListOf(DOCS_CASE_LIST, '555')).toThrow('are about run 986, not run 555')
    expect(() => testCaseListOf({ ...DOCS_CASE_LIST, testCases: null }, '986')).toThrow('have no "testCases" list')
    expect(() => testCaseListOf([], '986')).toThrow('are not a JSON object')
  })

  it('refuses a case result id JavaScript cannot read exactly', () => {
    // JSON.parse reads 9007199254740993 as …992, which is above 2^53 - 1.
    const body = JSON.parse('{"testCases": [{"testCaseResultId": 9007199254740993, "result": "FAILURE"}]}') as unknown
    expect(() => testCaseListOf(body, '986')).toThrow('without a numeric "testCaseResultId"')
  })

  it('keeps every word as it came, on one line and bounded, without looking it up', () => {
    const body = {
      testCases: [
        { testCaseResultId: 1, testCaseName: 'Pay\nwith card', result: 'constructor', machineTitle: 'x'.repeat(5000) }
      ]
    }
    const [run] = testCaseListOf(body, '986').cases
    expect(run.name).toBe('Pay with card')
    expect(run.result).toBe('constructor')
    expect(run.device?.length).toBeLessThanOrEqual(500)
    expect(run.iterations).toBe(0)
  })

  it('keeps at most MAX_CASES cases and counts the rest', () => {
    const testCases = Array.from({ length: MAX_CASES + 7 }, (_, i) => ({ testCaseResultId: i + 1, result: 'SUCCESS' }))
    const list = testCaseListOf({ testCases }, '1')
    expect(list.cases).toHaveLength(MAX_CASES)
    expect(list.total).toBe(MAX_CASES + 7)
  })
})

// D-levels' sample step page, shortened: the failing step is the fourth.
const DOCS_STEP_PAGE = {
  content: [
    {
      action: 'Navigate to https://simply-travel.testsigma.com/',
      message: 'Successfully opened given URL.',
      result: 'SUCCESS'
    },
    { action: 'Click on Login', result: 'SUCCESS' },
    { action: 'Enter qa-bot in the Username field', result: 'SUCCESS' },
    {
      action: 'Select the radio button Mobile Number Radio Button',
      message: 'Unable to perform click/check action on element, Element is not displayed.',
      errorCode: 1000001,
      errorType: 'ASSERT_ERROR',
      result: 'FAILURE'
    },
    {
      action: 'Enter 9876543212 in the Mobile Number Radio Button field',
      message: 'Major Test step failed.',
      result: 'NOT_EXECUTED'
    },
    { action: 'Click on Continue Button', message: 'Major Test step failed.', result: 'NOT_EXECUTED' }
  ],
  totalElements: null,
  totalPages: 1,
  pageable: null,
  last: false,
  numberOfElements: 6,
  first: true,
  sort: null,
  number: 0,
  size: 100,
  empty: false
}

describe('stepPageOf and firstFailingStep', () => {
  it("finds the docs' failing step: its place, its action text and its message", () => {
    const page = stepPageOf(DOCS_STEP_PAGE, 100)
    expect(page.last).toBe(true)
    expect(firstFailingStep(page.steps)).toEqual({
      position: 4,
      action: 'Select the radio button Mobile Number Radio Button',
      message: 'Unable to perform click/check action on element, Element is not displayed.',
      errorCode: '1000001',
      errorType: 'ASSERT_ERROR',
      result: 'FAILURE'
    })
  })

  it('counts the steps of earlier pages in the position', () => {
    expect(firstFailingStep(stepPageOf(DOCS_STEP_PAGE, 100).steps, 50)?.position).toBe(54)
  })

  it("takes a page as the last when it says so, is short, is empty or reaches totalPages, whatever 'last' says", () => {
    const full = { content: Array.from({ length: 5 }, () => ({ action: 'a', result: 'SUCCESS' })) }
    expect(stepPageOf({ ...full, last: false }, 5).last).toBe(false)
    expect(stepPageOf({ ...full, last: true }, 5).last).toBe(true)
    expect(stepPageOf({ ...full, number: 2, totalPages: 3 }, 5).last).toBe(true)
    expect(stepPageOf(full, 6).last).toBe(true)
    expect(stepPageOf({ content: [] }, 5).last).toBe(true)
  })

  it('finds no failing step in passed, not executed or queued steps, and takes a word new to it as failing', () => {
    const quiet = stepPageOf(
      {
        content: [
          { action: 'a', result: 'SUCCESS' },
          { action: 'b', result: 'NOT_EXECUTED' }
        ]
      },
      9
    )
    expect(firstFailingStep(quiet.steps)).toBeUndefined()
    const odd = stepPageOf(
      {
        content: [
          { action: 'a', result: 'SUCCESS' },
          { action: 'b', result: 'BLOCKED' }
        ]
      },
      9
    )
    expect(firstFailingStep(odd.steps)).toMatchObject({ position: 2, result: 'BLOCKED' })
  })

  it('refuses a page without a content list', () => {
    expect(() => stepPageOf({ steps: [] }, 9)).toThrow('have no "content" list of steps')
  })
})
