import type { TestCaseResult } from '../src/report/junit.js'
import type { RunReport } from '../src/report/report.js'
import { renderSummary } from '../src/report/summary.js'
import { decideVerdict } from '../src/report/verdict.js'
import { toRunState, withoutExpectedReRun, type RunState } from '../src/testsigma/run-state.js'
import { builtRunReport, finishedRunReport, RE_RUN_URL, reRunReport, RUN_URL } from './helpers/reports.js'

/** The summary as the action renders it: with the report's own verdict. */
const summaryOf = (report: RunReport): string => renderSummary(report, decideVerdict(report))

describe('renderSummary', () => {
  it('says the answer under the heading in words, then the counts, duration, build and plan', () => {
    const markdown = summaryOf(builtRunReport())
    const lines = markdown.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '### ❌ Testsigma: Checkout flow failed',
      '',
      `**2 of 5 did not pass** · [Open run 337 in Testsigma](${RUN_URL})`
    ])
    const header = lines.indexOf('| Total | Passed | Failed | Aborted | Stopped | Not executed |')
    expect(header).toBeGreaterThan(0)
    expect(lines[header + 1]).toBe('| ---: | ---: | ---: | ---: | ---: | ---: |')
    expect(lines[header + 2]).toBe('| 5 | 3 | 1 | 1 | 0 | 0 |')
    expect(markdown).toContain('**Duration:** 1 min 39 s · **Build:** 1.4.2 · **Test plan:** 2048')
    expect(markdown).not.toMatch(/null|NaN|undefined|FAILURE|STATUS_/)
  })

  it('says "failed" when every test that did not pass failed, "All N passed" when all did', () => {
    const failedOnly = { abortedCount: 0, failedCount: 2, passedCount: 3 }
    expect(summaryOf(builtRunReport({}, failedOnly)).split('\n')[2]).toMatch(/^\*\*2 of 5 failed\*\* · /)
    const passed = { result: 'SUCCESS', passedCount: 5, failedCount: 0, abortedCount: 0 }
    const markdown = summaryOf(builtRunReport({}, passed))
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '### ✅ Testsigma: Checkout flow passed',
      '',
      `**All 5 passed** · [Open run 337 in Testsigma](${RUN_URL})`
    ])
  })

  it('says when the step stays green on a failed run', () => {
    expect(summaryOf(builtRunReport({ failOnFailure: false }))).toContain(
      '- The run did not pass; the step stays green because `fail-on-failure` is false.'
    )
  })

  it('writes a short summary when not waiting', () => {
    const markdown = summaryOf(
      builtRunReport(
        { outcome: 'triggered' },
        { status: 'STATUS_CREATED', result: 'QUEUED', execution: null, duration: null }
      )
    )
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '### 🚀 Testsigma: Test plan 2048 started',
      '',
      `**Started**, not waited for · [Open run 337 in Testsigma](${RUN_URL})`
    ])
    expect(markdown).not.toContain('| Total |')
    expect(markdown).not.toMatch(/null|NaN|undefined/)
  })

  it('counts what did not finish on a timeout, and says the run was stopped, each note a sentence', () => {
    const markdown = summaryOf(
      builtRunReport(
        { outcome: 'timed-out', timeoutMs: 3_600_000, stop: { stopped: true, runId: '337' } },
        { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', duration: null, passedCount: 2, failedCount: 0 }
      )
    )
    const lines = markdown.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '### ⏱️ Testsigma: Checkout flow did not finish in 1 h',
      '',
      `**3 of 5 done** (2 passed, 1 aborted), 2 not finished · [Open run 337 in Testsigma](${RUN_URL})`
    ])
    expect(lines).toContain('| Total | Passed | Failed | Aborted | Stopped | Not executed | Not finished |')
    expect(lines).toContain('| 5 | 2 | 0 | 1 | 0 | 0 | 2 |')
    expect(lines).toContain('- Only this run was stopped (Testsigma run 337); other runs on Testsigma go on.')
    expect(markdown).not.toMatch(/null|NaN|undefined|STATUS_/)
  })

  it('says where an aborted count above 0 came from when Testsigma gave none', () => {
    // 5 in all, 3 passed, 1 failed, no aborted count: 1 aborted, derived.
    const markdown = summaryOf(builtRunReport({}, { abortedCount: undefined }))
    expect(markdown).toContain('| 5 | 3 | 1 | 1 | 0 | 0 |')
    expect(markdown).toContain(
      "- Aborted is derived: Testsigma's answer has no aborted count, so it is the total less the other counts."
    )
  })

  it('says why a run never started, in a few words, and the whole message as a note', () => {
    const markdown = summaryOf({
      outcome: 'failed',
      testPlanId: '2048',
      failOnFailure: true,
      timeoutMs: 1,
      error: 'Testsigma refused the API key (HTTP 401: Unauthorized) on the trigger of test plan 2048.',
      errorBrief: 'the API key was refused'
    })
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '### ⚠️ Testsigma: Test plan 2048 could not start',
      '',
      '**Could not start:** the API key was refused'
    ])
    expect(markdown).toContain('- Testsigma refused the API key \\(HTTP 401: Unauthorized\\) on the trigger')
  })

  it('keeps URLs in server text linkable: no backslash inside them', () => {
    const markdown = summaryOf(
      builtRunReport({
        outcome: 'failed',
        error: 'Check base-url (https://testsigma.example.com/a_b/#x) and retry'
      })
    )
    expect(markdown).toContain('Check base-url \\(https://testsigma.example.com/a_b/#x) and retry.')
  })

  it('cannot be broken by a hostile plan name', () => {
    const markdown = summaryOf(
      builtRunReport(
        {},
        { execution: { name: 'Evil | name\n::error::pwned <img src=x onerror=alert(1)> [link](http://x)' } }
      )
    )
    const heading = markdown.split('\n')[0]
    expect(heading).toBe(
      '### ❌ Testsigma: Evil \\| name ::error::pwned &lt;img src=x onerror=alert\\(1\\)&gt; \\[link\\]\\(http://x) failed'
    )
    expect(markdown.split('\n').some(line => line.startsWith('::'))).toBe(false)
  })
})

