import { CommentAction, decideCommentAction } from '../report/comment.js'
import type { PullRequestRef } from './pull-request.js'

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
  // Loaded here, not at start-up: octokit is most of the bundle and only a comment needs it.
  const { getOctokit } = await import('@actions/github')
  // baseUrl given here too: @actions/github reads GITHUB_API_URL once, when first loaded.
  const octokit = getOctokit(request.token, { baseUrl: request.apiUrl, userAgent: request.userAgent })
  // Pagination passes no per-call options on, so the signal goes on every request through the hook.
  octokit.hook.before('request', options => {
    options.request = { ...options.request, signal: request.signal }
  })
  const { owner, repo, number } = request.pullRequest

  let action: CommentAction = { kind: 'create' }
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100
  })
  for await (const page of pages) {
    action = decideCommentAction(page.data, request.marker)
    if (action.kind === 'update') break
  }

  if (action.kind === 'update') {
    const { data } = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: action.commentId,
      body: request.body
    })
    return { kind: 'updated', commentId: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: request.body })
  return { kind: 'created', commentId: data.id, url: data.html_url }
}
