/**
 * End to end: "Re-run failed jobs" on a pull request. dist/index.js runs attempt 1 and then attempt 2 of one workflow
 * run (GITHUB_RUN_ATTEMPT, the same GITHUB_SHA), against the simulator (which answers the cloud's re-run request,
 * D-rerun) and the GitHub fake, whose comment carries the run between the attempts.
 */
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { annotationsFromLog, GitHubFake, pullRequestRunEnv } from '../../sim/github-fake.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { passingPlan, PlanScript, TestsigmaSimulator } from '../../sim/simulator.js'
import { commentMarker } from '../../src/github/pr-comment.js'
import { parseRunMetadata, renderRunMetadata } from '../../src/github/run-metadata.js'

const API_KEY = 'tsk-e2e-rerun-7c1d'
const TOKEN = 'ghs_e2eRerunToken0123456789'
const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
const OTHER_SHA = 'f0e1d2c3b4a5968778695a4b3c2d1e0f98765432'
const REPO = 'octo/shop'

let sim: TestsigmaSimulator
let github: GitHubFake
let failing: PlanScript

beforeEach(async () => {
  // 10 tests on each of 2 devices, 8 of them failing on each: 16 of 20 did not pass.
  failing = finishedOnFirstRead(failedTestsPlan({ id: '4096', tests: 10, failures: 8 }))
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [failing, finishedOnFirstRead(passingPlan('2048'))] })
  github = await GitHubFake.start({ token: TOKEN })
})
afterEach(async () => {
  await sim.close()
  await github.close()
})

function attempt(n: number, inputs: Record<string, string> = {}, sha = SHA): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '4096',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'pr-comment': 'true',
      'github-token': TOKEN,
      ...inputs
    },
    env: {
      ...pullRequestRunEnv({ headSha: SHA, repository: REPO, apiUrl: github.apiUrl }),
      GITHUB_SHA: sha,
      GITHUB_RUN_ATTEMPT: String(n)
    }
  })
}

function runUrl(id: number): string {
  return `${sim.url}/ui/td/runs/${id}`
}

/** Every POST to the runs' collection: full triggers and re-runs, with their bodies. */
function starts(): unknown[] {
  return sim.requestsTo('trigger').map(request => request.json)
}

