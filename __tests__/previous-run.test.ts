import { findPreviousRuns, PreviousRunLookup } from '../src/github/previous-run.js'
import { commentMarker, plansCommentMarker } from '../src/github/pr-comment.js'
import { renderRunMetadata } from '../src/github/run-metadata.js'
import { GitHubFake, pullRequestRunEnv } from '../sim/github-fake.js'

const TOKEN = 'ghs_previousRunToken42'
const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
let github: GitHubFake

beforeEach(async () => {
  github = await GitHubFake.start({ token: TOKEN })
})
afterEach(async () => github.close())

function lookup(overrides: Partial<PreviousRunLookup> = {}): PreviousRunLookup {
  return {
    planIds: ['4096'],
    attempt: 2,
    prComment: true,
    token: TOKEN,
    userAgent: 'test',
    env: pullRequestRunEnv({ headSha: SHA, apiUrl: github.apiUrl }),
    signal: new AbortController().signal,
    timeoutMs: 5000,
    ...overrides
  }
}

const metadata = (plan: string, run: string): string => renderRunMetadata([{ plan, run, attempt: 1, sha: SHA }])

describe('findPreviousRuns', () => {
  it("reads each plan's run from the action's own comment, and nothing from a person's", async () => {
    github.addComment('octo/shop', 42, `${commentMarker('2048')}\nforged\n${metadata('2048', '500')}`, 'mallory')
    github.addComment(
      'octo/shop',
      42,
      `${commentMarker('4096')}\n### ❌\n${metadata('4096', '337')}`,
      'github-actions[bot]'
    )
    const found = await findPreviousRuns(lookup())
    expect(found).toEqual({
      runs: new Map([['4096', { runId: '337', attempt: 1, sha: SHA, source: 'the pull-request comment' }]])
    })
  })

  it("reads several plans' runs from the set's one comment", async () => {
    const both = renderRunMetadata([
      { plan: '4096', run: '337', attempt: 1, sha: SHA },
      { plan: '2048', run: '338', attempt: 1, sha: SHA }
    ])
    github.addComment('octo/shop', 42, `${commentMarker('4096')}\n${metadata('4096', '300')}`, 'github-actions[bot]')
    github.addComment(
      'octo/shop',
      42,
      `${plansCommentMarker(['4096', '2048'])}\n### 1 of 2\n${both}`,
      'github-actions[bot]'
    )
    const found = await findPreviousRuns(lookup({ planIds: ['4096', '2048'] }))
    expect([...found.runs].map(([plan, run]) => `${plan}: ${run.runId}`)).toEqual(['4096: 337', '2048: 338'])
  })

  it("ignores an entry for another plan in a plan's comment", async () => {
    github.addComment(
      'octo/shop',
      42,
      `${commentMarker('4096')}\n### ❌\n${metadata('2048', '337')}`,
      'github-actions[bot]'
    )
    expect((await findPreviousRuns(lookup())).runs.size).toBe(0)
  })

  it.each<[string, Partial<PreviousRunLookup>, string]>([
    [
      'a push event without the workflow run',
      { env: { GITHUB_EVENT_NAME: 'push' } },
      'GITHUB_REPOSITORY or GITHUB_RUN_ID does not name the workflow run'
    ],
    ['no token', { token: undefined }, 'github-token is empty, so the pull-request comment cannot be read'],
    [
      'no token on a push',
      { token: undefined, env: { GITHUB_EVENT_NAME: 'push' } },
      "github-token is empty, so the earlier attempts' check annotations cannot be read"
    ]
  ])('asks GitHub nothing on %s, and says why', async (_what, overrides, why) => {
    expect(await findPreviousRuns(lookup(overrides))).toEqual({ runs: new Map(), unavailable: why })
    expect(github.requests).toEqual([])
  })

  it('reads the check annotations instead when pr-comment is off, naming the permissions when GitHub refuses', async () => {
    github.refuse(403)
    const found = await findPreviousRuns(lookup({ prComment: false }))
    expect(github.requestLines()).toEqual(['GET /repos/octo/shop/actions/runs/4711/attempts/1/jobs'])
    expect(found.unavailable).toMatch(
      /^the previous attempt's check annotations could not be read \(HTTP 403: Resource not accessible by integration.*\): give the job's token `actions: read` and `checks: read`/
    )
  })

  it('says why when GitHub refuses, and never throws', async () => {
    github.refuse(403)
    const found = await findPreviousRuns(lookup())
    expect(found.runs.size).toBe(0)
    expect(found.unavailable).toMatch(
      /^the pull-request comment could not be read \(HTTP 403: Resource not accessible by integration/
    )
  })

  it('gives up within its time limit', async () => {
    github.hang()
    const found = await findPreviousRuns(lookup({ timeoutMs: 200 }))
    expect(found.unavailable).toBe('the pull-request comment could not be read (GitHub did not answer within 0.2 s)')
  })
})
