import { runOutputs } from '../src/report/outputs.js'
import { builtRunReport, RUN_URL } from './helpers/reports.js'

describe('runOutputs', () => {
  it('gives every output as text, nulls as 0', () => {
    expect(runOutputs(builtRunReport({ junitReportPath: 'reports/ts.xml' }))).toEqual({
      'run-id': '337',
      'run-url': RUN_URL,
      result: 'FAILURE',
      status: 'STATUS_COMPLETED',
      'total-count': '5',
      'passed-count': '3',
      'failed-count': '1',
      'aborted-count': '1',
      'stopped-count': '0',
      'not-executed-count': '0',
      'duration-ms': '98500',
      'junit-report': 'reports/ts.xml'
    })
  })

  it('leaves out what is not known', () => {
    expect(runOutputs({ outcome: 'failed', testPlanId: '2048', failOnFailure: true, timeoutMs: 1 })).toEqual({
      'junit-report': ''
    })
    const started = runOutputs(
      builtRunReport({ outcome: 'triggered' }, { status: 'STATUS_CREATED', result: 'QUEUED', duration: null })
    )
    expect(started['duration-ms']).toBeUndefined()
    expect(started['run-id']).toBe('337')
  })
})
