/** The soak's parts that decide: the invariant checks (each must be able to fail), the generator, the runner's parser. */
import fc from 'fast-check'
import { concreteFaults, planScript, soakCaseArbitrary } from '../sim/soak/case.js'
import { CaseRecord, chainOutcome, checkInvariants, keySpellings, TIME_SLACK_MS } from '../sim/soak/invariants.js'
import { PAST_TIMEOUT_MS } from '../src/step-bounds.js'
import { HOSTILE_ANSWERS, hostileBody } from '../sim/soak/other-runs.js'
import { forgedCommands, runnerCommands } from '../sim/runner-commands.js'

const KEY = 'k_e*y+/='

function record(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    baseUrl: 'http://127.0.0.1:9',
    apiKey: KEY,
    failOnFailure: true,
    timeoutMs: 3000,
    exitCode: 0,
    signal: null,
    elapsedMs: 2000,
    stdout: `::add-mask::${KEY}\nok`,
    stderr: '',
    summary: '### ✅',
    outputs: { result: 'SUCCESS' },
    workspaceFiles: {},
    outsideBefore: { 'victim.xml': 'precious' },
    outsideAfter: { 'victim.xml': 'precious' },
    triggerFaults: [],
    triggerRequests: 1,
    triggerPaths: ['/api/v1/execution_results'],
    runs: [{ finishedServedAt: 10, finalResult: 'SUCCESS' }],
    trapAuthorizations: [],
    commentBodies: [],
    ...overrides
  }
}

function failed(overrides: Partial<CaseRecord>): string[] {
  return checkInvariants(record(overrides))
    .filter(check => !check.ok)
    .map(check => check.invariant)
}

