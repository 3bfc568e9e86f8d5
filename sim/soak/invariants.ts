/**
 * The promises the soak checks on every case, as pure functions of what one run of the bundle left behind:
 * 1. exit 0 only when the run (the chain) finished with SUCCESS, or finished and fail-on-failure is false;
 * 2. at most one trigger, unless the earlier one was answered with the framework's 404 for its path (a JSON body
 *    naming the path), after which `api-dialect: auto` may ask the other dialect's path once (a missing path
 *    starts nothing); a 429 or 503 proves nothing (a proxy answers so after the trigger arrived);
 * 3. the key appears nowhere but the mask line (log, summary, outputs, files, requests to other hosts, the
 *    pull-request comment), nor does the GitHub token;
 * 4. the process ends by itself within timeout-minutes plus the margin the README states (5 s), whatever the server
 *    does;
 * 5. nothing is written outside the workspace;
 * 6. the step names and stops only its own runs (`own-runs`, sim/soak/other-runs.ts);
 * 7. no link, image, HTML tag or mention in the summary or the comment comes from server text (markup-invariant.ts).
 */
import type { Fault } from '../faults.js'
import { ownRuns, OwnRunsRecord } from './other-runs.js'
import { markupFromServer } from './markup-invariant.js'

/** What the simulator knows about the run the trigger started (undefined fields: it never happened). */
export interface ServedRun {
  /** When a status read first served a finished frame. */
  finishedServedAt?: number
  /** When the stop arrived. */
  stoppedAt?: number
  /** The result of the plan's finished frame. */
  finalResult: string
}

export interface CaseRecord extends OwnRunsRecord {
  /** The simulator's address: the action's own links to Testsigma start with it. */
  baseUrl: string
  apiKey: string
  /** The token given as github-token, when the case wrote a pull-request comment. */
  githubToken?: string
  /** The bodies of the comments the action sent to GitHub (created or updated). */
  commentBodies: string[]
  failOnFailure: boolean
  timeoutMs: number
  exitCode: number | null
  /** The signal that ended the process: SIGKILL is the soak's watchdog, so the process did not end by itself. */
  signal: string | null
  elapsedMs: number
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  /** Every file in the workspace after the run, by path, as text. */
  workspaceFiles: Record<string, string>
  /** The folder outside the workspace that junit-report traps point at, before and after: path → content. */
  outsideBefore: Record<string, string>
  outsideAfter: Record<string, string>
  /** The faults served to the trigger requests, in order (beyond them, normal answers). */
  triggerFaults: Fault[]
  triggerRequests: number
  /** The path of each trigger request, in order (the cloud's or the open-source server's). */
  triggerPaths: string[]
  /** The runs' paths the server does not have (the other dialect's): answered with Spring's 404 for that path. */
  missingPaths?: string[]
  /** Runs the simulator started, in order. */
  runs: ServedRun[]
  /** Requests that reached the trap server (a redirect's Location), with their authorization headers. */
  trapAuthorizations: string[]
}

export interface InvariantCheck {
  invariant: 'verdict' | 'one-trigger' | 'key' | 'time' | 'workspace' | 'own-runs' | 'markup'
  ok: boolean
  detail?: string
}

/**
 * How the chain ended, as served to the action: by its last run, in the order the simulator made them (the
 * triggered run, then its re-runs). A re-run is made inside a read of its parent and shown in that same read, so
 * every run here was seen by the action; one that never finished leaves the chain unfinished. The one place that
 * decides "finished, and with what".
 */
export function chainOutcome(runs: readonly ServedRun[]): { finished: boolean; passed: boolean } {
  const run = runs.at(-1)
  if (run?.finishedServedAt === undefined) return { finished: false, passed: false }
  // A stop before the finished frame was served makes the run STOPPED, whatever its script said.
  const stoppedFirst = run.stoppedAt !== undefined && run.stoppedAt <= run.finishedServedAt
  return { finished: true, passed: run.finalResult === 'SUCCESS' && !stoppedFirst }
}

// timeout-minutes bounds the whole step: past it, the stop, the summary, the comment and the exit take at most the
// margin stated next to the input (README, action.yml; src/step-bounds.ts PAST_TIMEOUT_MS, which soak.test.ts
// holds equal to this).
export const TIME_SLACK_MS = 5_000

/** The spellings of the key a careless path would leave: as is, percent-encoded, JSON-escaped, markdown-escaped. */
export function keySpellings(key: string): string[] {
  const markdown = key
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
  return [...new Set([key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1), markdown])]
}

