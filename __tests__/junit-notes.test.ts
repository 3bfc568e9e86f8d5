import { JunitFacts, junitNotes } from '../src/report/junit-notes.js'

const FETCH = 'HTTP 403: Forbidden'
const PARSE = 'The JUnit report is not well-formed XML'
const WRITE = 'EACCES: permission denied'

describe('junitNotes: what the step says after the JUnit report', () => {
  it.each<[string, JunitFacts, ReturnType<typeof junitNotes>]>([
    ['passed, no file asked, all read', { passed: true }, { log: [] }],
    [
      'failed, file written, all read',
      { passed: false, target: 'ts.xml' },
      { log: [{ level: 'info', message: 'JUnit report written to ts.xml' }] }
    ],
    [
      'passed, no file asked, report refused: nothing is lost, an info line',
      { passed: true, fetchError: FETCH },
      { log: [{ level: 'info', message: `No JUnit report read: ${FETCH}` }] }
    ],
    [
      'failed, no file asked, report refused: the failed tests are lost',
      { passed: false, fetchError: FETCH },
      {
        log: [{ level: 'warning', message: `Failed tests are not listed: ${FETCH}` }],
        reportWarning: `Failed tests are not listed: ${FETCH}`
      }
    ],
    [
      'passed, file asked, report refused: the file is lost',
      { passed: true, target: 'ts.xml', fetchError: FETCH },
      {
        log: [{ level: 'warning', message: `No JUnit report written to ts.xml: ${FETCH}` }],
        reportWarning: `No JUnit report written to ts.xml: ${FETCH}`
      }
    ],
    [
      'failed, file asked, report refused: both losses in one warning',
      { passed: false, target: 'ts.xml', fetchError: FETCH },
      {
        log: [
          { level: 'warning', message: `No JUnit report written to ts.xml, and failed tests are not listed: ${FETCH}` }
        ],
        reportWarning: `No JUnit report written to ts.xml, and failed tests are not listed: ${FETCH}`
      }
    ],
    [
      'failed, file could not be written: a warning in the log only',
      { passed: false, target: 'ts.xml', writeError: WRITE },
      { log: [{ level: 'warning', message: `No JUnit report written to ts.xml: ${WRITE}` }] }
    ],
    [
      'failed, file written, report unreadable: the failed tests are lost',
      { passed: false, target: 'ts.xml', parseError: PARSE },
      {
        log: [
          { level: 'info', message: 'JUnit report written to ts.xml' },
          { level: 'warning', message: `Failed tests are not listed: ${PARSE}` }
        ],
        reportWarning: `Failed tests are not listed: ${PARSE}`
      }
    ],
    [
      'passed, report unreadable: an info line',
      { passed: true, parseError: PARSE },
      { log: [{ level: 'info', message: `No JUnit report read: ${PARSE}` }] }
    ]
  ])('%s', (_, facts, expected) => {
    expect(junitNotes(facts)).toEqual(expected)
  })
})
