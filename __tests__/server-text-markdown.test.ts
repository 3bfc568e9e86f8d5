/**
 * The guard of issue 17's second finding: no server text adds markup to the job summary or the pull-request
 * comment. Every block of both (every outcome: passed, failed, failed without counts, re-runs, timed out with a stop
 * and with a failed one, cancelled, failed to start, lost track, triggered; the app build, the notes) is rendered as
 * GitHub renders it with a hostile value in each field the server fills, and the HTML is checked: no link, image,
 * HTML tag or mention the action did not write (sim/soak/markup-invariant.ts), and the same tags, in the same
 * order, as with plain words in that field.
 */
import { renderComment } from '../src/report/comment.js'
import type { ReportedTest } from '../src/report/tests.js'
import type { RunReport } from '../src/report/report.js'
import { renderInputErrorSummary, renderSummary } from '../src/report/summary.js'
import { decideVerdict } from '../src/report/verdict.js'
import type { RunState } from '../src/testsigma/run-state.js'
import { renderGfm } from '../sim/gfm.js'
import { HOSTILE_TEXTS } from '../sim/soak/hostile-text.js'
import { foreignMarkup } from '../sim/soak/markup-invariant.js'
import { finishedRunReport, reRunReport } from './helpers/reports.js'

const OWN_LINKS = ['https://app.testsigma.com/', 'https://github.com/']
const CONTEXT = {
  commitSha: '9f8e7d6c5b4a3928',
  commitUrl: 'https://github.com/octo/shop/commit/9f8e7d6c5b4a3928',
  workflowRunUrl: 'https://github.com/octo/shop/actions/runs/4711'
}
const PLAIN = 'Plain words 7'

const CASES: ReportedTest[] = ['Chrome 120 on Windows 11', 'Pixel 8'].flatMap(device => [
  { device, name: 'TC-101 Log in', outcome: 'passed' as const },
  { device, name: 'TC-104 Apply coupon', outcome: 'not-passed' as const, failureMessage: 'Element not found' },
  { device, name: 'TC-105 Pay', outcome: 'error' as const, failureMessage: 'Session lost' }
])