export function checkInvariants(record: CaseRecord): InvariantCheck[] {
  return [
    verdict(record),
    oneTrigger(record),
    keyNowhere(record),
    endsInTime(record),
    nothingOutside(record),
    ownRuns(record),
    markupFromServer(record)
  ]
}

function verdict(record: CaseRecord): InvariantCheck {
  if (record.exitCode !== 0) return { invariant: 'verdict', ok: true }
  const outcome = chainOutcome(record.runs)
  const ok = outcome.finished && (outcome.passed || !record.failOnFailure)
  return {
    invariant: 'verdict',
    ok,
    detail: ok
      ? undefined
      : `exit 0, but the run ${outcome.finished ? 'did not pass' : 'never finished'} (fail-on-failure: ${record.failOnFailure})`
  }
}

function oneTrigger(record: CaseRecord): InvariantCheck {
  for (let i = 0; i < record.triggerRequests - 1; i++) {
    const fault = record.triggerFaults[i]
    // The framework's 404 for a path: no such path, nothing started; the other dialect's path may be asked, never
    // this one again.
    const path = record.triggerPaths[i]
    const proven =
      fault?.type === 'status'
        ? namesMissingPath(fault, path)
        : (fault === undefined || fault.type === 'delay') && (record.missingPaths ?? []).includes(path)
    const notFoundHere =
      proven &&
      !record.triggerPaths.slice(i + 1).includes(path) &&
      record.triggerPaths.filter(other => other !== path).length <= 1
    if (!notFoundHere) {
      return {
        invariant: 'one-trigger',
        ok: false,
        detail: `trigger ${i + 2} of ${record.triggerRequests} sent after trigger ${i + 1} got ${describeFault(fault)}`
      }
    }
  }
  return { invariant: 'one-trigger', ok: true }
}

function keyNowhere(record: CaseRecord): InvariantCheck {
  const secrets = [
    { name: 'the key', value: record.apiKey },
    ...(record.githubToken === undefined ? [] : [{ name: 'the GitHub token', value: record.githubToken }])
  ]
  const maskLines = new Set(secrets.map(secret => `::add-mask::${secret.value}`))
  const log = record.stdout
    .split('\n')
    .filter(line => !maskLines.has(line))
    .join('\n')
  const places: Record<string, string> = {
    log,
    stderr: record.stderr,
    summary: record.summary,
    outputs: JSON.stringify(record.outputs),
    ...Object.fromEntries(Object.entries(record.workspaceFiles).map(([file, text]) => [`file ${file}`, text])),
    'requests to the redirect target': record.trapAuthorizations.join('\n'),
    'pull-request comment': record.commentBodies.join('\n')
  }
  for (const secret of secrets) {
    for (const spelling of keySpellings(secret.value)) {
      for (const [place, text] of Object.entries(places)) {
        if (text.includes(spelling))
          return { invariant: 'key', ok: false, detail: `${secret.name} (${spelling}) in the ${place}` }
      }
    }
  }
  return { invariant: 'key', ok: true }
}

function endsInTime(record: CaseRecord): InvariantCheck {
  const limit = record.timeoutMs + TIME_SLACK_MS
  if (record.signal === 'SIGKILL') {
    return { invariant: 'time', ok: false, detail: `still running after ${Math.round(record.elapsedMs)} ms: killed` }
  }
  const ok = record.elapsedMs <= limit
  return {
    invariant: 'time',
    ok,
    detail: ok
      ? undefined
      : `ended after ${Math.round(record.elapsedMs)} ms, over timeout-minutes + ${TIME_SLACK_MS} ms`
  }
}

function nothingOutside(record: CaseRecord): InvariantCheck {
  const before = JSON.stringify(record.outsideBefore)
  const after = JSON.stringify(record.outsideAfter)
  return {
    invariant: 'workspace',
    ok: before === after,
    detail: before === after ? undefined : `outside the workspace: ${before} became ${after}`
  }
}

/** Spring's 404 body for `path` (docs §7): the one answer that proves the path does not exist. */
function namesMissingPath(fault: Extract<Fault, { type: 'status' }>, path: string): boolean {
  if (fault.status !== 404) return false
  try {
    const body = JSON.parse(fault.body ?? '') as { status?: unknown; path?: unknown }
    return body.status === 404 && typeof body.path === 'string' && body.path.endsWith(path)
  } catch {
    return false
  }
}

function describeFault(fault: Fault | undefined): string {
  if (fault === undefined) return 'a normal answer'
  return fault.type === 'status' ? `HTTP ${fault.status}` : fault.type
}