function failingReport(overrides: Partial<RunReport> = {}): RunReport {
  return finishedRunReport(overrides, { duration: 98_500, totalCount: 7, failedCount: 3 })
}

const CASES: TestCaseResult[] = [
  { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed', timeSeconds: 12.5 },
  {
    device: 'Chrome 120 on Windows 11',
    name: 'Pay with card',
    outcome: 'failed',
    failureMessage: 'Element "#pay" not found\n  at step 4',
    timeSeconds: 30
  },
  { device: 'Chrome 120 on Windows 11', name: 'Gift wrap', outcome: 'skipped' },
  { device: 'Pixel 8', name: 'Add to cart', outcome: 'passed', timeSeconds: 9 },
  { device: 'Pixel 8', name: 'Pay with card', outcome: 'failed' },
  {
    device: 'Pixel 8',
    name: 'Log in',
    outcome: 'error',
    failureMessage: 'Session could not be created',
    timeSeconds: 1
  }
]

function manyFailed(n: number, message = (i: number) => `Step ${i} failed`): TestCaseResult[] {
  return Array.from({ length: n }, (_, i) => ({
    device: `Device ${i % 3}`,
    name: `Test ${i + 1}`,
    outcome: 'failed' as const,
    failureMessage: message(i + 1)
  }))
}

describe('renderSummary with the JUnit report', () => {
  it('puts a line per device and a table of failed tests, one row per test with its devices, under the counts', () => {
    const markdown = summaryOf(failingReport({ testCases: CASES, junitReportPath: 'reports/ts.xml' }))
    expect(markdown).toBe(
      [
        '### ❌ Testsigma: Checkout flow failed',
        '',
        `**4 of 7 did not pass** on 2 devices · [Open run 337 in Testsigma](${RUN_URL})`,
        '',
        '| Total | Passed | Failed | Aborted | Stopped | Not executed |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 7 | 3 | 3 | 1 | 0 | 0 |',
        '',
        '- **Chrome 120 on Windows 11:** 3 tests: 1 passed, 1 failed, 1 skipped (43 s)',
        '- **Pixel 8:** 3 tests: 1 passed, 1 failed, 1 error (10 s)',
        '',
        '#### Failed tests (2 tests, 3 test results on 2 devices)',
        '',
        '| Test | Devices | Why |',
        '| --- | --- | --- |',
        '| Pay with card | Chrome 120 on Windows 11, Pixel 8 | Element "\\#pay" not found at step 4 |',
        '| Log in (error) | Pixel 8 | Session could not be created |',
        '',
        '**Duration:** 1 min 39 s · **Test plan:** 4096',
        '',
        "- The JUnit report lists 6 test cases where Testsigma's run object counts 7; the counts table is the run object's.",
        '- JUnit report written to `reports/ts.xml`.',
        ''
      ].join('\n')
    )
  })

  it('lists no table when no test failed, but still the device lines', () => {
    const markdown = summaryOf(failingReport({ testCases: CASES.filter(c => c.outcome === 'passed') }))
    expect(markdown).toContain('- **Pixel 8:** 1 test: 1 passed (9 s)')
    expect(markdown).not.toContain('Failed tests')
  })

  it('folds rows after the tenth into a <details> block', () => {
    const markdown = summaryOf(failingReport({ testCases: manyFailed(14) }))
    const lines = markdown.split('\n')
    expect(lines).toContain('#### Failed tests (14)')
    const details = lines.indexOf('<details><summary>4 more</summary>')
    expect(details).toBeGreaterThan(lines.indexOf('| Test 10 | Device 0 | Step 10 failed |'))
    expect(lines.slice(details, details + 5)).toEqual([
      '<details><summary>4 more</summary>',
      '',
      '| Test | Devices | Why |',
      '| --- | --- | --- |',
      '| Test 11 | Device 1 | Step 11 failed |'
    ])
    expect(lines[lines.indexOf('| Test 14 | Device 1 | Step 14 failed |') + 2]).toBe('</details>')
  })

  it('folds many devices into a <details> block', () => {
    const cases = Array.from({ length: 12 }, (_, i) => ({
      device: `Device ${i}`,
      name: 't',
      outcome: 'passed' as const
    }))
    const markdown = summaryOf(failingReport({ testCases: cases }))
    expect(markdown).toContain('<details><summary>Results on 12 devices</summary>\n\n- **Device 0:** 1 test: 1 passed')
  })

  it('escapes server text in every cell and keeps each row on one line', () => {
    const markdown = summaryOf(
      failingReport({
        testCases: [
          {
            device: 'Evil | device <script>',
            name: 'Name [link](http://x) *bold*',
            outcome: 'failed',
            failureMessage: 'a | b\n::error::pwned\r\n<img src=x onerror=alert(1)>'
          }
        ]
      })
    )
    expect(markdown).toContain(
      '| Name \\[link\\]\\(http://x) \\*bold\\* | Evil \\| device &lt;script&gt; | a \\| b ::error::pwned &lt;img src=x onerror=alert\\(1\\)&gt; |'
    )
    expect(markdown.split('\n').some(line => line.startsWith('::'))).toBe(false)
  })

  it('clips a long message to one short line (400 characters)', () => {
    const markdown = summaryOf(failingReport({ testCases: manyFailed(1, () => 'x'.repeat(5000)) }))
    const row = markdown.split('\n').find(line => line.startsWith('| Test 1 |')) as string
    expect(row.length).toBeLessThan(500)
    expect(row).toContain('x…')
  })

  it('stays under 1 MiB for a huge report and says how many more are elsewhere', () => {
    // 30,000 failed tests with long, escape-heavy messages and names.
    const cases = manyFailed(30_000, i => `<&>|`.repeat(200) + ` ${i}`).map((c, i) => ({
      ...c,
      name: `${'&'.repeat(300)} ${i}`
    }))
    const markdown = summaryOf(failingReport({ testCases: cases, junitReportPath: 'reports/ts.xml' }))
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
    const listed = markdown.split('\n').filter(line => line.startsWith('| &amp;')).length
    expect(listed).toBeGreaterThan(10)
    expect(markdown).toContain(
      `${30_000 - listed} tests that failed, not listed here, are in the JUnit report (\`reports/ts.xml\`) and [Testsigma](${RUN_URL}).`
    )
  })

  it('lists a test that failed on thousands of devices with thousands of messages in one short row', () => {
    const cases = manyFailed(30_000).map(c => ({ ...c, name: 'Checkout', device: `Device ${c.name}` }))
    const markdown = summaryOf(failingReport({ testCases: cases }))
    const row = markdown.split('\n').find(line => line.startsWith('| Checkout |')) as string
    expect(row).toMatch(
      /^\| Checkout \| Device Test 1, Device Test 2, .* and 29995 more \| Step 1 failed \\\(Device Test 1\\\);/
    )
    expect(row).toContain('; 29997 more reasons |')
    expect(row.length).toBeLessThan(800)
    expect(markdown).toContain('#### Failed tests (1 test, 30000 test results on 30000 devices)')
  })

  it('caps the rows of many short failures at 1,000', () => {
    const markdown = summaryOf(failingReport({ testCases: manyFailed(5000) }))
    expect(markdown.split('\n').filter(line => /^\| Test \d/.test(line)).length).toBe(1000)
    expect(markdown).toContain(
      `4000 tests that failed, not listed here, are in the JUnit report and [Testsigma](${RUN_URL}).`
    )
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
  })

  it('says why the failed tests are missing when the report could not be had', () => {
    const markdown = summaryOf(
      failingReport({
        reportWarning:
          'Failed tests are not listed: Testsigma refused the JUnit report request for run 337 (HTTP 403: Enterprise only)'
      })
    )
    expect(markdown).toContain('| 7 | 3 | 3 | 1 | 0 | 0 |')
    expect(markdown).not.toContain('Failed tests (')
    expect(markdown).toContain(
      '- Failed tests are not listed: Testsigma refused the JUnit report request for run 337 \\(HTTP 403: Enterprise only\\).'
    )
  })
})

const TESTSIGMA_CASES: TestCaseResult[] = [
  { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed', timeSeconds: 23 },
  {
    device: 'Chrome 120 on Windows 11',
    name: 'Pay with card',
    outcome: 'not-passed',
    failureMessage: 'Element "#pay" not found',
    deviceTimeSeconds: 141
  },
  { device: 'Pixel 8', name: 'Add to cart', outcome: 'passed', deviceTimeSeconds: 65.2 },
  { device: 'Pixel 8', name: 'Log in', outcome: 'not-passed', deviceTimeSeconds: 65.2 }
]

describe('renderSummary of a re-run chain', () => {
  it('says it passed on re-run 1, links that run, and says whose report the tests are from', () => {
    const passedCases = TESTSIGMA_CASES.slice(0, 1)
    const markdown = summaryOf(reRunReport({ testCases: passedCases }))
    const lines = markdown.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '### ✅ Testsigma: Checkout flow passed',
      '',
      `**All 5 passed on re-run 1** · [Open run 339 in Testsigma](${RE_RUN_URL})`
    ])
    expect(markdown).toContain('| 5 | 5 | 0 | 0 | 0 | 0 |')
    // The re-run's one test is said to be the re-run's, beside the chain's 5.
    expect(markdown).toContain(
      '**Devices in run 339 (re-run 1):**\n\n- **Chrome 120 on Windows 11:** 1 test: 1 passed (23 s)'
    )
    expect(markdown).toContain(
      '- The devices and tests listed are from the JUnit report of run 339 (re-run 1), the run that decided the result.'
    )
    // Derived as 0 (the other counts add up to the total): nothing worth a note.
    expect(markdown).not.toContain('Aborted is derived')
    expect(markdown).toContain(`**First run:** [337](${RUN_URL})`)
  })

  it('says it failed after 1 re-run and titles the list by the run it is from, in neutral words', () => {
    const markdown = summaryOf(
      reRunReport(
        { testCases: TESTSIGMA_CASES },
        { result: 'FAILURE', reRunType: 'ALL_TESTS', passedCount: 2, failedCount: 2, totalCount: 4 }
      )
    )
    // Testsigma's UI keeps the first run's total (5) and takes the passes of an ALL_TESTS re-run alone (§4.2).
    expect(markdown).toContain(`**3 of 5 did not pass after 1 re-run** · [Open run 339 in Testsigma](${RE_RUN_URL})`)
    expect(markdown).toContain('| 5 | 2 | 2 | 0 | 0 | 0 |')
    expect(markdown).not.toContain('The JUnit report lists')
    expect(markdown).toContain('#### Tests that did not pass (2) in run 339 (re-run 1)')
    // Device lines cannot tell a failure from an abort in Testsigma's report, so they do not call anything failed.
    expect(markdown).toContain('- **Chrome 120 on Windows 11:** 2 tests: 1 passed, 1 did not pass (2 min 21 s)')
    expect(markdown).toContain('- **Pixel 8:** 2 tests: 1 passed, 1 did not pass (1 min 5 s)')
    expect(markdown).not.toContain('failed, ')
  })

  it('says when an expected re-run never came', () => {
    const report = finishedRunReport({}, { isReRunEnabled: true })
    const given = { ...report, state: withoutExpectedReRun({ ...(report.state as RunState), reRunExpected: true }) }
    expect(summaryOf(given)).toContain(
      '- The test plan re-runs tests that did not pass, but no re-run of run 337 appeared in time: its result stands.'
    )
  })

  it('explains a red step when Testsigma’s chain result and the re-run disagree', () => {
    const markdown = summaryOf(reRunReport({}, {}))
    expect(markdown).not.toContain('disagree')
    const conflicting = reRunReport()
    const state = toRunState({
      id: 337,
      status: 'STATUS_COMPLETED',
      result: 'FAILURE',
      consolidatedStatus: 'STATUS_COMPLETED',
      consolidatedResult: 'FAILURE',
      childResult: { id: 339, status: 'STATUS_COMPLETED', result: 'SUCCESS', reRunParentId: 337 }
    })
    expect(summaryOf({ ...conflicting, state })).toContain(
      "- Testsigma's chain result \\(consolidatedResult FAILURE\\) and the result of run 339 \\(SUCCESS\\) disagree; the step reports FAILURE."
    )
  })
})

