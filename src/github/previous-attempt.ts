/**
 * The previous attempt's runs where there is no pull-request comment to keep them (push, schedule, merge queue, …):
 * the notice a step leaves when its run did not pass (`run-metadata.ts`) is an annotation of that attempt's check run,
 * read back through GitHub's REST API: the attempt's jobs (`actions: read`), then each job's check-run annotations
 * (`checks: read`; a job's id is its check run's). Any step of the workflow could write such a notice, so each entry
 * carries the job's start and end, and the run must have started inside them (`re-run-decision.ts`), besides being
 * this plan's, finished and not passed, as Testsigma says.
 */
import type { GitHubClient } from './pr-comment.js'
import { parseRunAnnotation, PreviousRun, RUN_ANNOTATION_TITLE } from './run-metadata.js'

export interface AttemptWhere {
  owner: string
  repo: string
  /** GITHUB_RUN_ID. */
  runId: number
  /** This attempt (GITHUB_RUN_ATTEMPT): the ones before it are read, latest first. */
  attempt: number
  planIds: readonly string[]
}

// Bounds on what one step asks GitHub: the attempts looked back, and the jobs whose annotations are read.
const ATTEMPTS_BACK = 3
const MAX_JOBS = 30

interface Job {
  id: number
  conclusion?: string | null
  started_at?: string | null
  completed_at?: string | null
}

/**
 * Each plan's run in the latest earlier attempt whose jobs' annotations name one. A plan named with two different runs
 * in one attempt (two jobs run it) is left out: which run is this step's cannot be told. Throws octokit's errors.
 */
export async function findRunsInAnnotations(
  octokit: GitHubClient,
  where: AttemptWhere
): Promise<Map<string, PreviousRun>> {
  const found = new Map<string, PreviousRun>()
  const wanted = new Set(where.planIds)
  for (let attempt = where.attempt - 1; attempt >= Math.max(1, where.attempt - ATTEMPTS_BACK); attempt--) {
    if (wanted.size === 0) break
    const jobs = await attemptJobs(octokit, where, attempt)
    const inAttempt = new Map<string, PreviousRun | 'several'>()
    for (const job of jobs) {
      // A job without both ends cannot tie a run to itself: its notices are not read.
      const startedBetween = jobWindow(job)
      if (startedBetween === undefined) continue
      const annotations = await octokit.paginate(octokit.rest.checks.listAnnotations, {
        owner: where.owner,
        repo: where.repo,
        check_run_id: job.id,
        per_page: 100
      })
      for (const annotation of annotations) {
        if (annotation.annotation_level !== 'notice' || annotation.title !== RUN_ANNOTATION_TITLE) continue
        for (const entry of parseRunAnnotation(annotation.message ?? '')) {
          if (!wanted.has(entry.plan) || entry.attempt !== attempt) continue
          const earlier = inAttempt.get(entry.plan)
          if (earlier !== undefined && (earlier === 'several' || earlier.runId !== entry.run)) {
            inAttempt.set(entry.plan, 'several')
            continue
          }
          inAttempt.set(entry.plan, {
            runId: entry.run,
            attempt: entry.attempt,
            sha: entry.sha,
            source: `the check annotations of attempt ${attempt}`,
            startedBetween,
            ...(entry.root === undefined ? {} : { rootRunId: entry.root })
          })
        }
      }
    }
    for (const [plan, run] of inAttempt) {
      wanted.delete(plan)
      if (run !== 'several') found.set(plan, run)
    }
  }
  return found
}

/** The attempt's jobs, those that failed first (a run that did not pass fails its job), at most `MAX_JOBS`. */
async function attemptJobs(octokit: GitHubClient, where: AttemptWhere, attempt: number): Promise<Job[]> {
  const jobs: Job[] = []
  const pages = octokit.paginate.iterator(octokit.rest.actions.listJobsForWorkflowRunAttempt, {
    owner: where.owner,
    repo: where.repo,
    run_id: where.runId,
    attempt_number: attempt,
    per_page: 100
  })
  for await (const page of pages) {
    jobs.push(...page.data)
    if (jobs.length >= 3 * MAX_JOBS) break
  }
  const failedFirst = [
    ...jobs.filter(job => job.conclusion === 'failure'),
    ...jobs.filter(job => job.conclusion !== 'failure')
  ]
  return failedFirst.slice(0, MAX_JOBS)
}

/** When the job ran, in ms since the epoch, when GitHub says both ends. */
function jobWindow(job: Job): { from: number; to: number } | undefined {
  const from = Date.parse(job.started_at ?? '')
  const to = Date.parse(job.completed_at ?? '')
  return Number.isFinite(from) && Number.isFinite(to) && to >= from ? { from, to } : undefined
}
