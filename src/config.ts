/**
 * The action's inputs → one validated `Config`, or the first `InputError` found. The trigger's own fields
 * (`test-plan-id`, `environment-id`, `build-number`, `upload-versions`, `runtime-data`) and the wait's settings are
 * parsed here; each feature's inputs beside the feature, with the shared rules of `inputs.ts`. Pure.
 */
import { optionalGithubToken, parseGithubToken } from './github/comment-inputs.js'
import { InputError, InputReader, parseBoolean, parsePositiveNumber, quote, requireExactId } from './inputs.js'
import { parseTestPlanIds } from './plan-ids.js'
import { parseJunitPath } from './report/report-inputs.js'
import type { DialectChoice } from './testsigma/dialect.js'
import { parseApiDialect, parseBaseUrl } from './testsigma/server-inputs.js'
import { AppConfig, appDialect, parseAppInputs } from './upload/app-inputs.js'
import type { ReportTarget } from './workspace.js'

/** Everything one step needs, validated. Built from the action's inputs by `parseConfig`. */
export interface Config {
  apiKey: string
  /** Digits only; sent as `executionId`. The first of `testPlanIds`. */
  testPlanId: string
  /**
   * Every plan `test-plan-id` names, in its order (`plan-ids.ts`), when it names several; absent means
   * `[testPlanId]`, one plan, as before.
   */
  testPlanIds?: string[]
  /** `{ device id: upload version id }`, sent as `uploadVersions`. */
  uploadVersions?: Record<string, number>
  buildNumber?: string
  environmentId?: number
  runtimeData?: Record<string, string>
  /** http(s) URL without a trailing slash. */
  baseUrl: string
  /**
   * Which API `baseUrl` speaks (`api-dialect`). `parseConfig` always sets it; optional so a `Config` written by
   * hand (tests) means `auto`.
   */
  apiDialect?: DialectChoice
  wait: boolean
  pollIntervalMs: number
  timeoutMs: number
  failOnFailure: boolean
  /** Where to write the JUnit XML: `path` as the user wrote it, `absolutePath` inside the workspace. */
  junitReport?: ReportTarget
  stopOnCancel: boolean
  /**
   * Write (and keep updating) a comment with the result on the pull request the workflow runs for.
   * `parseConfig` always sets it; optional so a `Config` written by hand (tests) means no comment.
   */
  prComment?: boolean
  /** The token for the comment (`github-token`); absent when empty. */
  githubToken?: string
  /** What was accepted but changed (a poll interval raised to the floor), for the log; absent when none. */
  warnings?: string[]
  /**
   * On a later attempt of the workflow run ("Re-run failed jobs"), re-run only the failed tests of the previous
   * attempt's run (`rerun-failed-tests`). `parseConfig` always sets it; optional so a `Config` written by hand means no.
   */
  rerunFailedTests?: boolean
  /** The app build to upload before the trigger (`app-file`, `app-upload`, `app-devices`); absent when not asked. */
  app?: AppConfig
}

// setTimeout holds at most 2^31-1 ms; these caps keep every wait inside that and inside any sane job.
const MAX_POLL_INTERVAL_SECONDS = 3600
const MAX_TIMEOUT_MINUTES = 14 * 24 * 60
// More often than this only loads Testsigma: a run takes minutes, and the verdict comes one interval after it.
const MIN_POLL_INTERVAL_SECONDS = 1

/**
 * Turns the action's inputs into a `Config`, or throws the first `InputError` found.
 * `workspace` is where a relative `junit-report` or `app-file` path is resolved (GITHUB_WORKSPACE); `commitSha`
 * (GITHUB_SHA) names an uploaded version when `build-number` is empty.
 */
