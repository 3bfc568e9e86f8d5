/**
 * "Re-run failed jobs": which Testsigma run the previous attempt of this step started, per test plan. On pull
 * requests it is read from the action's own comment (its hidden metadata, `run-metadata.ts`), trusted only when the
 * comment passes the same ownership check as an update; elsewhere from the notices of the earlier attempts' check runs
 * (`previous-attempt.ts`). Never throws: a look-up that fails is a full run, and the log says why.
 */
import { oneLine } from '../text.js'
import { readEventPayload } from './event.js'
import { commentMarker, findOwnComment, openGitHub, plansCommentMarker } from './pr-comment.js'
import { commentTargetOf, isPullRequestEvent } from './pull-request.js'
import { parseRunMetadata, PreviousRun, RunEntry } from './run-metadata.js'

/** The previous runs found, by test plan id, and why a plan may have none. */
export interface PreviousRuns {
  runs: Map<string, PreviousRun>
  /** Why nothing could be looked up at all (another event, no token, GitHub refused); absent when it was. */
  unavailable?: string
}

export interface PreviousRunLookup {
  planIds: readonly string[]
  /** This attempt (GITHUB_RUN_ATTEMPT). */
  attempt: number
  /** The pull-request comment is written (`pr-comment: true`) and its token. */
  prComment: boolean
  token?: string
  userAgent: string
  /** The runner's variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL. */
  env: NodeJS.ProcessEnv
  signal: AbortSignal
  timeoutMs: number
}

/**
 * The previous attempt's runs: on a pull request with `pr-comment`, from this action's own comment of each plan;
 * elsewhere, from the check annotations of the earlier attempts (`previous-attempt.ts`).
 */
export async function findPreviousRuns(lookup: PreviousRunLookup): Promise<PreviousRuns> {
  const { env } = lookup
  const none = (unavailable: string): PreviousRuns => ({ runs: new Map(), unavailable })
  const fromComment = isPullRequestEvent(env.GITHUB_EVENT_NAME) && lookup.prComment
  if (lookup.token === undefined) {
    const where = fromComment ? 'the pull-request comment' : "the earlier attempts' check annotations"
    return none(`github-token is empty, so ${where} cannot be read`)
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const runId = Number(env.GITHUB_RUN_ID ?? '')
  if (!fromComment && (!owner || !repo || !Number.isSafeInteger(runId) || runId <= 0)) {
    return none('GITHUB_REPOSITORY or GITHUB_RUN_ID does not name the workflow run')
  }
  const timeout = AbortSignal.timeout(lookup.timeoutMs)
  try {
    const octokit = await openGitHub({
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: lookup.token,
      userAgent: lookup.userAgent,
      signal: AbortSignal.any([lookup.signal, timeout])
    })
    if (!fromComment) {
      const { findRunsInAnnotations } = await import('./previous-attempt.js')
      return {
        runs: await findRunsInAnnotations(octokit, {
          owner,
          repo,
          runId,
          attempt: lookup.attempt,
          planIds: lookup.planIds
        })
      }
    }
    const payload = await readEventPayload(env.GITHUB_EVENT_PATH)
    const target = commentTargetOf(env.GITHUB_EVENT_NAME, payload, env.GITHUB_REPOSITORY)
    if (target.kind === 'none') return none(`the pull request cannot be told (${target.reason})`)
    // One plan's step keeps its comment; several plans' step keeps one comment for the set (pr-comment.ts).
    const marker = lookup.planIds.length === 1 ? commentMarker(lookup.planIds[0]) : plansCommentMarker(lookup.planIds)
    const comment = await findOwnComment(octokit, target.pullRequest, marker)
    const entries = parseRunMetadata(comment?.body ?? '')
    const runs = new Map<string, PreviousRun>()
    for (const plan of lookup.planIds) {
      const entry = entries.find(candidate => candidate.plan === plan)
      if (entry !== undefined) runs.set(plan, previousRunOf(entry))
    }
    return { runs }
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const said = timeout.aborted
      ? `GitHub did not answer within ${lookup.timeoutMs / 1000} s`
      : `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${oneLine((error as Error).message).slice(0, 200)}`
    if (fromComment) return none(`the pull-request comment could not be read (${said})`)
    const permissions =
      status === 403 || status === 404
        ? ": give the job's token `actions: read` and `checks: read` (permissions: in the workflow or job)"
        : ''
    return none(`the previous attempt's check annotations could not be read (${said})${permissions}`)
  }
}

function previousRunOf(entry: RunEntry): PreviousRun {
  return {
    runId: entry.run,
    attempt: entry.attempt,
    sha: entry.sha,
    source: 'the pull-request comment',
    ...(entry.root === undefined ? {} : { rootRunId: entry.root })
  }
}
