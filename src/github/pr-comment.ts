import type { Log } from '../log.js'
import { CommentContext, renderComment } from '../report/comment.js'
import type { PlansReport } from '../report/plans-report.js'
import { renderPlansComment } from '../report/plans-summary.js'
import type { ReportedMergeQueueEntry, RunReport } from '../report/report.js'
import type { Verdict } from '../report/verdict.js'
import { scrubSecrets } from '../text.js'
import { readEventPayload } from './event.js'
import { MERGE_GROUP_EVENT, noCommentInMergeQueue } from './merge-queue.js'
import { commentTargetOf, isPullRequestEvent, PullRequestRef } from './pull-request.js'
import { renderRunMetadata, runEntryOf } from './run-metadata.js'

export interface PullRequestCommentOptions {
  /** The step's verdict, as the job summary says it. */
  verdict: Verdict
  token?: string
  userAgent: string
  /** The runner's variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, … */
  env: NodeJS.ProcessEnv
  log: Pick<Log, 'info' | 'warning'>
  /** The job's cancellation. */
  signal: AbortSignal
  timeoutMs?: number
  /** Removed from the comment, whatever text they came in (the API key, the token). */
  secrets?: readonly string[]
}

const DEFAULT_TIMEOUT_MS = 30_000

/**
 * `pr-comment: true`: writes or updates this test plan's comment on the pull request. Never throws and
 * never changes the verdict: on other events it logs one line, and any failure is one warning.
 */
export async function commentOnPullRequest(report: RunReport, options: PullRequestCommentOptions): Promise<void> {
  await writeComment(
    {
      marker: commentMarker(report.testPlanId),
      mergeQueue: report.mergeQueue,
      runs: [report],
      render: context => renderComment(report, options.verdict, context)
    },
    options
  )
}

/**
 * The same for a step that ran several test plans: one comment for the set, found again by the set's marker, so two
 * such steps in one workflow keep a comment each.
 */
export async function commentOnPullRequestForPlans(
  report: PlansReport,
  options: PullRequestCommentOptions
): Promise<void> {
  await writeComment(
    {
      marker: plansCommentMarker(report.plans.map(plan => plan.testPlanId)),
      mergeQueue: report.mergeQueue,
      runs: report.plans,
      render: context => renderPlansComment(report, options.verdict, context)
    },
    options
  )
}

/** What one comment is: the marker that finds it again, and its markdown for the pull request's context. */
interface CommentContent {
  marker: string
  mergeQueue?: ReportedMergeQueueEntry
  /** Each plan's report: the runs they started go in the metadata line, for "Re-run failed jobs". */
  runs: readonly RunReport[]
  render: (context: CommentContext) => string
}

