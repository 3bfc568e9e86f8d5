import path from 'node:path'
import { DEFAULT_BASE_URL } from './testsigma/links.js'
import { DIALECT_CHOICES, DialectChoice, inputsNotCarried } from './testsigma/dialect.js'
import type { AppArchive, AppFileTarget } from './upload/app-file.js'
import type { ReportTarget } from './workspace.js'

/** Everything one step needs, validated. Built from the action's inputs by `parseConfig`. */
export interface Config {
  apiKey: string
  /** Digits only; sent as `executionId`. */
  testPlanId: string
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
  /** The app build to upload before the trigger (`app-file`, `app-upload`, `app-devices`); absent when not asked. */
  app?: AppConfig
}

/** An app build to upload as a new version of a Testsigma upload, then run on `devices`. */
export interface AppConfig {
  file: AppFileTarget
  /** `app-upload`: digits are the upload's id, anything else its name. */
  upload: { id: number } | { name: string }
  /** `app-devices`: the test devices that install the new version (their `uploadVersions` entries). */
  devices: string[]
  /** `app-upload-create`: create the upload when no upload has the name. */
  create: boolean
  /** `app-project-id`: the project of a created upload; else the found upload's own. */
  projectId?: number
  /** The new version's name: `build-number`, else the commit's short SHA; absent when neither is known. */
  versionName?: string
  /** Where `versionName` came from, for the log. */
  versionNameFrom?: 'build-number' | 'GITHUB_SHA'
  /** The file as checked before any request (`inspectAppFile`, run by main.ts); checked again if absent. */
  archive?: AppArchive
}

/** A bad input value. The message names the input, says what is wrong and shows a good value. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    example: string
  ) {
    super(`Input "${input}" ${problem}. Example: ${input}: ${example}`)
    this.name = 'InputError'
  }
}

/** Reads one input's raw text ('' when unset), as `core.getInput` does. */
export type InputReader = (name: string) => string

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

  const testPlanId = input('test-plan-id')
  if (testPlanId === '') throw new InputError('test-plan-id', 'is required and was empty', '2048')
  if (!/^\d+$/.test(testPlanId)) {
    throw new InputError('test-plan-id', `must be the test plan's numeric id, got ${quote(testPlanId)}`, '2048')
  }
  requireExactId('test-plan-id', testPlanId, '2048')

  const environmentText = input('environment-id')
  if (environmentText !== '' && !/^\d+$/.test(environmentText)) {
    throw new InputError('environment-id', `must be a numeric environment id, got ${quote(environmentText)}`, '17')
  }
  if (environmentText !== '') requireExactId('environment-id', environmentText, '17')

  const buildNumber = input('build-number')
  const prComment = parseBoolean('pr-comment', input('pr-comment'), false)
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
    prComment,
    // Only the comment uses the token: without it, a token the runner did not expand must not fail the step.
    githubToken: prComment ? parseGithubToken(input('github-token')) : undefined,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(app === undefined ? {} : { app })
  }
}

const APP_INPUTS = ['app-file', 'app-upload', 'app-devices'] as const

/**
 * `app-file`, `app-upload` and `app-devices` go together (each is useless without the others); `app-upload-create`
 * and `app-project-id` only with them. A device both in `app-devices` and in `upload-versions` would be told two
 * versions: refused. Nothing here reads the file: `upload/app-file.ts` checks it before any request.
 */
export function parseAppInputs(
  input: (name: string) => string,
  workspace: string,
  context: { uploadVersions?: Record<string, number>; buildNumber?: string; commitSha?: string }
): AppConfig | undefined {
  const given = APP_INPUTS.filter(name => input(name) !== '')
  const createText = input('app-upload-create')
  const projectText = input('app-project-id')
  // The runner always sets `app-upload-create` (action.yml's default `false`): only `true` asks for an upload.
  const create = parseBoolean('app-upload-create', createText, false)
  if (given.length === 0) {
    for (const [name, asked, example] of [
      ['app-upload-create', create, 'true'],
      ['app-project-id', projectText !== '', '24']
    ] as const) {
      if (asked) {
        throw new InputError(
          name,
          'is set, but no app is uploaded without app-file, app-upload and app-devices: set them too, or remove it',
          example
        )
      }
    }
    return undefined
  }
  const missing = APP_INPUTS.filter(name => input(name) === '')
  if (missing.length > 0) {
    throw new InputError(
      missing[0],
      `is needed with ${given.join(' and ')}: app-file (the build), app-upload (the upload's name or id in ` +
        'Testsigma) and app-devices (the test devices that install it) go together',
      APP_EXAMPLES[missing[0]]
    )
  }
  const file = parseWorkspacePath('app-file', input('app-file'), workspace, APP_EXAMPLES['app-file'])
  const upload = parseAppUpload(input('app-upload'))
  const devices = parseAppDevices(input('app-devices'), context.uploadVersions)
  if (create && 'id' in upload) {
    throw new InputError(
      'app-upload-create',
      `is true, but app-upload is an id (${upload.id}), which names an upload that exists; give the upload's name ` +
        'to create it when it does not exist',
      'false'
    )
  }
  if (projectText !== '' && !/^\d+$/.test(projectText)) {
    throw new InputError('app-project-id', `must be the project's numeric id, got ${quote(projectText)}`, '24')
  }
  if (projectText !== '') requireExactId('app-project-id', projectText, '24')
  if (create && projectText === '') {
    throw new InputError(
      'app-project-id',
      'is needed with app-upload-create: true: a new upload belongs to a project (Testsigma requires projectId)',
      '24'
    )
  }
  const app: AppConfig = { file, upload, devices, create }
  if (projectText !== '') app.projectId = Number(projectText)
  if (context.buildNumber !== undefined) {
    app.versionName = context.buildNumber
    app.versionNameFrom = 'build-number'
  } else if (context.commitSha !== undefined && /^[0-9a-f]{7,}$/i.test(context.commitSha.trim())) {
    app.versionName = context.commitSha.trim().slice(0, 7)
    app.versionNameFrom = 'GITHUB_SHA'
  }
  return app
}

