/**
 * The app build's inputs (`app-file`, `app-upload`, `app-devices`, `app-upload-create`, `app-project-id`), checked
 * before anything is sent; the file itself is checked by `app-file.ts`. Pure.
 */
import { InputError, parseBoolean, parseWorkspacePath, quote, requireExactId } from '../inputs.js'
import type { DialectChoice } from '../testsigma/dialect.js'
import type { AppArchive, AppFileTarget } from './app-file.js'
import { PATTERN_EXAMPLE, wildcardProblem } from './app-file-pattern.js'

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
  /**
   * The file as checked before any request (`inspectAppBuild`, run by main.ts: a `*` in `file` resolved to the one
   * file it matches); checked again if absent.
   */
  archive?: AppArchive
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
  // A * in the file name finds the one build there (`find-app-file.ts`, before anything is sent); only there.
  const wildcard = wildcardProblem(file.path)
  if (wildcard !== undefined) throw new InputError('app-file', wildcard, PATTERN_EXAMPLE)
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
 * (`workspaceId` instead of `projectId`, snake_case answers, the processing status only in the versions list, docs
 * §8.2), and it runs an upload's latest version unless `upload-versions` names one (§2.2), so `open-source` is refused
 * and `auto` speaks the cloud's only.
 */
export function appDialect(choice: DialectChoice): DialectChoice {
  if (choice === 'open-source') {
    throw new InputError(
      'api-dialect',
      'is open-source, whose upload API differs (workspaceId instead of projectId, snake_case answers, the ' +
        'processing status only in its versions list), so app-file cannot upload there; that server runs each ' +
        "upload's latest version unless upload-versions names one. Upload the build in a step of your own, name " +
        'its version with upload-versions, and leave out app-file, app-upload and app-devices; or use the cloud dialect',
      'cloud'
    )
  }
  return 'cloud'
}
