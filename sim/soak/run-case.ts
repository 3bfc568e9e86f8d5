/**
 * Runs one soak case: a fresh simulator with the case's plan and fault schedule, a workspace set up as the
 * case says (junit-report traps pointing outside it), dist/index.js started as the runner starts it, the
 * case's signals sent on time, and a watchdog that kills the process if it outlives every bound. Returns
 * what the invariants read.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GitHubFake, pullRequestRunEnv } from '../github-fake.js'
import { closeServer, listenOnLoopback } from '../loopback-server.js'
import { startBundle } from '../run-bundle.js'
import { TestsigmaSimulator } from '../simulator.js'
import type { Route } from '../simulator.js'
import { concreteFault, concreteFaults, planScript, SOAK_PLAN_ID, SoakCase } from './case.js'
import { resultsOptions } from './results-case.js'
import { hostileResults, withHostileFaults, withHostility } from './hostile-case.js'
import type { CaseRecord } from './invariants.js'
import { TIME_SLACK_MS } from './invariants.js'
import { hostileFaults, nestedReRunIds, triggerAnswerIds } from './other-runs.js'

// Characters that every encoding changes, so a copy in any spelling is told from the masked original.
export const SOAK_API_KEY = 'tsk_soak*Key+/=9'
// The job's token for the pull-request comment: a secret too, masked and kept out of everything else.
export const SOAK_GITHUB_TOKEN = 'ghs_soak*Token+/=7'
const SOAK_REPOSITORY = 'octo/shop'
const SOAK_PULL_REQUEST = 42
// The watchdog: well past the invariant's bound, so a slow machine is not mistaken for a hang.
const WATCHDOG_SLACK_MS = TIME_SLACK_MS + 20_000

/** Runs `soakCase` against `bundle` (default: the committed dist/index.js). */
export async function runCase(soakCase: SoakCase, bundle?: string): Promise<CaseRecord> {
  const root = await mkdtemp(path.join(tmpdir(), 'testsigma-soak-'))
  const outside = path.join(root, 'outside')
  await mkdir(outside)
  await writeFile(path.join(outside, 'victim.xml'), 'precious')

  const trapAuthorizations: string[] = []
  // A redirect's Location: records what reached it (the key must not), then answers.
  const trap = await listenOnLoopback((request: IncomingMessage, response) => {
    trapAuthorizations.push(request.headers.authorization ?? '')
    response.end('{}')
    return Promise.resolve()
  })
  const { otherRuns } = soakCase
  const plan = withHostility(planScript(soakCase, SOAK_API_KEY), soakCase.hostile)
  const sim = await TestsigmaSimulator.start({
    apiKey: SOAK_API_KEY,
    plans: [plan],
    dialect: otherRuns.server,
    results: hostileResults(soakCase.hostile) ?? resultsOptions(soakCase.results)
  })
  const faults = withHostileFaults(concreteFaults(soakCase, SOAK_API_KEY, trap.url), soakCase.hostile)
  for (const route of Object.keys(faults) as Route[]) {
    for (const fault of faults[route]) sim.injectFault(route, fault)
  }
  for (const route of ['cases', 'steps'] as const) {
    for (const fault of soakCase.results?.faults[route] ?? [])
      sim.injectFault(route, concreteFault(fault, SOAK_API_KEY, trap.url))
  }
  // After the case's own status faults: answers about other runs (sim/soak/other-runs.ts).
  for (const fault of hostileFaults(otherRuns, SOAK_PLAN_ID)) sim.injectFault('status', fault)
  const timeoutMs = Number(soakCase.timeoutMinutes) * 60_000
  const inputs: Record<string, string> = {
    'api-key': SOAK_API_KEY,
    'test-plan-id': SOAK_PLAN_ID,
    'base-url': sim.url,
    'poll-interval-seconds': '1',
    'timeout-minutes': soakCase.timeoutMinutes,
    'fail-on-failure': String(soakCase.failOnFailure),
    'stop-on-cancel': String(soakCase.stopOnCancel)
  }
  if (soakCase.junit.kind !== 'none') inputs['junit-report'] = 'reports/ts.xml'
  if (otherRuns.server === 'open-source') inputs['api-dialect'] = otherRuns.apiDialect
  if (otherRuns.buildNumber !== undefined) inputs['build-number'] = otherRuns.buildNumber
  let github: GitHubFake | undefined
  let env: Record<string, string> = {}
  if (soakCase.comment !== undefined) {
    github = await GitHubFake.start({ token: SOAK_GITHUB_TOKEN })
    for (const status of soakCase.comment.refusals) github.refuse(status, { message: `Soak refusal ${status}` })
    if (soakCase.comment.hang) github.hang()
    inputs['pr-comment'] = 'true'
    inputs['github-token'] = SOAK_GITHUB_TOKEN
    env = pullRequestRunEnv({
      number: SOAK_PULL_REQUEST,
      headSha: '0123456789abcdef0123456789abcdef01234567',
      repository: SOAK_REPOSITORY,
      apiUrl: github.apiUrl
    })
  }

  try {
    const outsideBefore = await snapshot(outside)
    const started = await startBundle({
      bundle,
      inputs,
      env,
      killAfterMs: timeoutMs + WATCHDOG_SLACK_MS,
      prepareWorkspace: workspace => prepareJunit(soakCase, workspace, outside)
    })
    const timers: NodeJS.Timeout[] = []
    const { signal } = soakCase
    if (signal !== undefined) {
      timers.push(
        setTimeout(() => {
          started.child.kill(signal.signal)
          if (signal.againAfterMs !== undefined) {
            timers.push(setTimeout(() => started.child.kill('SIGTERM'), signal.againAfterMs))
          }
        }, signal.atMs)
      )
    }
    const result = await started.result
    for (const timer of timers) clearTimeout(timer)
    const runs = [...sim.runs.values()].map(run => ({
      finishedServedAt: run.finishedServedAt,
      stoppedAt: run.stoppedAt,
      // Each run's own script: a re-run's frames are its own, not the plan's.
      finalResult: run.frames.at(-1)?.result ?? ''
    }))
    const workspaceFiles = await snapshot(result.workspace)
    await rm(result.workspace, { recursive: true, force: true })
    const commentBodies = (github?.requests ?? []).flatMap(request => {
      const body = (request.json as { body?: unknown } | undefined)?.body
      return typeof body === 'string' ? [body] : []
    })
    return {
      baseUrl: sim.url,
      apiKey: SOAK_API_KEY,
      githubToken: github === undefined ? undefined : SOAK_GITHUB_TOKEN,
      commentBodies,
      failOnFailure: soakCase.failOnFailure,
      timeoutMs,
      exitCode: result.exitCode,
      signal: result.signal,
      elapsedMs: result.elapsedMs,
      stdout: result.stdout,
      stderr: result.stderr,
      summary: result.summary,
      outputs: result.outputs,
      workspaceFiles,
      outsideBefore,
      outsideAfter: await snapshot(outside),
      triggerFaults: faults.trigger,
      triggerRequests: sim.requestsTo('trigger').length,
      triggerPaths: sim.requestsTo('trigger').map(request => request.path),
      missingPaths: [otherRuns.server === 'cloud' ? '/api/v1/test_plan_results' : '/api/v1/execution_results'],
      runs,
      trapAuthorizations,
      stopPaths: sim.requestsTo('stop').map(request => request.path),
      madeRunIds: [...sim.runs.keys()].map(String),
      nestedReRunIds: [
        ...nestedReRunIds(otherRuns),
        ...triggerAnswerIds(faults.trigger.slice(0, sim.requestsTo('trigger').length))
      ]
    }
  } finally {
    await github?.close()
    await sim.close()
    await closeServer(trap.server)
    await rm(root, { recursive: true, force: true })
  }
}

async function prepareJunit(soakCase: SoakCase, workspace: string, outside: string): Promise<void> {
  const reports = path.join(workspace, 'reports')
  switch (soakCase.junit.kind) {
    case 'none':
    case 'plain':
      return
    case 'linked-folder':
      return symlink(outside, reports)
    case 'linked-file':
      await mkdir(reports)
      return symlink(path.join(outside, 'victim.xml'), path.join(reports, 'ts.xml'))
    case 'dangling':
      return symlink(path.join(outside, 'missing'), reports)
  }
}

/** Every file below `folder` (links not followed), by relative path, as text. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    files[path.relative(folder, file)] = await readFile(file, 'utf8')
  }
  return files
}