const running = { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', totalCount: 50, passedCount: 20, failedCount: 3 }

/** Every kind of report the summary and the comment show, with every block each can have. */
const REPORTS: Record<string, RunReport> = {
  passed: finishedRunReport(
    { testCases: CASES.filter(c => c.outcome === 'passed') },
    { result: 'SUCCESS', totalCount: 2, passedCount: 2, failedCount: 0, abortedCount: 0, buildNo: '1.4.2' }
  ),
  failed: finishedRunReport(
    { testCases: CASES, junitReportPath: 'reports/ts.xml', app: { uploadId: 7, uploadName: 'Shop', versionId: 9 } },
    { totalCount: 6, passedCount: 2, failedCount: 3, abortedCount: 1, duration: 98_500, buildNo: '1.4.2' }
  ),
  'failed without counts, green (fail-on-failure: false)': finishedRunReport(
    { failOnFailure: false, reportWarning: 'Failed tests are not listed: the report was refused' },
    { totalCount: 0, passedCount: 0, failedCount: 0, abortedCount: 0 }
  ),
  're-runs': withState(reRunReport({ testCases: CASES }), {
    resultConflict: { consolidated: 'FAILURE', finalRun: 'SUCCESS' },
    reRunGivenUp: true
  }),
  'timed out, stopped': finishedRunReport(
    { outcome: 'timed-out', timeoutMs: 30 * 60_000, stop: { stopped: true, runId: '337' } },
    running
  ),
  'timed out, not stopped': finishedRunReport(
    { outcome: 'timed-out', timeoutMs: 30 * 60_000, stop: { stopped: false, runId: '337', detail: 'HTTP 500' } },
    running
  ),
  cancelled: finishedRunReport(
    { outcome: 'cancelled', error: 'The job was cancelled', stop: { stopped: true, runId: '337' } },
    running
  ),
  'failed to start': {
    outcome: 'failed',
    testPlanId: '2048',
    failOnFailure: true,
    timeoutMs: 60_000,
    buildNumber: '1.4.2',
    error: 'Testsigma refused the trigger (HTTP 400: bad request)',
    errorBrief: 'Testsigma refused the trigger',
    app: { uploadId: 7, uploadName: 'Shop', versionId: 9, versionName: '1.4.2' }
  },
  'lost track': finishedRunReport(
    { outcome: 'failed', error: 'Testsigma answered 500 for good', errorBrief: 'the status request failed' },
    running
  ),
  triggered: finishedRunReport({ outcome: 'triggered' }, { status: 'STATUS_CREATED', result: 'QUEUED' })
}

/** Every field the server fills that the summary or the comment shows, and how a value gets there. */
const FIELDS: Record<string, (report: RunReport, value: string) => RunReport> = {
  status: (report, value) => withState(report, { status: value }),
  result: (report, value) => withState(report, { result: value }),
  'plan name': (report, value) => withState(report, { planName: value }),
  'build number': (report, value) => withState(report, { buildNo: value }),
  'run ids': (report, value) => ({
    ...withState(report, { runId: value, finalRunId: value }),
    stop: report.stop && { ...report.stop, runId: value }
  }),
  'result conflict': (report, value) =>
    withState(report, report.state?.resultConflict && { resultConflict: { consolidated: value, finalRun: value } }),
  devices: (report, value) => withCases(report, testCase => ({ ...testCase, device: value })),
  'test names': (report, value) => withCases(report, testCase => ({ ...testCase, name: value })),
  'failure texts': (report, value) =>
    withCases(report, testCase =>
      testCase.failureMessage === undefined ? testCase : { ...testCase, failureMessage: value }
    ),
  'upload and version names': (report, value) => ({
    ...report,
    app: report.app && { ...report.app, uploadName: value, versionName: value }
  }),
  'error texts': (report, value) => ({
    ...report,
    error: report.error && value,
    errorBrief: report.errorBrief && value,
    stop: report.stop && { ...report.stop, detail: report.stop.detail && value },
    reportWarning: report.reportWarning && value
  })
}

function withState(report: RunReport, fields: Partial<RunState> | undefined): RunReport {
  return report.state === undefined || fields === undefined
    ? report
    : { ...report, state: { ...report.state, ...fields } }
}

function withCases(report: RunReport, change: (testCase: ReportedTest) => ReportedTest): RunReport {
  return report.testCases === undefined ? report : { ...report, testCases: report.testCases.map(change) }
}

/** The summary and the comment of `report`, as GitHub shows them. */
function pages(report: RunReport): Record<'summary' | 'comment', string> {
  const verdict = decideVerdict(report)
  return {
    summary: renderGfm(renderSummary(report, verdict)),
    comment: renderGfm(renderComment(report, verdict, CONTEXT))
  }
}

/** The tags in order, without the links GFM makes of a bare address (text that is its own href). */
function skeleton(html: string): string[] {
  const withoutAutolinks = html.replace(/<a href="[^"]*">([^<]*)<\/a>/g, (link, text: string) =>
    foreignMarkup(link, []).length === 0 && text !== '' ? text : link
  )
  return [...withoutAutolinks.matchAll(/<\/?[a-z][a-z0-9]*/g)].map(([tag]) => tag)
}

describe.each(Object.entries(REPORTS))('%s', (_, report) => {
  it.each(Object.entries(FIELDS))('a hostile %s adds no markup to the summary or the comment', (_field, set) => {
    const plain = pages(set(report, PLAIN))
    for (const value of HOSTILE_TEXTS) {
      const hostile = pages(set(report, value))
      for (const page of ['summary', 'comment'] as const) {
        expect({ page, value, problems: foreignMarkup(hostile[page], OWN_LINKS) }).toEqual({
          page,
          value,
          problems: []
        })
        expect({ page, value, tags: skeleton(hostile[page]) }).toEqual({ page, value, tags: skeleton(plain[page]) })
      }
    }
  })
})

describe('the summary of an input refused before anything was sent', () => {
  it.each(HOSTILE_TEXTS)('adds no markup from the message %j', value => {
    const html = renderGfm(renderInputErrorSummary('test-plan-id', value))
    expect(foreignMarkup(html, OWN_LINKS)).toEqual([])
    expect(skeleton(html)).toEqual(skeleton(renderGfm(renderInputErrorSummary('test-plan-id', PLAIN))))
  })
})

describe('foreignMarkup, the check itself', () => {
  it('finds what the issue found: an image, HTML, a phishing link and a live mention', () => {
    const html = renderGfm(`**${HOSTILE_TEXTS[0]}**`)
    expect(foreignMarkup(html, OWN_LINKS)).toEqual([
      'an HTML tag <img>',
      '<details> opened -1 more times than closed',
      'a link to https://evil.example/login named "Log in"',
      'a mention @octocat'
    ])
  })

  it('lets the action’s own links, its tags and a bare address pass', () => {
    const html = renderGfm(
      '### Run\n\n**1 of 2 failed** · [Open run 337 in Testsigma](https://app.testsigma.com/ui/td/runs/337)\n\n' +
        '<details><summary>More</summary>\n\n| a | b |\n| --- | --- |\n| `x` | see https://docs.example.com/a |\n\n</details>'
    )
    expect(foreignMarkup(html, OWN_LINKS)).toEqual([])
  })
})
