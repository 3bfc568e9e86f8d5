import {
  parseRunAnnotation,
  parseRunMetadata,
  renderRunAnnotation,
  renderRunMetadata,
  runAnnotationOf,
  runAttempt,
  runEntryOf
} from '../src/github/run-metadata.js'
import { finishedRunReport } from './helpers/reports.js'
import type { RunReport } from '../src/report/report.js'

const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
const PREFIX = '<!-- testsigma-test-plan-action:runs '

/** A comment body whose last line is the metadata line with `json` in it. */
const bodyWith = (json: string): string =>
  `<!-- testsigma-test-plan-action:plan=4096 -->\n### ❌ failed\n\n${PREFIX}${json} -->`

describe('the comment metadata', () => {
  it('reads back what it writes, for several plans, as the last line of the body', () => {
    const entries = [
      { plan: '4096', run: '337', attempt: 1, sha: SHA },
      { plan: '2048', run: '341', attempt: 2, sha: SHA, root: '338' }
    ]
    const line = renderRunMetadata(entries)
    expect(line).toBe(
      `${PREFIX}{"v":1,"runs":[{"plan":"4096","run":"337","attempt":1,"sha":"${SHA}"},` +
        `{"plan":"2048","run":"341","attempt":2,"sha":"${SHA}","root":"338"}]} -->`
    )
    expect(parseRunMetadata(`marker\ntext\n\n${line}\n`)).toEqual(entries)
  })

  it("reads only the last line: metadata quoted higher up in the body is not the action's", () => {
    const line = renderRunMetadata([{ plan: '4096', run: '337', attempt: 1, sha: SHA }])
    expect(parseRunMetadata(`${line}\nsome words after it`)).toEqual([])
  })

  it.each([
    ['another version', `{"v":2,"runs":[{"plan":"4096","run":"337","attempt":1,"sha":"${SHA}"}]}`],
    ['no list', '{"v":1,"runs":{"plan":"4096"}}'],
    ['not JSON', '{"v":1,"runs":[{"plan":"4096",'],
    ['a JSON array', '[1,2]'],
    ['null', 'null']
  ])('gives nothing for %s', (_what, json) => {
    expect(parseRunMetadata(bodyWith(json))).toEqual([])
  })

  it.each([
    ['a run id as a number', { run: 337 }],
    ['a run id with a sign', { run: '-337' }],
    ['a run id with leading zeros', { run: '0337' }],
    ['a run id of 2^53 or more', { run: '9007199254740993' }],
    ['a run id of 17 digits', { run: '12345678901234567' }],
    ['a plan id that is not digits', { plan: '4096 ' }],
    ['a root that is not an id', { root: 'x' }],
    ['attempt 0', { attempt: 0 }],
    ['a fractional attempt', { attempt: 1.5 }],
    ['an attempt as text', { attempt: '1' }],
    ['a short SHA', { sha: '0a1b2c3' }],
    ['an upper-case SHA', { sha: SHA.toUpperCase() }]
  ])('drops an entry with %s, and keeps the others', (_what, change) => {
    const good = { plan: '2048', run: '338', attempt: 1, sha: SHA }
    const bad = { plan: '4096', run: '337', attempt: 1, sha: SHA, ...change }
    expect(parseRunMetadata(bodyWith(JSON.stringify({ v: 1, runs: [bad, good] })))).toEqual([good])
  })

  it("refuses a line too long to be the action's, and reads at most 100 entries", () => {
    const entry = { plan: '4096', run: '337', attempt: 1, sha: SHA }
    const padded = JSON.stringify({ v: 1, runs: [entry], pad: 'x'.repeat(16 * 1024) })
    expect(parseRunMetadata(bodyWith(padded))).toEqual([])
    const many = Array.from({ length: 150 }, (_, i) => ({ ...entry, plan: String(i + 1) }))
    expect(parseRunMetadata(bodyWith(JSON.stringify({ v: 1, runs: many })))).toHaveLength(100)
  })
})

describe('runEntryOf', () => {
  const report: RunReport = { outcome: 'finished', testPlanId: '4096', runId: '338', failOnFailure: true, timeoutMs: 1 }

  it('names the run the step started, its attempt and commit, and the first run of a re-run', () => {
    expect(runEntryOf(report, { GITHUB_SHA: SHA, GITHUB_RUN_ATTEMPT: '2' })).toEqual({
      plan: '4096',
      run: '338',
      attempt: 2,
      sha: SHA
    })
    const reRun = {
      ...report,
      reRunOf: { runId: '337', runUrl: 'u', attempt: 1, firstRunId: '335', notPassed: 3 }
    }
    expect(runEntryOf(reRun, { GITHUB_SHA: SHA })).toEqual({
      plan: '4096',
      run: '338',
      attempt: 1,
      sha: SHA,
      root: '335'
    })
  })

  it('leaves nothing when no run started or the commit is unknown', () => {
    expect(runEntryOf({ ...report, runId: undefined }, { GITHUB_SHA: SHA })).toBeUndefined()
    expect(runEntryOf(report, {})).toBeUndefined()
    expect(runEntryOf(report, { GITHUB_SHA: 'main' })).toBeUndefined()
  })

  it.each([
    [undefined, 1],
    ['', 1],
    ['3', 3],
    ['0', 1],
    ['2x', 1],
    ['123456', 1]
  ])('reads GITHUB_RUN_ATTEMPT %p as %p', (value, attempt) => {
    expect(runAttempt(value === undefined ? {} : { GITHUB_RUN_ATTEMPT: value })).toBe(attempt)
  })
})

describe('the notice for a later attempt', () => {
  const entry = { plan: '4096', run: '337', attempt: 1, sha: SHA }

  it('says what a re-run of the job does, and carries the entry', () => {
    const message = renderRunAnnotation(entry, 2)
    expect(message).toBe(
      'Re-running this job re-runs only the 2 tests of Testsigma run 337 (test plan 4096) that did not pass. ' +
        `testsigma-test-plan-action:runs {"v":1,"runs":[{"plan":"4096","run":"337","attempt":1,"sha":"${SHA}"}]}`
    )
    expect(parseRunAnnotation(message)).toEqual([entry])
    expect(parseRunAnnotation('a notice of another step')).toEqual([])
    expect(parseRunAnnotation(`testsigma-test-plan-action:runs {"v":1,"runs":[${'{},'.repeat(9000)}{}]}`)).toEqual([])
  })

  it('is left only for a finished run that did not pass and was not stopped', () => {
    const env = { GITHUB_SHA: SHA, GITHUB_RUN_ATTEMPT: '1' }
    // Run 337: FAILURE, 3 of 5 passed.
    expect(runAnnotationOf(finishedRunReport(), env)).toBe(renderRunAnnotation(entry, 2))
    expect(
      runAnnotationOf(
        finishedRunReport({}, { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 }),
        env
      )
    ).toBeUndefined()
    expect(runAnnotationOf(finishedRunReport({}, { result: 'STOPPED' }), env)).toBeUndefined()
    expect(runAnnotationOf(finishedRunReport({ outcome: 'timed-out' }), env)).toBeUndefined()
    expect(runAnnotationOf(finishedRunReport(), {})).toBeUndefined()
  })
})
