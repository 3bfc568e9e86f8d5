/** The pull request a workflow run is for, as far as the comment needs it. */
export interface PullRequestRef {
  owner: string
  repo: string
  number: number
  /** The head commit the workflow tested (`pull_request.head.sha`), not the merge commit in GITHUB_SHA. */
  headSha: string
}

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

export function isPullRequestEvent(eventName: string | undefined): boolean {
  return eventName !== undefined && PULL_REQUEST_EVENTS.includes(eventName)
}

/** Where the comment goes, or why there is none. */
export type CommentTarget = { kind: 'pull-request'; pullRequest: PullRequestRef } | { kind: 'none'; reason: string }

/**
 * Reads the pull request from the event name, the event payload (GITHUB_EVENT_PATH's JSON) and
 * GITHUB_REPOSITORY. Pure: the caller reads the file and the environment.
 */
export function commentTargetOf(eventName: string | undefined, payload: unknown, repository?: string): CommentTarget {
  if (!isPullRequestEvent(eventName)) {
    return {
      kind: 'none',
      reason: `pr-comment is on, but this is a ${eventName ?? 'unknown'} event, not pull_request or pull_request_target: no comment`
    }
  }
  const event = (payload ?? {}) as {
    pull_request?: { number?: unknown; head?: { sha?: unknown } }
    repository?: { name?: unknown; owner?: { login?: unknown } }
  }
  const number = event.pull_request?.number
  const headSha = event.pull_request?.head?.sha
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) {
    return { kind: 'none', reason: `The ${eventName} event payload names no pull request number: no comment` }
  }
  if (typeof headSha !== 'string' || !/^[0-9a-f]{7,64}$/i.test(headSha)) {
    return { kind: 'none', reason: `The ${eventName} event payload names no head commit: no comment` }
  }
  const [owner, repo] = (repository ?? '').split('/')
  if (owner && repo) return { kind: 'pull-request', pullRequest: { owner, repo, number, headSha } }
  const { name, owner: payloadOwner } = event.repository ?? {}
  if (typeof name === 'string' && typeof payloadOwner?.login === 'string') {
    return { kind: 'pull-request', pullRequest: { owner: payloadOwner.login, repo: name, number, headSha } }
  }
  return { kind: 'none', reason: 'Neither GITHUB_REPOSITORY nor the event payload names the repository: no comment' }
}