const APP_EXAMPLES: Record<(typeof APP_INPUTS)[number], string> = {
  'app-file': 'app/build/outputs/apk/release/app-release.apk',
  'app-upload': 'Shop Android',
  'app-devices': '101, 102'
}

/** Digits: an upload's id; anything else on one line: its name. */
function parseAppUpload(text: string): AppConfig['upload'] {
  const name = 'app-upload'
  // eslint-disable-next-line no-control-regex -- finding control characters in the name is this check's purpose
  if (/[\x00-\x1f\x7f]/.test(text)) {
    throw new InputError(name, 'must be one line (an upload name or id), without control characters', 'Shop Android')
  }
  if (text.length > 255) throw new InputError(name, `is longer than 255 characters (${text.length})`, 'Shop Android')
  if (/^\d+$/.test(text)) {
    requireExactId(name, text, 'Shop Android')
    return { id: Number(text) }
  }
  return { name: text }
}

/** Test device ids, separated by commas or new lines; none twice, none also in `upload-versions`. */
function parseAppDevices(text: string, uploadVersions: Record<string, number> | undefined): string[] {
  const name = 'app-devices'
  const example = APP_EXAMPLES[name]
  const devices: string[] = []
  for (const item of text.split(/[\n,]/)) {
    const device = item.trim()
    if (device === '') continue
    if (!/^\d+$/.test(device)) {
      throw new InputError(name, `has ${quote(device)}, which is not a numeric test device id`, example)
    }
    requireExactId(name, device, example, 'device id')
    const canonical = String(Number(device))
    if (devices.includes(canonical)) throw new InputError(name, `names device ${canonical} twice`, example)
    if (uploadVersions !== undefined && canonical in uploadVersions) {
      throw new InputError(
        name,
        `names device ${canonical}, which upload-versions also names (version ${uploadVersions[canonical]}): a ` +
          'device installs one version. Leave it in one of them',
        example
      )
    }
    devices.push(canonical)
  }
  if (devices.length === 0) throw new InputError(name, 'names no test device', example)
  return devices
}

/**
 * The dialect of a step that uploads an app: the cloud's. The open-source server's upload API differs
 * (`workspaceId`, no version id, docs §8.2) and its trigger cannot pin a version (it runs an upload's latest
 * version anyway), so `open-source` is refused and `auto` speaks the cloud's only.
 */
function appDialect(choice: DialectChoice): DialectChoice {
  if (choice === 'open-source') {
    throw new InputError(
      'api-dialect',
      'is open-source, whose upload API differs (workspaceId, no upload version ids) and whose trigger cannot ' +
        "name a version; that server runs each upload's latest version anyway. Upload the build in a step of your " +
        'own and leave out app-file, app-upload and app-devices, or use the cloud dialect',
      'cloud'
    )
  }
  return 'cloud'
}

/**
 * True for `${{ … }}` left as text: the runner expands expressions in inputs, so this means the action runs
 * outside GitHub Actions (e.g. `npm run local-action`, which fills inputs with action.yml's defaults as text).
 */
export function isUnexpandedExpression(text: string): boolean {
  return /^\$\{\{.*\}\}$/s.test(text.trim())
}

/**
 * `auto` (the default), `cloud` or `open-source`. The open-source server's trigger has no place for
 * `upload-versions` or `environment-id` (docs §2.2), so asking for both is refused before anything is sent.
 */