describe('checkInvariants', () => {
  it('passes a green step whose run passed', () => {
    expect(failed({})).toEqual([])
  })

  it.each<[string, Partial<CaseRecord>, string]>([
    ['exit 0 on a failed run', { runs: [{ finishedServedAt: 10, finalResult: 'FAILURE' }] }, 'verdict'],
    ['exit 0 on a run never seen finished', { runs: [{ finalResult: 'SUCCESS' }] }, 'verdict'],
    ['exit 0 with no run at all', { runs: [] }, 'verdict'],
    [
      'exit 0 on a run stopped first',
      { runs: [{ finishedServedAt: 10, stoppedAt: 5, finalResult: 'SUCCESS' }] },
      'verdict'
    ],
    [
      'a second trigger after a 503 (a proxy answers so after the trigger arrived)',
      { triggerRequests: 2, triggerFaults: [{ type: 'status', status: 503 }] },
      'one-trigger'
    ],
    [
      'a second trigger after a 429',
      { triggerRequests: 2, triggerFaults: [{ type: 'status', status: 429 }] },
      'one-trigger'
    ],
    [
      'the other path after an empty 404, which proves nothing',
      {
        triggerRequests: 2,
        triggerPaths: ['/api/v1/execution_results', '/api/v1/test_plan_results'],
        triggerFaults: [{ type: 'status', status: 404, body: '' }]
      },
      'one-trigger'
    ],
    [
      'a second trigger after a 500',
      { triggerRequests: 2, triggerFaults: [{ type: 'status', status: 500 }] },
      'one-trigger'
    ],
    ['a second trigger after a timeout', { triggerRequests: 2, triggerFaults: [{ type: 'hang' }] }, 'one-trigger'],
    [
      'the same path triggered again after its 404',
      {
        triggerRequests: 2,
        triggerPaths: ['/api/v1/execution_results', '/api/v1/execution_results'],
        triggerFaults: [{ type: 'status', status: 404 }]
      },
      'one-trigger'
    ],
    ['the key in the log', { stdout: `::add-mask::${KEY}\nBearer ${KEY}` }, 'key'],
    ['the key markdown-escaped in the summary', { summary: 'k\\_e\\*y\\+/=' }, 'key'],
    ['the key percent-encoded in a file', { workspaceFiles: { 'r.xml': encodeURIComponent(KEY) } }, 'key'],
    ['the key sent to a redirect target', { trapAuthorizations: [`Bearer ${KEY}`] }, 'key'],
    ['the key in the pull-request comment', { commentBodies: [`plan k\\_e\\*y\\+/=`] }, 'key'],
    [
      'the GitHub token in the log',
      { githubToken: 'ghs_t*k', stdout: `::add-mask::${KEY}\n::add-mask::ghs_t*k\ntoken ghs_t*k` },
      'key'
    ],
    ['the GitHub token in the comment', { githubToken: 'ghs_t*k', commentBodies: ['ghs_t*k'] }, 'key'],
    ['a process killed by the watchdog', { signal: 'SIGKILL', exitCode: null }, 'time'],
    ['a process over timeout-minutes plus the stated margin', { elapsedMs: 3000 + 5001 }, 'time'],
    ['a file written outside', { outsideAfter: { 'victim.xml': '<testsuites/>' } }, 'workspace'],
    [
      'final-run-id naming another run (an answer about run 555)',
      { madeRunIds: ['337'], outputs: { 'run-id': '337', 'final-run-id': '555' } },
      'own-runs'
    ],
    [
      'a stop sent to a foreign child',
      { exitCode: 1, madeRunIds: ['337'], stopPaths: ['/api/v1/execution_results/901'] },
      'own-runs'
    ],
    [
      'a stop sent to the neighbour of an id of 2^53 or more',
      { exitCode: 1, madeRunIds: ['337'], stopPaths: ['/api/v1/execution_results/9007199254740992'] },
      'own-runs'
    ]
  ])('fails %s', (_, overrides, invariant) => {
    expect(failed(overrides)).toEqual([invariant])
  })

  it("accepts the GitHub token's own mask line", () => {
    expect(failed({ githubToken: 'ghs_t*k', stdout: `::add-mask::${KEY}\n::add-mask::ghs_t*k\nok` })).toEqual([])
  })

  it('accepts a red step whatever happened, the fallback after a proven missing path, and a green one with fail-on-failure false', () => {
    expect(failed({ exitCode: 1, runs: [] })).toEqual([])
    // api-dialect: auto after the cloud path's 404 (Spring's body naming it): the open-source path, once.
    const fallback = ['/api/v1/execution_results', '/api/v1/test_plan_results']
    const springNotFound = JSON.stringify({ status: 404, error: 'Not Found', path: '/api/v1/execution_results' })
    expect(
      failed({
        triggerRequests: 2,
        triggerPaths: fallback,
        triggerFaults: [{ type: 'status', status: 404, body: springNotFound }]
      })
    ).toEqual([])
    expect(failed({ failOnFailure: false, runs: [{ finishedServedAt: 1, finalResult: 'FAILURE' }] })).toEqual([])
  })

  it('reads how the chain ended from its last run', () => {
    expect(chainOutcome([{ finishedServedAt: 1, finalResult: 'SUCCESS' }])).toEqual({ finished: true, passed: true })
    expect(chainOutcome([])).toEqual({ finished: false, passed: false })
    const failedFirst = { finishedServedAt: 1, finalResult: 'FAILURE' }
    // The re-run passed: the chain passed. Still running: the chain has not finished, whatever the first run said.
    expect(chainOutcome([failedFirst, { finishedServedAt: 2, finalResult: 'SUCCESS' }])).toEqual({
      finished: true,
      passed: true
    })
    expect(chainOutcome([failedFirst, { finalResult: 'SUCCESS' }])).toEqual({ finished: false, passed: false })
    // Stopped before its verdict was shown: not a pass.
    expect(chainOutcome([failedFirst, { finishedServedAt: 3, stoppedAt: 2, finalResult: 'SUCCESS' }])).toEqual({
      finished: true,
      passed: false
    })
  })

  it('flags exit 0 after a re-run chain that failed, or one whose re-run never finished', () => {
    const failedFirst = { finishedServedAt: 1, finalResult: 'FAILURE' }
    expect(failed({ runs: [failedFirst, { finishedServedAt: 2, finalResult: 'FAILURE' }] })).toEqual(['verdict'])
    expect(failed({ runs: [failedFirst, { finalResult: 'SUCCESS' }] })).toEqual(['verdict'])
    expect(failed({ runs: [failedFirst, { finishedServedAt: 2, finalResult: 'SUCCESS' }] })).toEqual([])
  })

  it('lets the step name and stop its own runs, and a re-run an answer rightly nested in it', () => {
    expect(
      failed({
        exitCode: 1,
        madeRunIds: ['337'],
        nestedReRunIds: ['339'],
        outputs: { 'run-id': '337', 'final-run-id': '339' },
        stopPaths: ['/api/v1/execution_results/337', '/api/v1/execution_results/339']
      })
    ).toEqual([])
  })

  it('lets auto ask the open-source path after the cloud path got the server’s own 404, and no more', () => {
    const fallback = ['/api/v1/execution_results', '/api/v1/test_plan_results']
    const missingPaths = ['/api/v1/execution_results']
    expect(failed({ triggerRequests: 2, triggerPaths: fallback, missingPaths })).toEqual([])
    expect(failed({ triggerRequests: 2, triggerPaths: fallback, missingPaths: [] })).toEqual(['one-trigger'])
    expect(
      failed({
        triggerRequests: 2,
        triggerPaths: fallback,
        missingPaths,
        triggerFaults: [{ type: 'after-acting', status: 503 }]
      })
    ).toEqual(['one-trigger'])
  })

  it('holds the step to the margin the action states past timeout-minutes', () => {
    expect(TIME_SLACK_MS).toBe(PAST_TIMEOUT_MS)
  })

  it('lists the spellings of the key a careless path leaves', () => {
    expect(keySpellings(KEY)).toEqual([KEY, 'k_e*y%2B%2F%3D', 'k\\_e\\*y\\+/='])
  })
})

