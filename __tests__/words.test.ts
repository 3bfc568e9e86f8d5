/**
 * Testsigma's words in people's words, and a word the action does not know shown as it came, in quotes: never looked
 * up as a property of an object (issue 17: "constructor" crashed the reporting, "toString" printed a function).
 */
import { renderComment } from '../src/report/comment.js'
import { renderSummary } from '../src/report/summary.js'
import { decideVerdict } from '../src/report/verdict.js'
import { describeProgress, finishedWords, resultWords, statusWords } from '../src/report/words.js'
import { toRunState } from '../src/testsigma/run-state.js'
import { finishedRunReport } from './helpers/reports.js'

const OBJECT_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']

describe('statusWords, resultWords and finishedWords', () => {
  it('say the known words in people’s words', () => {
    expect(statusWords('STATUS_IN_PROGRESS')).toBe('running')
    expect(resultWords('NOT_EXECUTED')).toBe('not executed')
    expect(resultWords('')).toBe('no result')
    expect(finishedWords('FAILURE')).toBe('failed')
    expect(finishedWords('')).toBe('ended with no result')
  })

  it.each(OBJECT_WORDS)('show %s quoted, as a word this action does not know', word => {
    expect(statusWords(word)).toBe(`"${word}"`)
    expect(resultWords(word)).toBe(`"${word}"`)
    expect(finishedWords(word)).toBe(`ended with result "${word}"`)
  })

  it('keep an unknown word on one line and short', () => {
    expect(resultWords('PARTIAL\nSUCCESS')).toBe('"PARTIAL SUCCESS"')
    expect(statusWords('X'.repeat(500))).toBe(`"${'X'.repeat(99)}…"`)
  })

  it('in a progress line: the status toString is a word, not a function', () => {
    const state = toRunState({ id: 337, status: 'toString', result: 'QUEUED', totalCount: 4, passedCount: 1 })
    expect(describeProgress(state)).toBe('"toString": 1/4 done (1 passed)')
  })
})

describe.each(OBJECT_WORDS)('a run that finished with result %s', word => {
  const report = finishedRunReport(
    { failOnFailure: false },
    { result: word, totalCount: 0, passedCount: 0, failedCount: 0, abortedCount: 0 }
  )
  const verdict = decideVerdict(report)

  it('has a summary and a comment that quote it, and a warning, not an error', () => {
    expect(verdict.level).toBe('warning')
    const summary = renderSummary(report, verdict)
    expect(summary.split('\n').slice(0, 3)).toEqual([
      `### ❌ Testsigma: Checkout flow ended with result "${word.replace(/_/g, '\\_')}"`,
      '',
      `**Ended with result "${word.replace(/_/g, '\\_')}"**, with no test counts from Testsigma · ` +
        '[Open run 337 in Testsigma](https://app.testsigma.com/ui/td/runs/337)'
    ])
    expect(renderComment(report, verdict, { commitSha: 'abc1234' })).toContain(`ended with result "`)
  })
})
