/**
 * Integration: `commentOnPullRequest` with the real octokit (@actions/github) against the loopback
 * fake of GitHub's REST API, asserting the exact requests made.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  CommentAuthor,
  commentMarker,
  commentOnPullRequest,
  decideCommentAction,
  describeCommentFailure
} from '../src/github/pr-comment.js'
import type { RunReport } from '../src/report/report.js'
import { decideVerdict } from '../src/report/verdict.js'
import { toRunState } from '../src/testsigma/run-state.js'
import { scratchDir } from '../sim/scratch.js'
import { GitHubFake } from '../sim/github-fake.js'
import { RecordingLog } from './helpers/log.js'

const TOKEN = 'ghs_fakeToken123'
const REPO = 'octo/shop'
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const LIST = 'GET /repos/octo/shop/issues/42/comments'
const CREATE = 'POST /repos/octo/shop/issues/42/comments'
const WHO_AM_I = 'GET /user'

let github: GitHubFake
let eventPath: string

beforeEach(async () => {
  github = await GitHubFake.start({ token: TOKEN, basePath: '/api/v3' })
  eventPath = path.join(scratchDir('pr-event'), 'event.json')
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 42, head: { sha: SHA } } }))
})
afterEach(async () => github.close())

function report(testPlanId: string, result = 'FAILURE'): RunReport {
  return {
    outcome: 'finished',
    testPlanId,
    runId: '337',
    runUrl: 'https://app.testsigma.com/ui/td/runs/337',
    failOnFailure: true,
    timeoutMs: 60_000,
    state: toRunState({ id: 337, status: 'STATUS_COMPLETED', result, totalCount: 2, passedCount: 1, failedCount: 1 }),
    testCases: [{ device: 'Chrome', name: 'Pay', outcome: 'failed', failureMessage: 'No #pay' }]
  }
}

async function comment(
  testPlanId: string,
  options: { event?: string; token?: string; result?: string; timeoutMs?: number; signal?: AbortSignal } = {}
) {
  const log = new RecordingLog()
  const run = report(testPlanId, options.result)
  await commentOnPullRequest(run, {
    verdict: decideVerdict(run),
    token: 'token' in options ? options.token : TOKEN,
    userAgent: 'testsigma-test-plan-action/test',
    env: {
      GITHUB_EVENT_NAME: options.event ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '99'
    },
    log,
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs
  })
  return log
}

describe('commentOnPullRequest against the GitHub fake', () => {
  it('creates the comment on the first run, through GITHUB_API_URL, with the token', async () => {
    const log = await comment('4096')
    expect(github.requestLines()).toEqual([LIST, CREATE])
    expect(github.requests[0].query).toEqual({ per_page: '100' })
    expect(github.requests[1].headers.authorization).toBe(`token ${TOKEN}`)
    expect(github.requests[1].headers['user-agent']).toContain('testsigma-test-plan-action/test')
    const [created] = github.commentsOn(REPO, 42)
    expect(created.body.startsWith(`${commentMarker('4096')}\n### ❌ Testsigma: Test plan 4096 failed`)).toBe(true)
    expect(created.body).toContain('| Pay | Chrome | No \\#pay |')
    expect(created.body).toContain(`**Commit:** [\`6dcb09b\`](https://github.com/octo/shop/pull/42/commits/${SHA})`)
    expect(created.body).toContain('[Workflow run and job summary](https://github.com/octo/shop/actions/runs/99)')
    expect(log.messages('info')).toEqual([`Pull-request comment created: ${created.html_url}`])
    expect(log.messages('warning')).toEqual([])
  })

  it('updates the same comment on the second run', async () => {
    await comment('4096')
    const [first] = github.commentsOn(REPO, 42)
    github.requests.length = 0
    const log = await comment('4096', { result: 'SUCCESS' })
    expect(github.requestLines()).toEqual([LIST, WHO_AM_I, `PATCH /repos/octo/shop/issues/comments/${first.id}`])
    expect((github.requests[2].json as { body: string }).body).toContain('### ✅ Testsigma: Test plan 4096 passed')
    expect(github.commentsOn(REPO, 42)).toHaveLength(1)
    expect(github.commentsOn(REPO, 42)[0].body).toContain('### ✅ Testsigma: Test plan 4096 passed')
    expect(log.messages('info')[0]).toMatch(/^Pull-request comment updated: /)
  })

  it('gives another test plan its own comment, and updates each one apart', async () => {
    await comment('4096')
    await comment('2048')
    await comment('2048', { result: 'SUCCESS' })
    const comments = github.commentsOn(REPO, 42)
    expect(comments.map(c => c.body.split('\n')[0])).toEqual([commentMarker('4096'), commentMarker('2048')])
    expect(github.requestLines()).toEqual([
      LIST,
      CREATE,
      LIST,
      CREATE,
      LIST,
      WHO_AM_I,
      `PATCH /repos/octo/shop/issues/comments/${comments[1].id}`
    ])
    expect(comments[0].body).toContain('### ❌ Testsigma: Test plan 4096 failed')
    expect(comments[1].body).toContain('### ✅ Testsigma: Test plan 2048 passed')
  })

  it('pages through a long conversation and stops at the page with its comment', async () => {
    await github.close()
    github = await GitHubFake.start({ token: TOKEN, maxPerPage: 2 })
    for (let i = 0; i < 5; i++) github.addComment(REPO, 42, `comment ${i}`)
    const earlier = github.addComment(REPO, 42, `${commentMarker('4096')}\nold`, 'github-actions[bot]')
    for (let i = 0; i < 4; i++) github.addComment(REPO, 42, `later ${i}`)
    await comment('4096')
    expect(github.requestLines()).toEqual([
      LIST,
      LIST,
      LIST,
      WHO_AM_I,
      `PATCH /repos/octo/shop/issues/comments/${earlier.id}`
    ])
    expect(github.requests.slice(0, 3).map(r => r.query.page)).toEqual([undefined, '2', '3'])
  })

  it("never updates a person's comment that starts with the marker: a new comment, theirs untouched", async () => {
    const forged = github.addComment(REPO, 42, `${commentMarker('4096')}\nAll tests passed, merge away`, 'mallory')
    const log = await comment('4096')
    expect(github.requestLines()).toEqual([LIST, WHO_AM_I, CREATE])
    const comments = github.commentsOn(REPO, 42)
    expect(comments).toHaveLength(2)
    expect(comments[0]).toMatchObject({ id: forged.id, body: `${commentMarker('4096')}\nAll tests passed, merge away` })
    expect(comments[1].user.login).toBe('github-actions[bot]')
    expect(log.messages('info')[0]).toMatch(/^Pull-request comment created: /)
    // The next run updates the action's own comment, still not the person's.
    github.requests.length = 0
    await comment('4096', { result: 'SUCCESS' })
    expect(github.requestLines()).toEqual([LIST, WHO_AM_I, `PATCH /repos/octo/shop/issues/comments/${comments[1].id}`])
    expect(github.commentsOn(REPO, 42)[0].body).toContain('merge away')
  })

  it("with a person's token, updates that account's own comment and no bot's", async () => {
    await github.close()
    github = await GitHubFake.start({ token: TOKEN, tokenUser: { login: 'release-bot', type: 'User' } })
    const botComment = github.addComment(REPO, 42, `${commentMarker('4096')}\nold`, 'github-actions[bot]')
    const own = github.addComment(REPO, 42, `${commentMarker('4096')}\nold`, 'release-bot')
    await comment('4096')
    expect(github.requestLines()).toEqual([LIST, WHO_AM_I, `PATCH /repos/octo/shop/issues/comments/${own.id}`])
    expect(github.commentsOn(REPO, 42).find(c => c.id === botComment.id)?.body).toContain('old')
  })

  it('keeps mentions in test names and messages from notifying anyone, and the key out of the comment', async () => {
    const log = new RecordingLog()
    const pinging: RunReport = {
      ...report('4096'),
      testCases: [
        {
          device: '@octo/devices',
          name: 'Pay @octocat',
          outcome: 'failed',
          failureMessage: 'cc @octo/qa-team: key tsk-9Z'
        }
      ]
    }
    await commentOnPullRequest(pinging, {
      verdict: decideVerdict(pinging),
      token: TOKEN,
      userAgent: 'test',
      env: {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: REPO,
        GITHUB_API_URL: github.apiUrl
      },
      log,
      signal: new AbortController().signal,
      secrets: ['tsk-9Z']
    })
    const [created] = github.commentsOn(REPO, 42)
    expect(created.body).toContain('| Pay @&#8203;octocat | @&#8203;octo/devices | cc @&#8203;octo/qa-team: key *** |')
    expect(created.body).not.toMatch(/@[a-z]/)
    expect(created.body).not.toContain('tsk-9Z')
  })

  it('reads every page before creating', async () => {
    await github.close()
    github = await GitHubFake.start({ token: TOKEN, maxPerPage: 2 })
    for (let i = 0; i < 5; i++) github.addComment(REPO, 42, `comment ${i}`)
    await comment('4096')
    expect(github.requestLines()).toEqual([LIST, LIST, LIST, CREATE])
  })

  it('warns, naming the permission to add, when GitHub answers 403', async () => {
    github.refuse(403)
    const log = await comment('4096')
    expect(github.requestLines()).toEqual([LIST])
    expect(log.messages('warning')).toEqual([
      'Could not write the pull-request comment (HTTP 403: Resource not accessible by integration - ' +
        "https://docs.github.com/rest/issues/comments). Give the job's token the permission `pull-requests: write` " +
        '(add `permissions: pull-requests: write` to the workflow or job); on pull requests from forks the token is ' +
        'read-only, use pull_request_target for a comment there.'
    ])
  })

  it('warns when only the create is refused (a token that may read but not write)', async () => {
    github.refuse(403, { method: 'POST' })
    const log = await comment('4096')
    expect(github.requestLines()).toEqual([LIST, CREATE])
    expect(github.commentsOn(REPO, 42)).toEqual([])
    expect(log.messages('warning')).toHaveLength(1)
    expect(log.messages('warning')[0]).toContain('`pull-requests: write`')
  })

  it('warns with the permission on a 404 too (a token that may not see the pull request)', async () => {
    github.refuse(404, { message: 'Not Found' })
    const log = await comment('4096')
    expect(log.messages('warning')[0]).toMatch(/^Could not write the pull-request comment \(HTTP 404: Not Found/)
    expect(log.messages('warning')[0]).toContain('permissions: pull-requests: write')
  })

  it('only warns on a server error, and on a bad token', async () => {
    github.refuse(502, { message: 'Server Error' })
    expect((await comment('4096')).messages('warning')).toEqual([
      'Could not write the pull-request comment (HTTP 502: Server Error - https://docs.github.com/rest/issues/comments); the result is in the job summary.'
    ])
    expect((await comment('4096', { token: 'wrong' })).messages('warning')[0]).toContain('HTTP 401: Bad credentials')
  })

  it('logs one line and sends nothing on a push event', async () => {
    const log = await comment('4096', { event: 'push' })
    expect(github.requests).toEqual([])
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: 'pr-comment is on, but this is a push event, not pull_request or pull_request_target: no comment'
      }
    ])
  })

  it('warns and sends nothing without a token', async () => {
    const log = await comment('4096', { token: undefined })
    expect(github.requests).toEqual([])
    expect(log.messages('warning')).toEqual([
      'pr-comment is on, but github-token is empty: no comment. Example: github-token: ${{ github.token }}'
    ])
  })

  it('gives up on a GitHub that does not answer, with a warning', async () => {
    github.hang()
    const log = await comment('4096', { timeoutMs: 100 })
    expect(github.requestLines()).toEqual([LIST])
    expect(log.messages('warning')).toEqual([
      'Could not write the pull-request comment (GitHub did not answer within 0.1 s); the result is in the job summary.'
    ])
  })

  it('writes nothing once the job is being cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const log = await comment('4096', { signal: controller.signal })
    expect(github.requests).toEqual([])
    expect(log.messages('info')).toEqual(['The job is being cancelled: no pull-request comment'])
  })
})

describe('decideCommentAction', () => {
  const marker = commentMarker('4096')
  const app: CommentAuthor = { kind: 'app' }
  const bot = {
    user: { login: 'github-actions[bot]', type: 'Bot' },
    performed_via_github_app: { slug: 'github-actions' }
  }

  it('creates when no comment carries the marker', () => {
    expect(decideCommentAction([], marker, app)).toEqual({ kind: 'create' })
    expect(
      decideCommentAction(
        [
          { id: 1, body: 'LGTM', ...bot },
          { id: 2, body: null, ...bot },
          { id: 3, body: `${commentMarker('2048')}\n### ✅ other plan`, ...bot }
        ],
        marker,
        app
      )
    ).toEqual({ kind: 'create' })
  })

  it("updates this test plan's earlier comment, the first when there are several", () => {
    const comments = [
      { id: 1, body: 'LGTM', ...bot },
      { id: 7, body: `${marker}\n### ❌ old`, ...bot },
      { id: 9, body: `${marker}\n### ❌ duplicate`, ...bot }
    ]
    expect(decideCommentAction(comments, marker, app)).toEqual({ kind: 'update', commentId: 7 })
  })

  it('does not take a comment that merely quotes the marker', () => {
    expect(decideCommentAction([{ id: 5, body: `Why does it say\n${marker}?`, ...bot }], marker, app)).toEqual({
      kind: 'create'
    })
  })

  it('tells plan 40 from plan 4096', () => {
    expect(
      decideCommentAction([{ id: 5, body: `${commentMarker('4096')}\n`, ...bot }], commentMarker('40'), app)
    ).toEqual({
      kind: 'create'
    })
  })

  it("never takes a person's marker comment for an app token's, nor another account's for a user token's", () => {
    const person = { id: 4, body: `${marker}\nI wrote this`, user: { login: 'mallory', type: 'User' } }
    const noAuthor = { id: 6, body: `${marker}\nno author` }
    // A person posing as a bot by name: no app behind the comment.
    const posing = { id: 8, body: `${marker}\nx`, user: { login: 'github-actions[bot]', type: 'User' } }
    expect(decideCommentAction([person, noAuthor, posing], marker, app)).toEqual({ kind: 'create' })
    expect(
      decideCommentAction([person, { id: 9, body: marker, ...bot }], marker, { kind: 'user', login: 'ci-bot' })
    ).toEqual({
      kind: 'create'
    })
    expect(decideCommentAction([person], marker, { kind: 'user', login: 'mallory' })).toEqual({
      kind: 'update',
      commentId: 4
    })
  })

  it("takes an app's own bot comment for an app token: github-actions[bot], or another app's bot", () => {
    expect(decideCommentAction([{ id: 3, body: marker, ...bot }], marker, app)).toEqual({
      kind: 'update',
      commentId: 3
    })
    const other = {
      user: { login: 'testsigma-ci[bot]', type: 'Bot' },
      performed_via_github_app: { slug: 'testsigma-ci' }
    }
    expect(decideCommentAction([{ id: 5, body: marker, ...other }], marker, app)).toEqual({
      kind: 'update',
      commentId: 5
    })
  })
})

describe('describeCommentFailure', () => {
  it.each([403, 404])('names the permission to add for HTTP %d', status => {
    const error = Object.assign(new Error('Resource not accessible by integration - https://docs.github.com/rest'), {
      status
    })
    const message = describeCommentFailure(error)
    expect(message).toContain(`HTTP ${status}: Resource not accessible by integration`)
    expect(message).toContain('permissions: pull-requests: write')
  })

  it('says what happened for other failures, on one line', () => {
    const message = describeCommentFailure(Object.assign(new Error('Server Error\nstack'), { status: 502 }))
    expect(message).toBe(
      'Could not write the pull-request comment (HTTP 502: Server Error); the result is in the job summary.'
    )
    expect(describeCommentFailure(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toContain('ECONNREFUSED')
  })
})

describe('commentOnPullRequest on a merge_group event', () => {
  it('writes no comment and says why in one line, naming the queue entry', async () => {
    const log = new RecordingLog()
    const run: RunReport = {
      ...report('4096'),
      mergeQueue: { pullRequest: 42, baseBranch: 'main', headSha: SHA }
    }
    await commentOnPullRequest(run, {
      verdict: decideVerdict(run),
      token: TOKEN,
      userAgent: 'testsigma-test-plan-action/test',
      env: { GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: github.apiUrl },
      log,
      signal: new AbortController().signal
    })
    expect(github.requests).toEqual([])
    expect(log.messages('warning')).toEqual([])
    expect(log.messages('info')).toEqual([
      'pr-comment is on, but this is a merge_group event: no comment. The merge queue tests pull request #42 merged ' +
        "into main after the entries ahead of it (6dcb09b), not the pull request's head, so the pull request keeps " +
        "the comment of its own run; this run's result is in the job summary"
    ])
  })
})