describe('the answers about other runs (sim/soak/other-runs.ts)', () => {
  it.each(HOSTILE_ANSWERS.map(answer => [answer]))(
    'serve %s as JSON that keeps this job’s run unfinished, or is not about it',
    answer => {
      const body = JSON.parse(hostileBody(answer, '2048', 'SUCCESS')) as Record<string, unknown>
      const aboutThisRun = body.id === 337 && body.executionId === 2048
      expect(aboutThisRun ? body.status : 'not about it').not.toBe('STATUS_COMPLETED')
    }
  )

  it('write ids of 2^53 or more as the text a server sends', () => {
    expect(hostileBody('big-child-id', '2048', 'SUCCESS')).toContain('"id":9007199254740993')
  })
})

describe('the soak case generator', () => {
  it('draws the same case from the same seed, so a failure replays', () => {
    const [first] = fc.sample(soakCaseArbitrary, { seed: 77, numRuns: 1 })
    const [again] = fc.sample(soakCaseArbitrary, { seed: 77, numRuns: 1 })
    expect(again).toEqual(first)
  })

  it('fills in the key and the trap address, and scripts a plan that finishes unless it never does', () => {
    const [soakCase] = fc.sample(soakCaseArbitrary, { seed: 5, numRuns: 1 })
    const filled = concreteFaults(
      {
        ...soakCase,
        faults: {
          trigger: [{ type: 'redirect', status: 302, location: '{{TRAP_URL}}/x' }],
          status: [{ type: 'status', status: 401, body: 'Bearer {{API_KEY}}' }],
          stop: [],
          junit: []
        }
      },
      KEY,
      'http://127.0.0.1:1'
    )
    expect(filled.trigger[0]).toMatchObject({ location: 'http://127.0.0.1:1/x' })
    expect(filled.status[0]).toMatchObject({ body: `Bearer ${KEY}` })
    expect(planScript({ ...soakCase, shape: 'never-finishes' }, KEY).frames.at(-1)?.status).toBe('STATUS_IN_PROGRESS')
    expect(planScript({ ...soakCase, shape: 'passes' }, KEY).frames.at(-1)).toMatchObject({ result: 'SUCCESS' })
    expect(planScript({ ...soakCase, hostileName: 'key' }, KEY).name).toContain(KEY)
  })
})

describe('runnerCommands', () => {
  it('reads commands as the runner does: after leading white space, legacy ##[ anywhere, stop-commands', () => {
    const output = [
      '::error::mine',
      '  ::set-output name=a::b',
      'text ##[add-path]/evil',
      ': :set-output name=a::inert',
      '::stop-commands::tok',
      '::set-output name=ignored::while stopped',
      '::tok::',
      '::warning::after'
    ].join('\n')
    expect(runnerCommands(output).map(command => command.name)).toEqual([
      'error',
      'set-output',
      'add-path',
      'stop-commands',
      'warning'
    ])
    expect(forgedCommands(output, [])).toEqual([
      'a set-output command:   ::set-output name=a::b',
      'a add-path command: text ##[add-path]/evil',
      'a stop-commands command: ::stop-commands::tok'
    ])
    expect(forgedCommands(`::add-mask::${KEY}\n::add-mask::other`, [KEY])).toEqual([
      'an add-mask of something else: ::add-mask::other'
    ])
  })
})
