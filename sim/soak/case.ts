/**
 * The fault soak's cases: what the simulator does on each route (a schedule of faults served in order,
 * then normal answers), the test plan's script, the step's inputs, a junit-report path that may be set up
 * as a trap, and signals at random times. Drawn by fast-check from a seed, so any case replays exactly.
 *
 * Re-run chains: the `re-runs` shape fails its first run and lets the simulator re-run it (after 0 to 6 reads,
 * so sometimes past the action's grace period), with the re-run passing or failing and one of the simulator's
 * `consolidated*` timelines; `chainOutcome` in invariants.ts is the one place that reads how the chain ended.
 *
 * Pull-request comments: about one case in four runs on a `pull_request` event with `pr-comment: true` against
 * the GitHub fake, which may refuse requests (403, 404, 5xx) or never answer one. The comment comes after the
 * verdict is known, so none of that may change the verdict, hold the step past its time, or carry the key.
 */
import fc from 'fast-check'
import type { Fault } from '../faults.js'
import type { PlanScript, RunFrame, Route } from '../simulator.js'
import { lostTriggerFault, otherRunsArbitrary, OtherRunsSetup } from './other-runs.js'
import { hostileArbitrary, HostileSetup } from './hostile-case.js'
import { resultsArbitrary, ResultsSetup } from './results-case.js'

export const SOAK_PLAN_ID = '2048'

/** How the test plan's run goes when the server answers normally. */
export type PlanShape = 'passes' | 'fails' | 'never-finishes' | 'counts-go-backwards' | 're-runs'

/** The re-run of a `re-runs` plan: how it ends, how many reads of the completed first run come before it. */
export interface ReRunSetup {
  result: 'SUCCESS' | 'FAILURE'
  appearAfter: number
  consolidated: 'chain' | 'pending' | 'own'
}

/** Where the JUnit report is asked for, and what the workspace holds there before the step starts. */
export type JunitSetup =
  | { kind: 'none' }
  | { kind: 'plain' }
  /** `reports` is a link to a folder outside the workspace. */
  | { kind: 'linked-folder' }
  /** `reports/ts.xml` is a link to a file outside the workspace. */
  | { kind: 'linked-file' }
  /** `reports` is a link to a folder that does not exist (outside the workspace). */
  | { kind: 'dangling' }

/** A step with `pr-comment: true` on a pull request: what the GitHub fake does to its requests, in order. */
export interface CommentSetup {
  /** Statuses for the first requests (listing, `GET /user`, creating), then normal answers. */
  refusals: number[]
  /** One request after the refusals is never answered. */
  hang: boolean
}

export interface SignalAt {
  signal: 'SIGINT' | 'SIGTERM'
  /** After the spawn. */
  atMs: number
  /** A second signal this long after the first (the runner's SIGTERM after SIGINT). */
  againAfterMs?: number
}

export interface SoakCase {
  shape: PlanShape
  /** Result of the run's last frame when it finishes. */
  finalResult: string
  /** Status reads before the run finishes (frames). */
  reads: number
  /** Server text that reaches the log through the plan's name: a workflow command, the key, or plain. */
  hostileName: 'plain' | 'commands' | 'key'
  faults: Record<Route, Fault[]>
  failOnFailure: boolean
  stopOnCancel: boolean
  timeoutMinutes: string
  junit: JunitSetup
  signal?: SignalAt
  comment?: CommentSetup
  /** Used by the `re-runs` shape. */
  reRun: ReRunSetup
  /** Answers about other runs, the server (cloud or open source) and the build number (sim/soak/other-runs.ts). */
  otherRuns: OtherRunsSetup
  /** Hostile server text: a report that held the step, markup in a field (hostile-case.ts). */
  hostile?: HostileSetup
  /**
   * Testsigma's JSON results (issue 18): which endpoints the server has, and the faults on them. Absent: both, clean.
   * Whatever they do, the verdict is the run's, on time; the JUnit report stands in when they are not to be had.
   */
  results?: ResultsSetup
}

/** Placeholders the runner of a case replaces: the API key, and the trap server's address. */
export const KEY_PLACEHOLDER = '{{API_KEY}}'
export const TRAP_PLACEHOLDER = '{{TRAP_URL}}'

const COMMANDS = '\n::set-output name=result::SUCCESS\n::add-mask::x\r::stop-commands::soak\n##[error]forged'

const bodyText = fc.constantFrom(
  '',
  '{"error":"Internal Server Error","code":null}',
  '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
  `Invalid token: Bearer ${KEY_PLACEHOLDER}`,
  `{"error":"Unauthorized: ${KEY_PLACEHOLDER}"}`,
  `{"message":"${COMMANDS.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"}`,
  'plain text error',
  // Quadratic for naive tag stripping.
  '<'.repeat(256 * 1024)
)