describe('Re-run failed jobs on a pull request', () => {
  it('re-runs only the failed tests of attempt 1 in attempt 2, and goes green with the chain counts', async () => {
    const first = await attempt(1)
    expect(first.exitCode).toBe(1)
    const [comment] = github.commentsOn(REPO, 42)
    expect(parseRunMetadata(comment.body)).toEqual([{ plan: '4096', run: '337', attempt: 1, sha: SHA }])

    const second = await attempt(2)
    expect(second.exitCode).toBe(0)
    expect(starts()).toEqual([
      { executionId: 4096 },
      { executionId: 4096, executionResultId: 337, isReRun: true, reRunType: 'ONLY_FAILED_TESTS' }
    ])
    expect(second.stdout).toContain(
      'Attempt 2 of this workflow run: re-running only the 16 tests of run 337 (attempt 1) that did not pass, not ' +
        'the whole plan (rerun-failed-tests: true)'
    )
    expect(sim.runs.get(338)?.parent?.id).toBe(337)
    // Counts as Testsigma shows the chain: 4 passed at first + 16 on the re-run, of 20.
    expect(second.outputs).toMatchObject({
      'run-id': '338',
      'rerun-of': '337',
      'final-run-id': '338',
      result: 'SUCCESS',
      'total-count': '20',
      'passed-count': '20',
      'failed-count': '0'
    })
    const answer = `**Re-ran the 16 failed tests of [run 337](${runUrl(337)}) (attempt 1): all passed** · [Open run 338 in Testsigma](${runUrl(338)})`
    expect(second.summary).toContain(answer)
    expect(second.summary).toContain('| 20 | 20 | 0 | 0 | 0 | 0 |')
    expect(second.stdout).toContain(
      'Test plan "Checkout flow" run 338 SUCCESS (re-ran the failed tests of run 337, attempt 1)'
    )

    // The same comment, updated, says so and names the re-run for a third attempt.
    const comments = github.commentsOn(REPO, 42)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain(answer)
    expect(comments[0].body).not.toContain('#### Failed tests')
    expect(parseRunMetadata(comments[0].body)).toEqual([
      { plan: '4096', run: '338', attempt: 2, sha: SHA, root: '337' }
    ])
  })

  it("lists only the re-run's failed tests when one fails again, and stays red", async () => {
    expect((await attempt(1)).exitCode).toBe(1)
    const stillFailing = {
      name: 'TC-110 Pay with card',
      device: 'Safari 17 on macOS 14',
      result: 'FAILURE',
      steps: [{ action: 'Click on Pay now button', result: 'FAILURE', message: 'Payment declined again' }]
    }
    failing.manualReRun = {
      frames: [
        {
          status: 'STATUS_COMPLETED',
          result: 'FAILURE',
          counts: { total: 16, passed: 15, failed: 1, aborted: 0, stopped: 0, notExecuted: 0 }
        }
      ],
      // The 8 tests that failed on each of the 2 devices, all passing now but one.
      testCases: [
        ...['Chrome 120 on Windows 11', 'Safari 17 on macOS 14']
          .flatMap(device =>
            [103, 104, 105, 106, 107, 108, 109, 110].map(n => ({ name: `TC-${n}`, device, result: 'SUCCESS' }))
          )
          .slice(0, 15),
        stillFailing
      ]
    }
    const second = await attempt(2)
    expect(second.exitCode).toBe(1)
    expect(second.summary).toContain(
      `**Re-ran the 16 failed tests of [run 337](${runUrl(337)}) (attempt 1): 1 still failed** · [Open run 338 in Testsigma](${runUrl(338)})`
    )
    // The chain's counts: 4 passed at first, 15 on the re-run, of 20.
    expect(second.summary).toContain('| 20 | 19 | 1 | 0 | 0 | 0 |')
    expect(second.summary).toContain('#### Failed tests (1) in run 338 (the re-run of run 337)')
    expect(second.summary).toContain(
      '| TC-110 Pay with card | Safari 17 on macOS 14 | Step 1 "Click on Pay now button": "Payment declined again" |'
    )
    expect(second.summary).not.toContain('TC-103 Add to cart')
    expect(second.summary).not.toContain('test cases where')
    expect(second.outputs).toMatchObject({ 'rerun-of': '337', 'failed-count': '1', 'passed-count': '19' })
  })

  it('decides for each plan of a step with several: the failed one re-runs its failed tests, the passed one runs in full', async () => {
    const plans = { 'test-plan-id': '4096, 2048' }
    expect((await attempt(1, plans)).exitCode).toBe(1)
    const [comment] = github.commentsOn(REPO, 42)
    // Both triggers go out at once: which plan's run is 337 is the order they arrive in.
    const entries = parseRunMetadata(comment.body)
    expect(entries.map(entry => entry.plan).sort()).toEqual(['2048', '4096'])
    const runOf = (plan: string): string => entries.find(entry => entry.plan === plan)?.run ?? ''
    const second = await attempt(2, plans)
    expect(second.exitCode).toBe(0)
    expect(starts()).toHaveLength(4)
    expect(starts()).toEqual(
      expect.arrayContaining([
        { executionId: 4096, executionResultId: Number(runOf('4096')), isReRun: true, reRunType: 'ONLY_FAILED_TESTS' },
        { executionId: 2048 }
      ])
    )
    expect(second.stdout).toContain(`running test plan 2048 in full, because run ${runOf('2048')} (attempt 1) passed`)
    expect(second.stdout).toContain(
      `re-running only the 16 tests of run ${runOf('4096')} (attempt 1) that did not pass`
    )
    const runs = JSON.parse(second.outputs.runs) as Array<{ testPlanId: string; rerunOf: string | null }>
    expect(runs.map(run => [run.testPlanId, run.rerunOf])).toEqual([
      ['4096', runOf('4096')],
      ['2048', null]
    ])
    expect(github.commentsOn(REPO, 42)).toHaveLength(1)
  })

  it('runs the plan in full in attempt 2 when attempt 1 passed', async () => {
    expect((await attempt(1, { 'test-plan-id': '2048' })).exitCode).toBe(0)
    const second = await attempt(2, { 'test-plan-id': '2048' })
    expect(second.exitCode).toBe(0)
    expect(starts()).toEqual([{ executionId: 2048 }, { executionId: 2048 }])
    expect(second.stdout).toContain(
      'Attempt 2 of this workflow run: running test plan 2048 in full, because run 337 (attempt 1) passed'
    )
    expect(second.outputs['run-id']).toBe('338')
    expect(second.outputs['rerun-of']).toBeUndefined()
  })

  it('ignores a comment by someone else that carries the metadata, and runs the plan in full', async () => {
    // Attempt 1 wrote no comment; a person posts one that looks like the action's, naming the failed run 337.
    expect((await attempt(1, { 'pr-comment': 'false' })).exitCode).toBe(1)
    const forged = `${commentMarker('4096')}\n### ❌ failed\n${renderRunMetadata([{ plan: '4096', run: '337', attempt: 1, sha: SHA }])}`
    github.addComment(REPO, 42, forged, 'mallory')
    const second = await attempt(2)
    expect(starts()).toEqual([{ executionId: 4096 }, { executionId: 4096 }])
    expect(second.stdout).toContain(
      "Attempt 2 of this workflow run: running test plan 4096 in full, because no earlier attempt's run of test " +
        'plan 4096 was found'
    )
    // Only read, never re-run or changed: the action writes its own comment beside it.
    expect(github.commentsOn(REPO, 42).map(comment => comment.user.login)).toEqual(['mallory', 'github-actions[bot]'])
    expect(github.commentsOn(REPO, 42)[0].body).toBe(forged)
  })

  it('runs the plan in full when attempt 2 tests another commit than the run of attempt 1', async () => {
    expect((await attempt(1)).exitCode).toBe(1)
    const second = await attempt(2, {}, OTHER_SHA)
    expect(starts()).toEqual([{ executionId: 4096 }, { executionId: 4096 }])
    expect(second.stdout).toContain(
      'Attempt 2 of this workflow run: running test plan 4096 in full, because run 337 of attempt 1 tested commit ' +
        '0a1b2c3, and this attempt tests commit f0e1d2c'
    )
  })

  it('fails with a clear message when Testsigma refuses the re-run, and starts no full run instead', async () => {
    expect((await attempt(1)).exitCode).toBe(1)
    // Another run of the plan is in progress by now: the server refuses to start anything for it.
    failing.busy = true
    const second = await attempt(2)
    expect(second.exitCode).toBe(1)
    expect(starts()).toEqual([
      { executionId: 4096 },
      { executionId: 4096, executionResultId: 337, isReRun: true, reRunType: 'ONLY_FAILED_TESTS' }
    ])
    const errors = second.stdout.split('\n').filter(line => line.startsWith('::error::'))
    expect(errors).toEqual([
      expect.stringContaining(
        'Testsigma answered the re-run of the failed tests of run 337 with HTTP 500: The specified Test Plan is ' +
          'currently running'
      )
    ])
    expect(errors[0]).toContain(
      'No re-run was started. The plan was not run in full instead, which would run every test again'
    )
    expect(second.summary).toContain('**Could not start:** Testsigma refused to re-run the failed tests of run 337')
    expect(second.outputs['run-id']).toBeUndefined()
  })
})

