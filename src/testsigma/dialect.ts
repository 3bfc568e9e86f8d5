/**
 * The two dialects of Testsigma's REST API (docs/testsigma-api.md §2, §5, §7): the cloud's (app.testsigma.com and
 * hosted servers) and the self-hosted open-source server's. They differ in the runs' path, in the trigger's body
 * and in the inputs the trigger can carry. Pure: paths, bodies and the recognition of "this path does not exist
 * here"; the requests themselves are the client's.
 */

export type ApiDialect = 'cloud' | 'open-source'

/** `api-dialect`: a dialect, or `auto` (the cloud's, then the open-source server's if that path is missing). */
export type DialectChoice = 'auto' | ApiDialect

export const DIALECT_CHOICES: readonly DialectChoice[] = ['auto', 'cloud', 'open-source']

/** What one step asks the trigger to carry, in the action's terms (the dialect names the fields). */
export interface TriggerRequest {
  testPlanId: string
  buildNo?: string
  environmentId?: number
  uploadVersions?: Record<string, number>
  runtimeData?: Record<string, string>
}

interface DialectSpec {
  /** The runs' collection: POST triggers, `/{id}` reads (GET) and stops (PUT). */
  runsPath: string
  /** How people call the server that speaks it, for messages. */
  serverName: string
  /** The trigger's field for the test plan id. */
  planIdField: 'executionId' | 'testPlanId'
  /** Trigger fields the dialect has no place for, by the input that sets them (docs §2.2). */
  cannotCarry: Array<{ input: string; field: 'environmentId' | 'uploadVersions' }>
}

const DIALECTS: Record<ApiDialect, DialectSpec> = {
  // D-plans, D-restci: POST /api/v1/execution_results {"executionId": …}
  cloud: {
    runsPath: '/api/v1/execution_results',
    serverName: "Testsigma's cloud API",
    planIdField: 'executionId',
    cannotCarry: []
  },
  // O-ctl, O-req: POST /api/v1/test_plan_results {"testPlanId": …}; uploadVersions since v1.3.0 (keyed by test
  // device id, docs §2.2), no environmentId.
  'open-source': {
    runsPath: '/api/v1/test_plan_results',
    serverName: 'the self-hosted open-source Testsigma server',
    planIdField: 'testPlanId',
    cannotCarry: [{ input: 'environment-id', field: 'environmentId' }]
  }
}

export function runsPath(dialect: ApiDialect): string {
  return DIALECTS[dialect].runsPath
}

export function runPath(dialect: ApiDialect, runId: string): string {
  return `${DIALECTS[dialect].runsPath}/${runId}`
}

export function serverName(dialect: ApiDialect): string {
  return DIALECTS[dialect].serverName
}

/** The trigger's JSON body in the dialect's own words; the plan id goes as a number, as Testsigma's scripts send it. */
export function triggerBody(dialect: ApiDialect, request: TriggerRequest): Record<string, unknown> {
  const spec = DIALECTS[dialect]
  const body: Record<string, unknown> = { [spec.planIdField]: Number(request.testPlanId) }
  if (request.buildNo !== undefined) body.buildNo = request.buildNo
  if (dialect === 'cloud' && request.environmentId !== undefined) body.environmentId = request.environmentId
  if (request.uploadVersions !== undefined) body.uploadVersions = request.uploadVersions
  if (request.runtimeData !== undefined) body.runtimeData = request.runtimeData
  return body
}

/**
 * The cloud's re-run of the tests that did not pass in one run (D-rerun, "Trigger Rerun using REST API"): a POST to
 * the runs' collection that names the plan, the run and the type. Only the cloud's: the open-source server's public
 * trigger reads none of these fields and would start the whole plan (O-ctl, §4.7).
 */
export function reRunBody(planId: string, runId: string): Record<string, unknown> {
  return {
    executionId: Number(planId),
    executionResultId: Number(runId),
    isReRun: true,
    reRunType: 'ONLY_FAILED_TESTS'
  }
}

/**
 * The stop request's body. `canStopAll` defaults to true on the cloud, which stops **every** execution (D-rerun):
 * a cancelled job must stop only its own run. The open-source server ignores the field (docs §5), so it is sent
 * there too, in case a later version honours it with the same default.
 */
export function stopBody(): { result: 'STOPPED'; canStopAll: false } {
  return { result: 'STOPPED', canStopAll: false }
}

/** The inputs that are set but that the dialect cannot carry, by input name (empty when all fit). */
export function inputsNotCarried(dialect: ApiDialect, request: TriggerRequest): string[] {
  return DIALECTS[dialect].cannotCarry.filter(({ field }) => request[field] !== undefined).map(({ input }) => input)
}

/**
 * Whether a 404 proves "this server has no such path": the request reached no handler, so it certainly started
 * nothing, and a server of the other dialect may have the path. Only the framework's own answer for an unknown path
 * proves it (docs §2.3, §7): Spring Boot's default error body `{"status":404,"error":"Not Found","path":…}` naming
 * the path asked for, or the open-source server's `"No handler found for <METHOD> <url>"` (O-geh,
 * `handleNoHandlerFoundException`) naming it. An empty or HTML 404 proves nothing: a proxy or a server in front may
 * answer so after it forwarded the trigger, which may have started a run.
 */
export function isMissingPath(statusCode: number, body: string, path: string): boolean {
  if (statusCode !== 404) return false
  const json = jsonObject(body)
  if (json === undefined) return false
  const namesPath = (value: unknown): boolean =>
    typeof value === 'string' && value.length <= 2048 && stripQuery(value).endsWith(path)
  if ((json.status === 404 || json.status === '404') && namesPath(json.path) && !isTestsigmaError(json)) return true
  const noHandler = typeof json.error === 'string' ? /^No handler found for [A-Z]+ (\S+)$/.exec(json.error) : null
  return noHandler !== null && namesPath(noHandler[1])
}

/**
 * Whether a 404 is not Testsigma's own answer about a resource (its error DTO: `code`, `fieldErrors`,
 * `objectErrors`), but a framework's path-not-found, or an empty or HTML page from a server or proxy in front.
 */
export function isStray404(statusCode: number, body: string): boolean {
  if (statusCode !== 404) return false
  const text = body.trim()
  if (text === '' || text.startsWith('<')) return true
  const json = jsonObject(text)
  if (json === undefined || isTestsigmaError(json)) return false
  return typeof json.path === 'string' && (json.status === 404 || json.status === '404')
}

/** Testsigma's own error DTO (O-err): it answers an unknown id, never a path. */
function isTestsigmaError(json: Record<string, unknown>): boolean {
  return 'fieldErrors' in json || 'objectErrors' in json || 'code' in json
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)
    ? undefined
    : (parsed as Record<string, unknown>)
}

function stripQuery(url: string): string {
  const at = url.search(/[?#]/)
  return at === -1 ? url : url.slice(0, at)
}