describe('renderSummary of a report Testsigma wrote', () => {
  it('counts "passed / did not pass" per device and titles the list neutrally', () => {
    const cases: TestCaseResult[] = [
      { device: 'Chrome 120 on Windows 11', name: 'Add to cart', outcome: 'passed', deviceTimeSeconds: 141 },
      { device: 'Chrome 120 on Windows 11', name: 'Pay', outcome: 'not-passed', failureMessage: 'Element not found' },
      { device: 'Pixel 8', name: 'Log in', outcome: 'not-passed', deviceTimeSeconds: 65.2 }
    ]
    const markdown = summaryOf(failingReport({ testCases: cases }))
    expect(markdown).toContain('- **Chrome 120 on Windows 11:** 2 tests: 1 passed, 1 did not pass (2 min 21 s)')
    expect(markdown).toContain('- **Pixel 8:** 1 test: 0 passed, 1 did not pass (1 min 5 s)')
    expect(markdown).toContain('#### Tests that did not pass (2)')
    expect(markdown).not.toContain('failed, ')
  })
})

describe('renderSummary: the uploaded app build', () => {
  it('names the build that was tested, as user text made inert', () => {
    const report: RunReport = {
      ...finishedRunReport(),
      app: {
        uploadId: 62,
        uploadName: 'Shop *Android*',
        versionId: 5012,
        versionName: '1.4.2'
      }
    }
    expect(summaryOf(report)).toContain('**App:** Shop \\*Android\\* version 1.4.2 (upload version 5012)')
    expect(summaryOf(finishedRunReport())).not.toContain('**App:**')
  })
})

