/**
 * The job summary and the pull-request comment as GitHub renders them (GitHub-flavoured markdown to HTML, the
 * renderer of `npm run pictures`), for the four cases a reader meets: passed, failed on two devices, timed out,
 * never started. What is checked is what a person sees: the heading and the answer under it, tables that are
 * tables, links that go where they say, notes that stay apart, and no markdown escapes showing as backslashes.
 */
import type { TestCaseResult } from '../src/report/junit.js'
import { renderComment } from '../src/report/comment.js'
import type { RunReport } from '../src/report/report.js'
import { renderSummary } from '../src/report/summary.js'
import { decideVerdict } from '../src/report/verdict.js'
import { renderGfm } from '../scripts/render-markdown.js'
import { finishedRunReport, RUN_URL } from './helpers/reports.js'

const WORKFLOW_RUN = 'https://github.com/octo/shop/actions/runs/4711'
const CONTEXT = { commitSha: '9f8e7d6c5b4a3928', workflowRunUrl: WORKFLOW_RUN }

const TWO_DEVICES: TestCaseResult[] = ['Chrome 120 on Windows 11', 'Safari 17 on macOS 14'].flatMap(device => [
  { device, name: 'TC-101 Log in', outcome: 'passed' as const },
  {
    device,
    name: 'TC-104 Apply coupon',
    outcome: 'not-passed' as const,
    failureMessage: 'Element "#coupon" not found'
  },
  { device, name: 'TC-105 Pay (see https://docs.example.com/pay_flow#cards)', outcome: 'not-passed' as const }
])

const CASES: Array<{ name: string; report: RunReport; heading: string; answer: string }> = [
  {
    name: 'passed',
    report: finishedRunReport(
      { testCases: TWO_DEVICES.filter(c => c.outcome === 'passed') },
      { result: 'SUCCESS', totalCount: 2, passedCount: 2, failedCount: 0, abortedCount: 0 }
    ),
    heading: '✅ Testsigma: Checkout flow passed',
    answer: 'All 2 passed on 2 devices · Open run 337 in Testsigma'
  },
  {
    name: 'failed on two devices',
    report: finishedRunReport(
      { testCases: TWO_DEVICES },
      { totalCount: 6, passedCount: 2, failedCount: 3, abortedCount: 1 }
    ),
    heading: '❌ Testsigma: Checkout flow failed',
    answer: '4 of 6 did not pass on 2 devices · Open run 337 in Testsigma'
  },
  {
    name: 'timed out',
    report: finishedRunReport(
      { outcome: 'timed-out', timeoutMs: 30 * 60_000, stop: { stopped: true, runId: '337' } },
      {
        status: 'STATUS_IN_PROGRESS',
        result: 'QUEUED',
        totalCount: 50,
        passedCount: 20,
        failedCount: 3,
        abortedCount: 0
      }
    ),
    heading: '⏱️ Testsigma: Checkout flow did not finish in 30 min',
    answer: '23 of 50 done (20 passed, 3 failed), 27 not finished · Open run 337 in Testsigma'
  },
  {
    name: 'never started',
    report: {
      outcome: 'failed',
      testPlanId: '2048',
      failOnFailure: true,
      timeoutMs: 60_000,
      error:
        'Testsigma refused the API key (HTTP 401: Unauthorized) on the trigger of test plan 2048. Check the api-key ' +
        'secret, and that base-url (https://testsigma.example.com) is the Testsigma server the key belongs to.',
      errorBrief: 'the API key was refused'
    },
    heading: '⚠️ Testsigma: Test plan 2048 could not start',
    answer: 'Could not start: the API key was refused'
  }
]

/** The text a reader sees in an HTML fragment: tags dropped, entities decoded, white space collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map(match => match[1])
}

describe.each(CASES)('rendered as GitHub shows it: $name', ({ report, heading, answer }) => {
  const verdict = decideVerdict(report)
  const pages = {
    summary: renderGfm(renderSummary(report, verdict)),
    comment: renderGfm(renderComment(report, verdict, CONTEXT))
  }

  it.each(Object.entries(pages))('%s: the heading, then the answer on the line under it', (_, html) => {
    expect(elements(html, 'h3').map(visibleText)).toEqual([heading])
    expect(visibleText(elements(html, 'p')[0])).toBe(answer)
  })

  it.each(Object.entries(pages))('%s: links go where they say, with no backslash in them', (_, html) => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map(match => match[1].replace(/&amp;/g, '&'))
    for (const href of hrefs) {
      expect(href).toMatch(/^https?:\/\/[^\s\\]+$/)
      expect(() => new globalThis.URL(href)).not.toThrow()
    }
    expect(hrefs.includes(RUN_URL)).toBe(report.runId !== undefined)
  })

  it.each(Object.entries(pages))('%s: no markdown escape shows, every table is a table', (_, html) => {
    const text = visibleText(html.replace(/<code>[\s\S]*?<\/code>/g, ''))
    expect(text).not.toMatch(/\\[()[\]#*_|!`<>]/)
    expect(text).not.toMatch(/\|\s*---/)
    // A run that started has its counts table; one that never started has nothing to count.
    const headers = elements(html, 'th').map(visibleText)
    expect(['Total', 'Passed', 'Failed'].every(header => headers.includes(header))).toBe(report.state !== undefined)
  })

  it.each(Object.entries(pages))('%s: each note is its own list item, a sentence', (_, html) => {
    const notes = elements(html, 'li')
      .map(visibleText)
      .filter(item => !/^\S.*: \d+ tests?:/.test(item))
    for (const note of notes) expect(note).toMatch(/[.!?…)]$/)
  })
})

describe('rendered comment of the failed run', () => {
  const report = CASES[1].report
  const html = renderGfm(renderComment(report, decideVerdict(report), CONTEXT))

  it('groups the tests that did not pass by test, each with the devices it did not pass on', () => {
    const rows = elements(html, 'tr').map(row => elements(row, 'td').map(visibleText))
    expect(rows.filter(cells => cells.length === 3)).toEqual([
      ['TC-104 Apply coupon', 'Chrome 120 on Windows 11, Safari 17 on macOS 14', 'Element "#coupon" not found'],
      [
        'TC-105 Pay (see https://docs.example.com/pay_flow#cards)',
        'Chrome 120 on Windows 11, Safari 17 on macOS 14',
        '—'
      ]
    ])
  })

  it('links a URL in a test name whole, and points to the workflow run, never to a file on the runner', () => {
    expect(html).toContain('href="https://docs.example.com/pay_flow#cards"')
    expect(html).toContain(`href="${WORKFLOW_RUN}"`)
    expect(visibleText(html)).toContain('Devices: Chrome 120 on Windows 11: 1 passed, 2 did not pass')
  })
})