export function parseConfig(read: InputReader, workspace: string, commitSha?: string): Config {
  const input = (name: string): string => read(name).trim()

  const apiKey = input('api-key')
  if (apiKey === '') {
    throw new InputError('api-key', 'is required and was empty', '${{ secrets.TESTSIGMA_API_KEY }}')
  }
  // eslint-disable-next-line no-control-regex -- finding control characters in the key is this check's purpose
  if (/[\s\x00-\x1f\x7f]/.test(apiKey)) {
    // The key itself is never quoted back: it is a secret even when malformed.
    throw new InputError(
      'api-key',
      'contains white space or control characters, so it cannot be a Testsigma API key (check the secret for a stray line break)',
      '${{ secrets.TESTSIGMA_API_KEY }}'
    )
  }

  const testPlanIds = parseTestPlanIds(input('test-plan-id'))
  const testPlanId = testPlanIds[0]

  const environmentText = input('environment-id')
  if (environmentText !== '' && !/^\d+$/.test(environmentText)) {
    throw new InputError('environment-id', `must be a numeric environment id, got ${quote(environmentText)}`, '17')
  }
  if (environmentText !== '') requireExactId('environment-id', environmentText, '17')

  const buildNumber = input('build-number')
  const prComment = parseBoolean('pr-comment', input('pr-comment'), false)
  const rerunFailedTests = parseBoolean('rerun-failed-tests', input('rerun-failed-tests'), true)
  const uploadVersions = parseUploadVersions(input('upload-versions'))
  const environmentId = environmentText === '' ? undefined : Number(environmentText)
  const warnings: string[] = []
  const pollSeconds = parsePositiveNumber(
    'poll-interval-seconds',
    input('poll-interval-seconds'),
    15,
    MAX_POLL_INTERVAL_SECONDS,
    '30'
  )
  if (pollSeconds < MIN_POLL_INTERVAL_SECONDS) {
    warnings.push(
      `poll-interval-seconds: ${pollSeconds} is below the floor of ${MIN_POLL_INTERVAL_SECONDS} s; ` +
        `the status is read every ${MIN_POLL_INTERVAL_SECONDS} s instead`
    )
  }

  const app = parseAppInputs(input, workspace, {
    uploadVersions,
    buildNumber: buildNumber === '' ? undefined : buildNumber,
    commitSha
  })
  let apiDialect = parseApiDialect(input('api-dialect'), { testPlanId, uploadVersions, environmentId })
  if (app !== undefined) apiDialect = appDialect(apiDialect)

  return {
    apiKey,
    testPlanId,
    ...(testPlanIds.length > 1 ? { testPlanIds } : {}),
    uploadVersions,
    buildNumber: buildNumber === '' ? undefined : buildNumber,
    environmentId,
    runtimeData: parseRuntimeData(input('runtime-data')),
    baseUrl: parseBaseUrl(input('base-url')),
    apiDialect,
    wait: parseBoolean('wait', input('wait'), true),
    pollIntervalMs: Math.max(pollSeconds, MIN_POLL_INTERVAL_SECONDS) * 1000,
    timeoutMs:
      parsePositiveNumber('timeout-minutes', input('timeout-minutes'), 180, MAX_TIMEOUT_MINUTES, '60') * 60_000,
    failOnFailure: parseBoolean('fail-on-failure', input('fail-on-failure'), true),
    junitReport: parseJunitPath(input('junit-report'), workspace),
    stopOnCancel: parseBoolean('stop-on-cancel', input('stop-on-cancel'), true),
    rerunFailedTests,
    prComment,
    // The comment needs the token; "Re-run failed jobs" only reads with it, so a token the runner did not expand
    // does not fail the step for it (the plan then runs in full).
    githubToken: prComment
      ? parseGithubToken(input('github-token'))
      : rerunFailedTests
        ? optionalGithubToken(input('github-token'))
        : undefined,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(app === undefined ? {} : { app })
  }
}

/** `{"<device id>": <version id>}` as JSON, or `DEVICE=VERSION` pairs separated by new lines or commas. */
export function parseUploadVersions(text: string): Record<string, number> | undefined {
  const name = 'upload-versions'
  const example = '"101=5003" (one DEVICE_ID=VERSION_ID pair per line) or \'{"101": 5003}\''
  const pairs = parseMapping(name, text, example)
  if (pairs === undefined) return undefined
  const versions: Record<string, number> = {}
  for (const [device, version] of pairs) {
    if (!/^\d+$/.test(device)) {
      throw new InputError(name, `has device id ${quote(device)}, which is not a numeric test device id`, example)
    }
    requireExactId(name, device, example, 'device id')
    if (typeof version === 'number' && Number.isInteger(version) && !Number.isSafeInteger(version)) {
      // JSON.parse has already rounded it: say so rather than quote a number the user did not write.
      throw new InputError(
        name,
        `has an upload version id for device ${device} above ${Number.MAX_SAFE_INTEGER}, which JSON.parse has ` +
          'already rounded to another id; it cannot be sent exactly',
        example
      )
    }
    const versionText = typeof version === 'number' ? String(version) : version
    if (typeof versionText !== 'string' || !/^\d+$/.test(versionText.trim())) {
      throw new InputError(
        name,
        `has upload version id ${quote(String(versionText))} for device ${device}, which is not a numeric id`,
        example
      )
    }
    requireExactId(name, versionText.trim(), example, 'upload version id')
    versions[device] = Number(versionText.trim())
  }
  return versions
}

