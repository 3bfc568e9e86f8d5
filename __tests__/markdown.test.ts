import { escapeMarkdown } from '../src/report/escape.js'
import type { TestCaseResult } from '../src/report/junit.js'
import { answerLine, deviceLines, reportNotes } from '../src/report/markdown.js'
import { decideVerdict } from '../src/report/verdict.js'
import { finishedRunReport } from './helpers/reports.js'

describe('escapeMarkdown', () => {
  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b *c* <d> & `e`')).toBe('a\\|b \\*c\\* &lt;d&gt; &amp; \\`e\\`')
  })

  it.each([
    ['- item', '\\- item'],
    ['--- rule', '\\--- rule'],
    ['-', '\\-'],
    ['1. item', '1\\. item'],
    ['123456789. item', '123456789\\. item'],
    ['-5 °C', '-5 °C'],
    ['1.4.2', '1.4.2'],
    ['a - b', 'a - b']
  ])('escapes a list marker only where it starts the text: %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped)
  })

  it('breaks @mentions of people and teams with a zero-width space, so they notify no one', () => {
    expect(escapeMarkdown('cc @octocat and @octo-org/qa_team')).toBe(
      'cc @&#8203;octocat and @&#8203;octo-org/qa\\_team'
    )
    expect(escapeMarkdown('mail qa@example.com, @ alone')).toBe('mail qa@&#8203;example.com, @ alone')
  })
})

describe('deviceLines of a re-run', () => {
  const onDevices = (count: number): TestCaseResult[] =>
    Array.from({ length: count }, (_, i) => ({ device: `Device ${i + 1}`, name: 'Log in', outcome: 'passed' as const }))

  it('says whose devices they are, before the list or in the folded block', () => {
    expect(deviceLines(onDevices(2), 'run 339 (re-run 1)').slice(0, 3)).toEqual([
      '**Devices in run 339 (re-run 1):**',
      '',
      '- **Device 1:** 1 test: 1 passed'
    ])
    expect(deviceLines(onDevices(11), 'run 339 (re-run 1)')[0]).toBe(
      '<details><summary>Results on 11 devices in run 339 (re-run 1)</summary>'
    )
    expect(deviceLines(onDevices(2))[0]).toBe('- **Device 1:** 1 test: 1 passed')
  })
})

describe('the answer line of a re-run of failed tests', () => {
  const reRunOf = {
    runId: '335',
    runUrl: 'https://app.testsigma.com/ui/td/runs/335',
    attempt: 1,
    firstRunId: '335',
    notPassed: 3
  }
  const of = '[run 335](https://app.testsigma.com/ui/td/runs/335) (attempt 1)'
  const link = ' · [Open run 337 in Testsigma](https://app.testsigma.com/ui/td/runs/337)'

  it.each<[string, Record<string, unknown>, string]>([
    [
      'all passed',
      { result: 'SUCCESS', totalCount: 3, passedCount: 3, failedCount: 0, abortedCount: 0 },
      'Re-ran the 3 failed tests of RUN: all passed'
    ],
    [
      'one passed',
      { result: 'SUCCESS', totalCount: 1, passedCount: 1, failedCount: 0, abortedCount: 0 },
      'Re-ran the 1 failed test of RUN: passed'
    ],
    [
      'one still failed',
      { result: 'FAILURE', totalCount: 3, passedCount: 2, failedCount: 1, abortedCount: 0 },
      'Re-ran the 3 failed tests of RUN: 1 still failed'
    ],
    [
      'some aborted',
      { result: 'ABORTED', totalCount: 3, passedCount: 1, failedCount: 1, abortedCount: 1 },
      'Re-ran the 3 failed tests of RUN: 2 still did not pass'
    ],
    [
      'no counts',
      { result: 'ABORTED', totalCount: 0, passedCount: 0, failedCount: 0, abortedCount: 0 },
      'Re-ran the 3 failed tests of RUN: aborted'
    ]
  ])('%s', (_what, run, words) => {
    const report = finishedRunReport({ reRunOf }, run)
    expect(answerLine(report)).toBe(`**${words.replace('RUN', of)}**${link}`)
  })

  it("keeps the other outcomes' answers, and a note says what was re-run in every one", () => {
    const report = finishedRunReport({ outcome: 'timed-out', reRunOf })
    expect(answerLine(report)).toMatch(/^\*\*5 of 5 done\*\*/)
    const verdict = decideVerdict(report)
    expect(reportNotes(report, verdict, 'comment')[0]).toBe(
      'Run 337 re-ran only the tests of [run 335](https://app.testsigma.com/ui/td/runs/335) that did not pass, ' +
        "started by attempt 1 of this workflow run (`rerun-failed-tests`); the counts are the chain's, as Testsigma " +
        'shows them: the passes of run 335 and of the re-run.'
    )
  })
})
