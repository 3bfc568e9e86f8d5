/**
 * The merge-queue entry a `merge_group` workflow run tests. GitHub's `merge_group` payload has no `pull_request`:
 * `merge_group.head_sha` is the commit the queue tests (GITHUB_SHA), `head_ref` is
 * `refs/heads/gh-readonly-queue/<base branch>/pr-<number>-<sha>` (one pull request per ref: a batch is a chain of
 * such groups, each on the previous one's head), `base_ref` is `refs/heads/<base branch>`, and `base_sha` and
 * `head_commit` describe the commits. Pure: the caller reads the payload.
 */
import { withoutTrailingSlashes } from '../text.js'

export const MERGE_GROUP_EVENT = 'merge_group'

/** The queue entry, as far as a person needs it to tell one run from another. */
export interface MergeQueueEntry {
  /** The pull request the entry is for (from `head_ref`). */
  pullRequest: number
  /** The branch it is merged into (`base_ref` without `refs/heads/`). */
  baseBranch: string
  /** The commit the queue tests: the pull request merged on top of the base and of the entries ahead of it. */
  headSha: string
  /** Links, when the payload's `repository.html_url` is a plain web address. */
  pullRequestUrl?: string
  commitUrl?: string
}

// The base branch may hold slashes (release/2.0): the pull request is the last `pr-<n>-<sha>` segment.
const QUEUE_REF = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-(\d{1,15})-[0-9a-f]{40,64}$/i
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
const BRANCH_PREFIX = 'refs/heads/'
// A web address that cannot close a markdown link or carry markup.
const WEB_URL = /^https?:\/\/[^\s()<>[\]`|\\"']+$/

/**
 * The entry of a `merge_group` event, or undefined for any other event or a payload that does not name one (then the
 * run is simply not labelled: nothing is refused).
 */
export function mergeQueueEntryOf(eventName: string | undefined, payload: unknown): MergeQueueEntry | undefined {
  if (eventName !== MERGE_GROUP_EVENT || payload === null || typeof payload !== 'object') return undefined
  const event = payload as {
    merge_group?: { head_sha?: unknown; head_ref?: unknown; base_ref?: unknown; head_commit?: { id?: unknown } | null }
    repository?: { html_url?: unknown } | null
  }
  const group = event.merge_group
  if (group === null || typeof group !== 'object') return undefined
  const ref = typeof group.head_ref === 'string' ? QUEUE_REF.exec(group.head_ref) : null
  if (ref === null) return undefined
  const pullRequest = Number(ref[2])
  if (!Number.isSafeInteger(pullRequest) || pullRequest <= 0) return undefined
  const headSha = [group.head_sha, group.head_commit?.id].find(
    (sha): sha is string => typeof sha === 'string' && SHA.test(sha)
  )
  if (headSha === undefined) return undefined
  const baseRef = group.base_ref
  const baseBranch =
    typeof baseRef === 'string' && baseRef.startsWith(BRANCH_PREFIX) && baseRef.length > BRANCH_PREFIX.length
      ? baseRef.slice(BRANCH_PREFIX.length)
      : ref[1]
  // eslint-disable-next-line no-control-regex -- a branch name never holds control characters; a payload might
  if (/[\x00-\x1f\x7f]/.test(baseBranch)) return undefined

  const entry: MergeQueueEntry = { pullRequest, baseBranch, headSha: headSha.toLowerCase() }
  const repoUrl = event.repository?.html_url
  if (typeof repoUrl === 'string' && WEB_URL.test(repoUrl)) {
    const base = withoutTrailingSlashes(repoUrl)
    entry.pullRequestUrl = `${base}/pull/${pullRequest}`
    entry.commitUrl = `${base}/commit/${entry.headSha}`
  }
  return entry
}

/**
 * The build number sent to Testsigma for a queue entry when `build-number` is empty: "merge-queue #123 abc1234", the
 * pull request and the commit tested, so that the runs of one pull request in the queue can be told apart.
 */
export function mergeQueueBuildNumber(entry: MergeQueueEntry): string {
  return `merge-queue #${entry.pullRequest} ${shortSha(entry.headSha)}`
}

/** The log line that says which entry this run tests, and the build number it gets when it has none. */
export function describeMergeQueueEntry(entry: MergeQueueEntry, buildNumber?: string): string {
  const line = `Merge queue: pull request #${entry.pullRequest} into ${entry.baseBranch} at ${shortSha(entry.headSha)}`
  return buildNumber === undefined ? line : `${line}; build-number is empty, so the run is named "${buildNumber}"`
}

/**
 * Why `pr-comment` writes nothing on a `merge_group` event. The queue tests a merge of the pull request with its base
 * and the entries ahead of it, not the pull request's head: a comment there would replace the result of the pull
 * request's own run with a result about other code, and a failed entry is already shown on the pull request by
 * GitHub, which removes it from the queue.
 */
export function noCommentInMergeQueue(entry: MergeQueueEntry | undefined): string {
  const tested =
    entry === undefined
      ? 'the merge queue tests a merge of queued pull requests'
      : `the merge queue tests pull request #${entry.pullRequest} merged into ${entry.baseBranch} after the entries ` +
        `ahead of it (${shortSha(entry.headSha)})`
  return (
    `pr-comment is on, but this is a merge_group event: no comment. ${capitalize(tested)}, not the pull request's ` +
    "head, so the pull request keeps the comment of its own run; this run's result is in the job summary"
  )
}

function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