describe('renderSummary: the merge-queue entry', () => {
  const HEAD = '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d'
  const entry = { pullRequest: 104, baseBranch: 'main', headSha: HEAD }

  it('names the pull request, the base branch and the commit tested, with links, beside the build', () => {
    const markdown = summaryOf(
      builtRunReport({
        buildNumber: 'merge-queue #104 2ffea6d',
        mergeQueue: {
          ...entry,
          pullRequestUrl: 'https://github.com/octo/shop/pull/104',
          commitUrl: `https://github.com/octo/shop/commit/${HEAD}`
        }
      })
    )
    expect(markdown).toContain(
      '**Build:** merge-queue \\#104 2ffea6d · **Merge queue:** [#104](https://github.com/octo/shop/pull/104) into ' +
        `\`main\` at [\`2ffea6d\`](https://github.com/octo/shop/commit/${HEAD}) · **Test plan:** 2048`
    )
  })

  it('names it without links when the payload gave no repository address, and keeps a branch name inert', () => {
    const markdown = summaryOf(builtRunReport({ mergeQueue: { ...entry, baseBranch: 'rel`ease/<b>' } }))
    expect(markdown).toContain("**Merge queue:** #104 into `rel'ease/<b>` at `2ffea6d` · **Test plan:** 2048")
  })

  it('says nothing of a queue outside one', () => {
    expect(summaryOf(builtRunReport())).not.toContain('Merge queue')
  })
})
