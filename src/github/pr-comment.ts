import { readFile } from 'node:fs/promises'
import type { Log } from '../action.js'
import { commentMarker, renderComment } from '../report/comment.js'
import type { RunReport } from '../report/report.js'
import { writePullRequestComment } from './comment-writer.js'
import { commentTargetOf, describeCommentFailure, isPullRequestEvent } from './pull-request.js'

export interface PullRequestCommentOptions {
  token?: string
  userAgent: string
  /** The runner's variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, … */
  env: NodeJS.ProcessEnv
  log: Pick<Log, 'info' | 'warning'>
  /** The job's cancellation. */
  signal: AbortSignal
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 30_000

/**
 * `pr-comment: true`: writes or updates this test plan's comment on the pull request. Never throws and
 * never changes the verdict: on other events it logs one line, and any failure is one warning.
 */
export async function commentOnPullRequest(report: RunReport, options: PullRequestCommentOptions): Promise<void> {
  const { env, log } = options
  if (options.signal.aborted) {
    log.info('The job is being cancelled: no pull-request comment')
    return
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
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
    const body = renderComment(report, {
      commitSha: pullRequest.headSha,
      commitUrl: `${repoUrl}/pull/${pullRequest.number}/commits/${pullRequest.headSha}`,
      workflowRunUrl: env.GITHUB_RUN_ID ? `${repoUrl}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
    })
    const result = await writePullRequestComment({
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: options.token,
      userAgent: options.userAgent,
      pullRequest,
      marker: commentMarker(report.testPlanId),
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

/** The event payload, or undefined when there is none to read (the target then says why). */
async function readEventPayload(eventPath: string | undefined): Promise<unknown> {
  if (eventPath === undefined || eventPath === '') return undefined
  return JSON.parse(await readFile(eventPath, 'utf8')) as unknown
}
