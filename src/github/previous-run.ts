/**
 * "Re-run failed jobs": which Testsigma run the previous attempt of this step started, per test plan. On pull
 * requests it is read from the action's own comment (its hidden metadata, `run-metadata.ts`), trusted only when the
 * comment passes the same ownership check as an update. Other events have no such place: the plan runs in full and
 * the log says why (README, "Re-running a failed check"). Never throws: a look-up that fails is a full run.
 */
import { oneLine } from '../text.js'
import { readEventPayload } from './event.js'
import { commentMarker, findOwnComment, openGitHub } from './pr-comment.js'
import { commentTargetOf, isPullRequestEvent } from './pull-request.js'
import { parseRunMetadata, RunEntry } from './run-metadata.js'

/** The run a previous attempt of this step started for one test plan, as its metadata says (not yet checked). */
export interface PreviousRun {
  runId: string
  /** When that run was itself a re-run of failed tests: the first run of its chain. */
  rootRunId?: string
  /** The workflow run's attempt that started it. */
  attempt: number
  /** The commit (GITHUB_SHA) that attempt ran on. */
  sha: string
}

/** The previous runs found, by test plan id, and why a plan may have none. */
export interface PreviousRuns {
  runs: Map<string, PreviousRun>
  /** Why nothing could be looked up at all (another event, no token, GitHub refused); absent when it was. */
  unavailable?: string
}

export interface PreviousRunLookup {
  planIds: readonly string[]
  /** The pull-request comment is written (`pr-comment: true`) and its token. */
  prComment: boolean
  token?: string
  userAgent: string
  /** The runner's variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL. */
  env: NodeJS.ProcessEnv
  signal: AbortSignal
  timeoutMs: number
}

/** The previous attempt's runs, from this action's pull-request comment of each plan. */
export async function findPreviousRuns(lookup: PreviousRunLookup): Promise<PreviousRuns> {
  const { env } = lookup
  const none = (unavailable: string): PreviousRuns => ({ runs: new Map(), unavailable })
  if (!isPullRequestEvent(env.GITHUB_EVENT_NAME)) {
    return none(
      `on a ${env.GITHUB_EVENT_NAME ?? 'unknown'} event the previous attempt's run cannot be found (only a ` +
        "pull request's comment keeps it)"
    )
  }
  if (!lookup.prComment)
    return none("the previous attempt's run is kept in the pull-request comment, and pr-comment is off")
  if (lookup.token === undefined) return none('github-token is empty, so the pull-request comment cannot be read')
  const timeout = AbortSignal.timeout(lookup.timeoutMs)
  try {
    const target = commentTargetOf(
      env.GITHUB_EVENT_NAME,
      await readEventPayload(env.GITHUB_EVENT_PATH),
      env.GITHUB_REPOSITORY
    )
    if (target.kind === 'none') return none(`the pull request cannot be told (${target.reason})`)
    const octokit = await openGitHub({
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: lookup.token,
      userAgent: lookup.userAgent,
      signal: AbortSignal.any([lookup.signal, timeout])
    })
    const runs = new Map<string, PreviousRun>()
    for (const plan of lookup.planIds) {
      const comment = await findOwnComment(octokit, target.pullRequest, commentMarker(plan))
      const entry = parseRunMetadata(comment?.body ?? '').find(candidate => candidate.plan === plan)
      if (entry !== undefined) runs.set(plan, previousRunOf(entry))
    }
    return { runs }
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const said = timeout.aborted
      ? `GitHub did not answer within ${lookup.timeoutMs / 1000} s`
      : `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${oneLine((error as Error).message).slice(0, 200)}`
    return none(`the pull-request comment could not be read (${said})`)
  }
}

function previousRunOf(entry: RunEntry): PreviousRun {
  return {
    runId: entry.run,
    attempt: entry.attempt,
    sha: entry.sha,
    ...(entry.root === undefined ? {} : { rootRunId: entry.root })
  }
}