/** `{"name": "value"}` as JSON, or `name=value` pairs separated by new lines or commas. */
export function parseRuntimeData(text: string): Record<string, string> | undefined {
  const name = 'runtime-data'
  const example = '"username=qa-bot" (one name=value per line) or \'{"username": "qa-bot"}\''
  const pairs = parseMapping(name, text, example)
  if (pairs === undefined) return undefined
  const data: Record<string, string> = {}
  for (const [key, value] of pairs) {
    if (typeof value === 'string') data[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') data[key] = String(value)
    else {
      throw new InputError(name, `has a ${describeJsonType(value)} for ${quote(key)}; values must be text`, example)
    }
  }
  return data
}

/** The two spellings of a mapping input: a JSON object, or key=value items split on new lines and commas. */
function parseMapping(name: string, text: string, example: string): Array<[string, unknown]> | undefined {
  if (text === '') return undefined
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new InputError(name, `looks like JSON but does not parse (${(error as Error).message})`, example)
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError(name, 'must be a JSON object', example)
    }
    // JSON.parse keeps the last of two equal keys without a word; the line form refuses them, and so does this.
    const seen = new Set<string>()
    for (const key of topLevelKeys(text)) {
      if (seen.has(key)) throw new InputError(name, `names ${quote(key)} twice`, example)
      seen.add(key)
    }
    return checkKeys(name, Object.entries(parsed), example)
  }
  const pairs: Array<[string, unknown]> = []
  const seen = new Set<string>()
  for (const item of text.split(/[\n,]/)) {
    const trimmed = item.trim()
    if (trimmed === '') continue
    const at = trimmed.indexOf('=')
    if (at <= 0) {
      throw new InputError(name, `has ${quote(trimmed)}, which is not a KEY=VALUE pair`, example)
    }
    const key = trimmed.slice(0, at).trim()
    if (seen.has(key)) throw new InputError(name, `names ${quote(key)} twice`, example)
    seen.add(key)
    pairs.push([key, trimmed.slice(at + 1).trim()])
  }
  return pairs.length === 0 ? undefined : checkKeys(name, pairs, example)
}

/**
 * "__proto__" cannot be a key of the object sent (assigning it sets the object's prototype instead, so it
 * would vanish from the request without a word): refused in both forms.
 */
function checkKeys(name: string, pairs: Array<[string, unknown]>, example: string): Array<[string, unknown]> {
  if (pairs.some(([key]) => key === '__proto__')) {
    throw new InputError(name, 'names "__proto__", which cannot be sent as a name', example)
  }
  return pairs
}

/**
 * The keys of a JSON object's top level, in order and with repeats, read from text that JSON.parse has
 * accepted: one pass that tracks strings and nesting, and reads each string at depth 1 followed by `:`.
 */
export function topLevelKeys(json: string): string[] {
  const keys: string[] = []
  let depth = 0
  for (let i = 0; i < json.length; i++) {
    const char = json[i]
    if (char === '{' || char === '[') depth += 1
    else if (char === '}' || char === ']') depth -= 1
    else if (char === '"') {
      const start = i
      for (i += 1; json[i] !== '"'; i++) if (json[i] === '\\') i += 1
      if (depth !== 1) continue
      let next = i + 1
      while (/\s/.test(json[next] ?? '')) next += 1
      if (json[next] === ':') keys.push(JSON.parse(json.slice(start, i + 1)) as string)
    }
  }
  return keys
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  return typeof value === 'object' ? 'nested object' : typeof value
}