export function parseApiDialect(
  text: string,
  trigger: Pick<Config, 'testPlanId' | 'uploadVersions' | 'environmentId'>
): DialectChoice {
  const name = 'api-dialect'
  if (text === '') return 'auto'
  const dialect = DIALECT_CHOICES.find(choice => choice === text.toLowerCase())
  if (dialect === undefined) {
    throw new InputError(name, `must be auto, cloud or open-source, got ${quote(text)}`, 'auto')
  }
  const notCarried = inputsNotCarried(dialect === 'open-source' ? 'open-source' : 'cloud', trigger)
  if (notCarried.length > 0) {
    const inputs = notCarried.join(' and ')
    throw new InputError(
      name,
      `is open-source, whose trigger cannot carry ${inputs} (the open-source server has no such fields and would ` +
        `run without them). Remove ${inputs}, or use the cloud dialect`,
      'cloud'
    )
  }
  return dialect
}

/**
 * Ids are sent as JSON numbers, which Testsigma and JavaScript read as doubles: above 2^53 - 1 a number
 * silently becomes its neighbour (9007199254740993 is sent as ...992), so such an id would name another
 * test plan. Refused instead.
 */
function requireExactId(name: string, digits: string, example: string, what?: string): void {
  if (Number.isSafeInteger(Number(digits))) return
  const limit = `${Number.MAX_SAFE_INTEGER}, the largest id a JSON number carries exactly (a larger one would name another)`
  throw new InputError(
    name,
    what === undefined
      ? `must be at most ${limit}, got ${quote(digits)}`
      : `has ${what} ${quote(digits)}, above ${limit}`,
    example
  )
}

export function parseGithubToken(text: string): string | undefined {
  if (text === '') return undefined
  if (isUnexpandedExpression(text)) {
    throw new InputError(
      'github-token',
      `is the expression ${quote(text)}, which GitHub Actions expands but nothing did here (outside a runner, ` +
        'set the token itself, e.g. INPUT_GITHUB-TOKEN in .env for npm run local-action)',
      '${{ github.token }}'
    )
  }
  // eslint-disable-next-line no-control-regex -- finding control characters in the token is this check's purpose
  if (/[\s\x00-\x1f\x7f]/.test(text)) {
    // Never quoted back: it is a secret even when malformed.
    throw new InputError(
      'github-token',
      'contains white space or control characters, so it cannot be a GitHub token',
      '${{ github.token }}'
    )
  }
  return text
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
export function parseBoolean(name: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw new InputError(name, `must be true or false, got ${quote(text)}`, String(!fallback))
}

export function parsePositiveNumber(
  name: string,
  text: string,
  fallback: number,
  max: number,
  example: string
): number {
  if (text === '') return fallback
  // Plain decimals only: "1e3", "0x10" and "Infinity" are numbers to JavaScript but surprises to a reader.
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    throw new InputError(name, `must be a positive number (decimals allowed), got ${quote(text)}`, example)
  }
  const value = Number(text)
  if (value <= 0) throw new InputError(name, `must be greater than 0, got ${quote(text)}`, example)
  if (value > max) throw new InputError(name, `must be at most ${max}, got ${quote(text)}`, example)
  return value
}

export function parseBaseUrl(text: string): string {
  if (text === '') return DEFAULT_BASE_URL
  const example = 'https://testsigma.example.com'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError('base-url', `must be an http(s) URL, got ${quote(text)}`, example)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('base-url', `must be an http(s) URL, got ${quote(text)} (protocol ${url.protocol})`, example)
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError('base-url', 'must not contain a user name or password (the API key authenticates)', example)
  }
  // An empty query or fragment ("…/?" or "…#") leaves url.search and url.hash empty, so the text decides.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    throw new InputError('base-url', `must not have a query or fragment, got ${quote(text)}`, example)
  }
  return url.toString().replace(/\/+$/, '')
}

/** A warning when the API key would cross the network unencrypted (plain http to a host other than this one). */
export function cleartextWarning(baseUrl: string): string | undefined {
  const url = new URL(baseUrl)
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
  if (url.protocol !== 'http:' || loopback) return undefined
  return `base-url ${baseUrl} is plain http: the API key travels to ${url.hostname} unencrypted. Use https.`
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

export function parseJunitPath(text: string, workspace: string): ReportTarget | undefined {
  if (text === '') return undefined
  return parseWorkspacePath('junit-report', text, workspace, 'reports/testsigma-junit.xml')
}

/** A file path inside the workspace, as written (links are for the file system checks to resolve). */
function parseWorkspacePath(
  name: string,
  text: string,
  workspace: string,
  example: string
): { path: string; absolutePath: string; workspace: string } {
  const absolutePath = path.resolve(workspace, text)
  const relative = path.relative(workspace, absolutePath)
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(name, `must be a file path inside the workspace, got ${quote(text)}`, example)
  }
  return { path: text, absolutePath, workspace }
}

function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text
  return JSON.stringify(short)
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  return typeof value === 'object' ? 'nested object' : typeof value
}