async function writeComment(content: CommentContent, options: PullRequestCommentOptions): Promise<void> {
  const { env, log } = options
  if (options.signal.aborted) {
    log.info('The job is being cancelled: no pull-request comment')
    return
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  if (env.GITHUB_EVENT_NAME === MERGE_GROUP_EVENT) {
    // The queue tests other code than the pull request's head: one line, no comment (merge-queue.ts says why).
    log.info(noCommentInMergeQueue(content.mergeQueue))
    return
  }
  try {
    // Other events have nothing to read: one line, no warning.
    const payload = isPullRequestEvent(env.GITHUB_EVENT_NAME)
      ? await readEventPayload(env.GITHUB_EVENT_PATH)
      : undefined
    const target = commentTargetOf(env.GITHUB_EVENT_NAME, payload, env.GITHUB_REPOSITORY)
    if (target.kind === 'none') {
      log.info(target.reason)
      return
    }
    if (options.token === undefined) {
      log.warning('pr-comment is on, but github-token is empty: no comment. Example: github-token: ${{ github.token }}')
      return
    }
    const { pullRequest } = target
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com'
    const repoUrl = `${serverUrl}/${pullRequest.owner}/${pullRequest.repo}`
    const { marker } = content
    const rendered = content.render({
      commitSha: pullRequest.headSha,
      commitUrl: `${repoUrl}/pull/${pullRequest.number}/commits/${pullRequest.headSha}`,
      workflowRunUrl: env.GITHUB_RUN_ID ? `${repoUrl}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
    })
    // The last line: which run this step started, for "Re-run failed jobs" in a later attempt (previous-run.ts).
    const entries = content.runs.flatMap(run => runEntryOf(run, env) ?? [])
    const metadata = entries.length === 0 ? '' : `\n${renderRunMetadata(entries)}`
    const body = `${marker}\n${scrubSecrets(
      rendered,
      (options.secrets ?? []).filter(secret => secret !== '')
    )}${metadata}`
    const result = await writePullRequestComment({
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: options.token,
      userAgent: options.userAgent,
      pullRequest,
      marker,
      body,
      signal: AbortSignal.any([options.signal, timeout])
    })
    const where = result.url ?? `pull request #${pullRequest.number}`
    log.info(`Pull-request comment ${result.kind}: ${where}`)
  } catch (error) {
    // octokit reports an aborted fetch as an "Unknown Error" with status 500: say what happened instead.
    const cause = timeout.aborted ? new Error(`GitHub did not answer within ${timeoutMs / 1000} s`) : error
    log.warning(describeCommentFailure(cause))
  }
}

/**
 * The hidden first line that finds this action's comment again. It names the test plan, so several test
 * plans in one pull request keep one comment each.
 */
export function commentMarker(testPlanId: string): string {
  return `<!-- testsigma-test-plan-action:plan=${testPlanId} -->`
}

/**
 * The marker of a set of test plans: their ids, sorted, so the order they are written in does not matter.
 * `plans=` never begins a single plan's `plan=` marker, nor the other way round. Hidden lines that follow it
 * (the runs of each plan, `{plan, run}`) are not part of the marker.
 */
export function plansCommentMarker(testPlanIds: readonly string[]): string {
  const sorted = [...testPlanIds].sort((a, b) => Number(a) - Number(b))
  return `<!-- testsigma-test-plan-action:plans=${sorted.join(',')} -->`
}

/** A comment as the list endpoint returns it; only what the decision reads. */
export interface ExistingComment {
  id: number
  body?: string | null
  user?: { login: string; type?: string } | null
  performed_via_github_app?: { slug?: string | null } | null
}

/**
 * Who the token writes comments as. `user`: a token of a person or bot account (`GET /user` answers), whose
 * comments carry that login. `app`: a GitHub App installation token, the job's GITHUB_TOKEN among them
 * (`GET /user` refuses those), whose comments are by the app's bot (`github-actions[bot]`, or
 * `<slug>[bot]`) and carry `performed_via_github_app`.
 */
export type CommentAuthor = { kind: 'user'; login: string } | { kind: 'app' }

export type CommentAction = { kind: 'create' } | { kind: 'update'; commentId: number }

/** Whether `comment` starts with the marker (a candidate for updating, if its author is this action's). */
export function carriesMarker(comment: ExistingComment, marker: string): boolean {
  // Starts with, not contains: a person quoting the comment's source must not have their comment overwritten.
  return (comment.body ?? '').trimStart().startsWith(marker)
}

/**
 * Whether the action may have written `comment`: it is by the token's own account, or, for an app's token,
 * by an app's bot through that app. A comment by a person (`type: User`) other than the token's own account
 * never is, whatever it says: anyone can post the marker.
 */
export function writtenBy(comment: ExistingComment, author: CommentAuthor): boolean {
  const login = comment.user?.login
  if (login === undefined) return false
  if (author.kind === 'user') return login === author.login
  const slug = comment.performed_via_github_app?.slug
  return comment.user?.type === 'Bot' && typeof slug === 'string' && login === `${slug}[bot]`
}

/**
 * Update the first comment that starts with the marker and was written by this action's author; create
 * one when none was. A marker comment by anyone else is left alone.
 */
export function decideCommentAction(
  comments: readonly ExistingComment[],
  marker: string,
  author: CommentAuthor
): CommentAction {
  const earlier = comments.find(comment => carriesMarker(comment, marker) && writtenBy(comment, author))
  return earlier === undefined ? { kind: 'create' } : { kind: 'update', commentId: earlier.id }
}

export interface CommentRequest {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string
  token: string
  userAgent: string
  pullRequest: PullRequestRef
  /** The hidden first line that finds the earlier comment. */
  marker: string
  body: string
  /** Ends every request: the job's cancellation and a time limit. */
  signal: AbortSignal
}

export interface CommentResult {
  kind: 'created' | 'updated'
  commentId: number
  url?: string
}

/**
 * Updates this test plan's earlier comment on the pull request, or creates one. The comments are
 * read page by page until the marker is found. Throws octokit's errors (with `status`) for the caller
 * to turn into a warning.
 */
export async function writePullRequestComment(request: CommentRequest): Promise<CommentResult> {
  const octokit = await openGitHub(request)
  const { owner, repo, number } = request.pullRequest
  const earlier = await findOwnComment(octokit, request.pullRequest, request.marker)
  if (earlier !== undefined) {
    const { data } = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: earlier.id,
      body: request.body
    })
    return { kind: 'updated', commentId: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: request.body })
  return { kind: 'created', commentId: data.id, url: data.html_url }
}

export type GitHubClient = Awaited<ReturnType<typeof openGitHub>>

/** octokit for GITHUB_API_URL, every request ended by `signal`; loaded here, not at start-up (most of the bundle). */
export async function openGitHub(request: Pick<CommentRequest, 'apiUrl' | 'token' | 'userAgent' | 'signal'>) {
  const { getOctokit } = await import('@actions/github')
  // baseUrl given here too: @actions/github reads GITHUB_API_URL once, when first loaded.
  const octokit = getOctokit(request.token, { baseUrl: request.apiUrl, userAgent: request.userAgent })
  // Pagination passes no per-call options on, so the signal goes on every request through the hook.
  octokit.hook.before('request', options => {
    options.request = { ...options.request, signal: request.signal }
  })
  return octokit
}

/**
 * This action's comment with `marker` on the pull request: the first that starts with it and passes the ownership
 * check (`decideCommentAction`), the one an update would change. The comments are read page by page until it is found.
 */
export async function findOwnComment(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  marker: string
): Promise<ExistingComment | undefined> {
  const { owner, repo, number } = pullRequest
  let author: CommentAuthor | undefined
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100
  })
  for await (const page of pages) {
    // Whom the token writes as is asked only once a marker comment turns up, which a first run never sees.
    if (author === undefined && page.data.some(comment => carriesMarker(comment, marker))) {
      author = await tokenAuthor(octokit)
    }
    if (author === undefined) continue
    const action = decideCommentAction(page.data, marker, author)
    if (action.kind === 'update') return page.data.find(comment => comment.id === action.commentId)
  }
  return undefined
}