describe('Re-run failed jobs on a push, through the check annotations of attempt 1', () => {
  const pushEnv = (attemptNumber: number): Record<string, string> => ({
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_RUN_ID: '4711',
    GITHUB_RUN_ATTEMPT: String(attemptNumber),
    GITHUB_SHA: SHA
  })
  const onPush = (n: number): Promise<BundleResult> =>
    runBundle({
      inputs: {
        'api-key': API_KEY,
        'test-plan-id': '4096',
        'base-url': sim.url,
        'poll-interval-seconds': '1',
        'github-token': TOKEN
      },
      env: pushEnv(n)
    })

  /** Attempt 1 as GitHub keeps it: its job, with the annotations the runner made of the step's output. */
  async function attemptOneOnGitHub(): Promise<BundleResult> {
    const startedAt = new Date()
    const first = await onPush(1)
    expect(first.exitCode).toBe(1)
    github.addJob(REPO, 4711, 1, {
      name: 'lint',
      conclusion: 'success',
      headSha: SHA,
      startedAt,
      completedAt: new Date()
    })
    github.addJob(REPO, 4711, 1, {
      name: 'Testsigma regression',
      conclusion: 'failure',
      headSha: SHA,
      startedAt,
      completedAt: new Date(),
      annotations: annotationsFromLog(first.stdout)
    })
    return first
  }

  it('leaves a notice naming the run, and re-runs only its failed tests in attempt 2', async () => {
    const first = await attemptOneOnGitHub()
    expect(first.stdout).toContain(
      '::notice title=Testsigma run for Re-run failed jobs::Re-running this job re-runs only the 16 tests of ' +
        'Testsigma run 337 (test plan 4096) that did not pass. testsigma-test-plan-action:runs ' +
        `{"v":1,"runs":[{"plan":"4096","run":"337","attempt":1,"sha":"${SHA}"}]}`
    )
    const second = await onPush(2)
    expect(second.exitCode).toBe(0)
    expect(starts()).toEqual([
      { executionId: 4096 },
      { executionId: 4096, executionResultId: 337, isReRun: true, reRunType: 'ONLY_FAILED_TESTS' }
    ])
    expect(second.outputs).toMatchObject({ 'run-id': '338', 'rerun-of': '337', 'passed-count': '20' })
    expect(github.requestLines()).toEqual([
      'GET /repos/octo/shop/actions/runs/4711/attempts/1/jobs',
      // The failed job first; the one that passed after it.
      'GET /repos/octo/shop/check-runs/50002/annotations',
      'GET /repos/octo/shop/check-runs/50001/annotations'
    ])
    // A passed re-run leaves no notice: nothing is left to re-run.
    expect(second.stdout).not.toContain('::notice')
  })

  it('runs in full, naming the permissions, when the token may not read the jobs', async () => {
    await attemptOneOnGitHub()
    github.refuse(403)
    const second = await onPush(2)
    expect(starts()).toEqual([{ executionId: 4096 }, { executionId: 4096 }])
    expect(second.stdout).toContain(
      "Attempt 2 of this workflow run: running test plan 4096 in full, because the previous attempt's check " +
        'annotations could not be read (HTTP 403: Resource not accessible by integration'
    )
    expect(second.stdout).toContain("give the job's token `actions: read` and `checks: read`")
  })

  it('runs in full when the notice names a run that did not start while its job ran', async () => {
    expect((await onPush(1)).exitCode).toBe(1)
    // Another job's notice names run 337 as its own, but that job ran an hour before run 337 started.
    const hourAgo = new Date(Date.now() - 3_600_000)
    const metadata = JSON.stringify({ v: 1, runs: [{ plan: '4096', run: '337', attempt: 1, sha: SHA }] })
    const notice = `::notice title=Testsigma run for Re-run failed jobs::testsigma-test-plan-action:runs ${metadata}`
    github.addJob(REPO, 4711, 1, {
      name: 'other',
      conclusion: 'failure',
      headSha: SHA,
      startedAt: hourAgo,
      completedAt: hourAgo,
      annotations: annotationsFromLog(notice)
    })
    const second = await onPush(2)
    expect(starts()).toEqual([{ executionId: 4096 }, { executionId: 4096 }])
    expect(second.stdout).toMatch(
      /running test plan 4096 in full, because run 337 \(attempt 1\) started at \S+, not while the job of attempt 1 ran/
    )
  })
})
