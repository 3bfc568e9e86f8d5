/**
 * The hidden metadata the pull-request comment carries for "Re-run failed jobs" (README, "Re-running a failed
 * check"): which Testsigma run each test plan's step started, in which attempt of the workflow run, on which commit.
 * One HTML comment on the body's last line, invisible on GitHub, versioned, a list so that one comment can speak for
 * several plans. Read defensively: anyone with a token can write a comment, so only the action's own comment is read
 * (`previous-run.ts`), and even then nothing but bounded, exact digits and a commit SHA is taken from it. Pure.
 */

import type { RunReport } from '../report/report.js'

/** What one step left for the next attempt: the run it started for `plan`. Ids as digits, exactly. */
export interface RunEntry {
  /** The test plan id. */
  plan: string
  /** The run the step started: a full run, or the re-run it asked for. */
  run: string
  /** GITHUB_RUN_ATTEMPT of the step that started it. */
  attempt: number
  /** GITHUB_SHA of that attempt: a re-run of the workflow run keeps it. */
  sha: string
  /** When `run` re-ran failed tests: the first run of that chain, whose passes Testsigma's counts add. */
  root?: string
}

/** The run a previous attempt of this step started for one test plan, as its metadata says (not yet checked). */
export interface PreviousRun {
  runId: string
  /** When that run was itself a re-run of failed tests: the first run of its chain. */
  rootRunId?: string
  /** The workflow run's attempt that started it. */
  attempt: number
  /** The commit (GITHUB_SHA) that attempt ran on. */
  sha: string
  /** Where it was found, for the log: "the pull-request comment", "the check annotations of attempt 1". */
  source: string
  /**
   * When the job of that attempt ran (ms since the epoch), for a source any step of the workflow could have written:
   * the run must have started then.
   */
  startedBetween?: { from: number; to: number }
}

export const RUN_METADATA_VERSION = 1
const PREFIX = '<!-- testsigma-test-plan-action:runs '
const SUFFIX = ' -->'
// A comment's metadata line is a few hundred bytes per plan; anything longer is not the action's.
const MAX_LINE = 16 * 1024
const MAX_ENTRIES = 100
const MAX_ATTEMPT = 10_000
const ID = /^[0-9]{1,16}$/
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/** The metadata line: `<!-- testsigma-test-plan-action:runs {"v":1,"runs":[…]} -->`, to append as the last line. */
export function renderRunMetadata(entries: readonly RunEntry[]): string {
  const runs = entries.map(entry => ({
    plan: entry.plan,
    run: entry.run,
    attempt: entry.attempt,
    sha: entry.sha,
    ...(entry.root === undefined ? {} : { root: entry.root })
  }))
  // Digits and hex only: JSON.stringify of these values can never hold "-->", which would end the HTML comment.
  return `${PREFIX}${JSON.stringify({ v: RUN_METADATA_VERSION, runs })}${SUFFIX}`
}

/**
 * The entries of a comment body's metadata line (its last line), or none: a body without the line, a line too long, of
 * another version, or not JSON gives none; an entry with any field that is not exact gives nothing for that entry.
 */
export function parseRunMetadata(body: string): RunEntry[] {
  const end = body.trimEnd()
  const line = end.slice(end.lastIndexOf('\n') + 1).trim()
  if (line.length > MAX_LINE || !line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) return []
  return parseEntries(line.slice(PREFIX.length, line.length - SUFFIX.length))
}

/**
 * The title of the notice a step leaves when its run did not pass, for a later attempt on events without the
 * comment: the previous attempt's check-run annotations are read back (`previous-attempt.ts`).
 */
export const RUN_ANNOTATION_TITLE = 'Testsigma run for Re-run failed jobs'
const ANNOTATION_KEY = 'testsigma-test-plan-action:runs '

/** The notice's message: what a re-run of the job does, then the entry in the metadata's own JSON. */
export function renderRunAnnotation(entry: RunEntry, notPassed: number): string {
  const tests = notPassed === 1 ? 'the 1 test' : `the ${notPassed} tests`
  const json = renderRunMetadata([entry]).slice(PREFIX.length, -SUFFIX.length)
  return (
    `Re-running this job re-runs only ${tests} of Testsigma run ${entry.run} (test plan ${entry.plan}) that did ` +
    `not pass. ${ANNOTATION_KEY}${json}`
  )
}

/** The entries of such a notice's message, read as defensively as the comment's line. */
export function parseRunAnnotation(message: string): RunEntry[] {
  if (message.length > MAX_LINE) return []
  const at = message.indexOf(ANNOTATION_KEY)
  return at === -1 ? [] : parseEntries(message.slice(at + ANNOTATION_KEY.length).trim())
}

function parseEntries(json: string): RunEntry[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return []
  }
  if (parsed === null || typeof parsed !== 'object') return []
  const { v, runs } = parsed as { v?: unknown; runs?: unknown }
  if (v !== RUN_METADATA_VERSION || !Array.isArray(runs)) return []
  return runs.slice(0, MAX_ENTRIES).flatMap(entry => {
    const read = readEntry(entry)
    return read === undefined ? [] : [read]
  })
}

function readEntry(value: unknown): RunEntry | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const { plan, run, attempt, sha, root } = value as Record<string, unknown>
  if (!isId(plan) || !isId(run) || typeof sha !== 'string' || !SHA.test(sha)) return undefined
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT)
    return undefined
  if (root !== undefined && !isId(root)) return undefined
  return { plan, run, attempt, sha, ...(root === undefined ? {} : { root }) }
}

/** Digits a JSON number would carry exactly (the action sends ids as numbers), without leading zeros. */
function isId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ID.test(value) &&
    Number.isSafeInteger(Number(value)) &&
    String(Number(value)) === value
  )
}

/** What this step leaves in the comment for a later attempt, or undefined when it started no run or has no commit. */
export function runEntryOf(report: RunReport, env: NodeJS.ProcessEnv): RunEntry | undefined {
  const sha = env.GITHUB_SHA ?? ''
  if (report.runId === undefined || !SHA.test(sha)) return undefined
  return {
    plan: report.testPlanId,
    run: report.runId,
    attempt: runAttempt(env),
    sha,
    ...(report.reRunOf === undefined ? {} : { root: report.reRunOf.firstRunId })
  }
}

/** GITHUB_RUN_ATTEMPT: 1 for a workflow run's first attempt, more for each "Re-run"; 1 when unset or unreadable. */
export function runAttempt(env: NodeJS.ProcessEnv): number {
  const text = env.GITHUB_RUN_ATTEMPT ?? ''
  return /^[1-9][0-9]{0,4}$/.test(text) ? Number(text) : 1
}

/**
 * The notice a step leaves for a later attempt (`renderRunAnnotation`), when its run finished without passing: only
 * such a run's failed tests are ever re-run. Undefined otherwise.
 */
export function runAnnotationOf(report: RunReport, env: NodeJS.ProcessEnv): string | undefined {
  const { state } = report
  const entry = runEntryOf(report, env)
  if (entry === undefined || report.outcome !== 'finished' || state === undefined || state.passed) return undefined
  if (state.result === 'STOPPED') return undefined
  const deepest = state.chain[state.chain.length - 1].counts
  return renderRunAnnotation(entry, Math.max(0, deepest.total - deepest.passed))
}