/**
 * Whom the token writes comments as: `GET /user` answers for a person's or a bot account's token;
 * GitHub App installation tokens (GITHUB_TOKEN too) are refused there (403), and write as the app's bot.
 * Any other failure also counts as `app`, which never matches a person's comment.
 */
async function tokenAuthor(octokit: {
  rest: { users: { getAuthenticated(): Promise<{ data: { login: string } }> } }
}): Promise<CommentAuthor> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return { kind: 'user', login: data.login }
  } catch {
    return { kind: 'app' }
  }
}

/**
 * A failed comment as a warning. GitHub answers 403 (and 404 for a token that may not see the pull
 * request) when the job's token lacks the permission: say which one to add.
 */
export function describeCommentFailure(error: unknown): string {
  const status = (error as { status?: unknown }).status
  const message = error instanceof Error ? error.message : String(error)
  const said = typeof status === 'number' ? `HTTP ${status}: ${firstLine(message)}` : firstLine(message)
  if (status === 403 || status === 404) {
    return (
      `Could not write the pull-request comment (${said}). Give the job's token the permission ` +
      '`pull-requests: write` (add `permissions: pull-requests: write` to the workflow or job); ' +
      'on pull requests from forks the token is read-only, use pull_request_target for a comment there.'
    )
  }
  return `Could not write the pull-request comment (${said}); the result is in the job summary.`
}

function firstLine(text: string): string {
  const line = text.split(/[\r\n]/)[0].trim()
  return line.length > 300 ? `${line.slice(0, 299)}…` : line
}