const statusFault: fc.Arbitrary<Fault> = fc
  .record({
    status: fc.constantFrom(200, 204, 304, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504),
    body: fc.option(bodyText, { nil: undefined }),
    retryAfter: fc.option(fc.constantFrom('0', '1', '2'), { nil: undefined })
  })
  .map(({ status, body, retryAfter }) => ({
    type: 'status' as const,
    status,
    body,
    contentType: body?.startsWith('{') === true ? 'application/json' : 'text/html',
    headers: retryAfter === undefined ? undefined : { 'retry-after': retryAfter }
  }))

export const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: statusFault, weight: 5 },
  { arbitrary: fc.constant<Fault>({ type: 'drop' }), weight: 1 },
  { arbitrary: fc.constant<Fault>({ type: 'drop-mid-body' }), weight: 1 },
  { arbitrary: fc.constant<Fault>({ type: 'reset-after-headers' }), weight: 1 },
  { arbitrary: fc.constant<Fault>({ type: 'hang' }), weight: 1 },
  { arbitrary: fc.constant<Fault>({ type: 'non-json' }), weight: 1 },
  { arbitrary: fc.constant<Fault>({ type: 'malformed-json' }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant('redirect' as const),
      status: fc.constantFrom(301, 302, 303, 307, 308),
      location: fc.constantFrom(`${TRAP_PLACEHOLDER}/api/v1/execution_results`, '/login', 'https://sso.invalid/'),
      body: fc.constantFrom('none' as const, 'stall' as const, 'cut' as const)
    }),
    weight: 2
  },
  {
    arbitrary: fc.record({
      type: fc.constant('slow-body' as const),
      chunkDelayMs: fc.integer({ min: 20, max: 600 }),
      chunks: fc.integer({ min: 2, max: 12 })
    }),
    weight: 1
  },
  {
    arbitrary: fc.record({
      type: fc.constant('oversized' as const),
      bytes: fc.integer({ min: 2, max: 70 }).map(mib => mib * 1024 * 1024),
      shape: fc.constantFrom('nested' as const, 'angles' as const, 'text' as const),
      declareLength: fc.boolean()
    }),
    weight: 1
  },
  { arbitrary: fc.record({ type: fc.constant('delay' as const), ms: fc.integer({ min: 0, max: 1500 }) }), weight: 2 }
)

const schedule = (maxLength: number): fc.Arbitrary<Fault[]> => fc.array(faultArbitrary, { maxLength })

/** A trigger refused for now (429, 503: not sent again, the step says a run may have started), or a slow answer. */
const harmlessTriggerFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    type: fc.constant('status' as const),
    status: fc.constantFrom(429, 503),
    headers: fc.constantFrom(undefined, { 'retry-after': '1' })
  }),
  fc.record({ type: fc.constant('delay' as const), ms: fc.integer({ min: 0, max: 1500 }) })
)

/**
 * Most triggers must get through, or the soak would mostly test the first request: a clean trigger, one
 * that is refused for now or answered slowly, or any schedule at all, in a ratio of 4 to 2 to 2.
 */
const triggerSchedule: fc.Arbitrary<Fault[]> = fc.oneof(
  { arbitrary: fc.constant<Fault[]>([]), weight: 4 },
  { arbitrary: fc.array(harmlessTriggerFault, { minLength: 1, maxLength: 2 }), weight: 2 },
  { arbitrary: schedule(2), weight: 2 },
  // The run started, and a proxy lost the answer (sim/soak/other-runs.ts).
  { arbitrary: fc.tuple(lostTriggerFault), weight: 1 }
)
export const soakCaseArbitrary: fc.Arbitrary<SoakCase> = fc.record(
  {
    shape: fc.constantFrom<PlanShape>('passes', 'passes', 'fails', 'never-finishes', 'counts-go-backwards', 're-runs'),
    finalResult: fc.constantFrom('SUCCESS', 'SUCCESS', 'FAILURE', 'ABORTED', 'STOPPED', 'NOT_EXECUTED'),
    reads: fc.integer({ min: 1, max: 3 }),
    hostileName: fc.constantFrom('plain' as const, 'commands' as const, 'key' as const),
    faults: fc.record({
      trigger: triggerSchedule,
      status: schedule(3),
      stop: schedule(1),
      junit: schedule(2)
    }),
    failOnFailure: fc.boolean(),
    stopOnCancel: fc.boolean(),
    reRun: fc.record({
      result: fc.constantFrom('SUCCESS' as const, 'FAILURE' as const),
      appearAfter: fc.integer({ min: 0, max: 6 }),
      consolidated: fc.constantFrom('chain' as const, 'pending' as const, 'own' as const)
    }),
    timeoutMinutes: fc.constantFrom('0.05', '0.07', '0.1'),
    otherRuns: otherRunsArbitrary,
    // A trap in about one case in five: each is refused before anything is sent, so it ends the case early.
    junit: fc.oneof(
      { arbitrary: fc.constant<JunitSetup>({ kind: 'none' }), weight: 6 },
      { arbitrary: fc.constant<JunitSetup>({ kind: 'plain' }), weight: 6 },
      { arbitrary: fc.constant<JunitSetup>({ kind: 'linked-folder' }), weight: 1 },
      { arbitrary: fc.constant<JunitSetup>({ kind: 'linked-file' }), weight: 1 },
      { arbitrary: fc.constant<JunitSetup>({ kind: 'dangling' }), weight: 1 }
    ),
    comment: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      {
        arbitrary: fc.record({
          refusals: fc.array(fc.constantFrom(401, 403, 404, 422, 500, 502, 503), { maxLength: 2 }),
          hang: fc.boolean()
        }),
        weight: 1
      }
    ),
    // One case in four gets a signal (before start-up ends, node's default handling kills the process).
    signal: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      {
        arbitrary: fc.record(
          {
            signal: fc.constantFrom('SIGINT' as const, 'SIGTERM' as const),
            atMs: fc.integer({ min: 0, max: 7000 }),
            againAfterMs: fc.integer({ min: 0, max: 3000 })
          },
          { requiredKeys: ['signal', 'atMs'] }
        ),
        weight: 1
      }
    ),
    hostile: hostileArbitrary,
    results: resultsArbitrary(faultArbitrary)
  },
  {
    requiredKeys: [
      'shape',
      'finalResult',
      'reads',
      'hostileName',
      'faults',
      'failOnFailure',
      'stopOnCancel',
      'timeoutMinutes',
      'junit',
      'reRun',
      'otherRuns'
    ]
  }
)

