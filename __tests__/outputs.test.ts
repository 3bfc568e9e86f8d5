import { runOutputs } from '../src/report/outputs.js'
import { builtRunReport, reRunReport, RUN_URL } from './helpers/reports.js'

describe('runOutputs', () => {
  it('gives every output as text, nulls as 0', () => {
    expect(runOutputs(builtRunReport({ junitReportPath: 'reports/ts.xml' }))).toEqual({
      'run-id': '337',
      'run-url': RUN_URL,
      'final-run-id': '337',
      're-run-count': '0',
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

  it('sets failed-tests when the tests are known, and leaves it out when they are not', () => {
    const tests = [{ name: 'Pay', device: 'Chrome', outcome: 'aborted' as const, result: 'ABORTED' }]
    expect(JSON.parse(runOutputs(builtRunReport({ testCases: tests }))['failed-tests'])).toEqual([
      { name: 'Pay', device: 'Chrome', result: 'ABORTED', step: null, message: null }
    ])
    expect(runOutputs(builtRunReport())).not.toHaveProperty('failed-tests')
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

describe('runOutputs of a chain', () => {
  it('gives the final run, the number of re-runs and the chain’s result and counts', () => {
    const report = reRunReport()
    expect(runOutputs(report)).toMatchObject({
      'run-id': '337',
      'final-run-id': '339',
      're-run-count': '1',
      result: 'SUCCESS',
      'total-count': '5',
      'passed-count': '5',
      'failed-count': '0',
      'aborted-count': '0'
    })
  })

  it('leaves the aborted count out while Testsigma has not given it and the run is not finished', () => {
    const outputs = runOutputs(
      builtRunReport(
        { outcome: 'timed-out' },
        { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', abortedCount: undefined }
      )
    )
    expect(outputs['aborted-count']).toBeUndefined()
    expect(outputs['failed-count']).toBe('1')
  })

  it('carries the derived aborted count once finished', () => {
    expect(runOutputs(builtRunReport({}, { abortedCount: undefined }))['aborted-count']).toBe('1')
  })
})