/** The plan the trigger starts, as the simulator scripts it (status reads move it on). */
export function planScript(soakCase: SoakCase, apiKey: string): PlanScript {
  const name = {
    plain: 'Soak plan',
    commands: `Soak ${COMMANDS}`,
    key: `Soak ${apiKey}`
  }[soakCase.hostileName]
  const total = 5
  const running = (passed: number): RunFrame => ({
    status: 'STATUS_IN_PROGRESS',
    result: 'QUEUED',
    counts: { total, passed }
  })
  const finalResult = soakCase.shape === 'fails' ? 'FAILURE' : soakCase.finalResult
  const finished: RunFrame = {
    status: 'STATUS_COMPLETED',
    result: soakCase.shape === 'passes' ? 'SUCCESS' : finalResult,
    counts:
      (soakCase.shape === 'passes' ? 'SUCCESS' : finalResult) === 'SUCCESS'
        ? { total, passed: total, failed: 0 }
        : { total, passed: 2, failed: 3 }
  }
  let frames: RunFrame[]
  switch (soakCase.shape) {
    case 're-runs': {
      // The first run fails; the plan re-runs the failed tests in a new run nested in its answer.
      const failed: RunFrame = {
        status: 'STATUS_COMPLETED',
        result: 'FAILURE',
        counts: { total, passed: 2, failed: 3 }
      }
      const reRunPassed = soakCase.reRun.result === 'SUCCESS'
      return {
        id: SOAK_PLAN_ID,
        name,
        durationMs: 61_000,
        reRunType: 'ONLY_FAILED_TESTS',
        consolidated: soakCase.reRun.consolidated,
        frames: [running(1), failed],
        reRuns: [
          {
            appearAfter: soakCase.reRun.appearAfter,
            durationMs: 20_000,
            frames: [
              { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total: 3, passed: 0 } },
              {
                status: 'STATUS_COMPLETED',
                result: soakCase.reRun.result,
                counts: reRunPassed ? { total: 3, passed: 3, failed: 0 } : { total: 3, passed: 1, failed: 2 }
              }
            ]
          }
        ]
      }
    }
    case 'never-finishes':
      frames = [running(1)]
      break
    case 'counts-go-backwards':
      // A server that re-counts: fewer passed, then a total that shrinks, then the verdict.
      frames = [running(3), running(1), { ...running(0), counts: { total: 2, passed: 0 } }, finished]
      break
    default:
      frames = [...Array.from({ length: soakCase.reads - 1 }, (_, i) => running(i + 1)), finished]
  }
  return { id: SOAK_PLAN_ID, name, frames, durationMs: 61_000 }
}

/** A fault with the placeholders filled in: the API key, the trap server's address. */
export function concreteFault(fault: Fault, apiKey: string, trapUrl: string): Fault {
  const fill = (text: string): string => text.replaceAll(KEY_PLACEHOLDER, apiKey).replaceAll(TRAP_PLACEHOLDER, trapUrl)
  if (fault.type === 'status' && fault.body !== undefined) return { ...fault, body: fill(fault.body) }
  if (fault.type === 'redirect' && fault.location !== undefined) return { ...fault, location: fill(fault.location) }
  return fault
}

/** The case's faults with the placeholders filled in. */
export function concreteFaults(soakCase: SoakCase, apiKey: string, trapUrl: string): Record<Route, Fault[]> {
  const concrete = (fault: Fault): Fault => concreteFault(fault, apiKey, trapUrl)
  return {
    trigger: soakCase.faults.trigger.map(concrete),
    status: soakCase.faults.status.map(concrete),
    stop: soakCase.faults.stop.map(concrete),
    junit: soakCase.faults.junit.map(concrete)
  }
}
