/**
 * Testsigma's upload answers read into plain values (docs/testsigma-api.md §8.1). The cloud documents three shapes:
 * - the create and update answer, nested: `id`, `name`, `latestVersionId`, `latestVersion{id, path, status,
 *   signStatus, errorMessage, …}`;
 * - `GET /uploads/{id}` and the name search, flat: `projectId`, `appPath`, `fileName`, `uploadType`, `version`,
 *   `platformType`, `isPublic`, `uploadStatus` ("Completed"; "InProgress" while processing in the 2022–2023 docs),
 *   `message`, `status` as a number (1: active), and no version id but the one in `appPath`;
 * - `GET /upload_versions?query=uploadId:`, a bare array of versions without any status field.
 * Every field but `id` is optional here; what is needed and missing is the caller's error.
 */

/** An upload (an app in Testsigma's Uploads, holding versions). */
export interface UploadFacts {
  id: number
  name?: string
  projectId?: number
  uploadType?: string
  platformType?: string
  isPublic?: boolean
  /** `latestVersion.id`, else `latestVersionId`. */
  latestVersionId?: number
  latestVersionName?: string
}

/** An upload read from `json`, or undefined when it has no usable `id`. */
export function uploadOf(json: unknown): UploadFacts | undefined {
  if (!isObject(json)) return undefined
  const id = exactId(json.id)
  if (id === undefined) return undefined
  const latest = isObject(json.latestVersion) ? json.latestVersion : undefined
  const facts: UploadFacts = { id }
  if (typeof json.name === 'string') facts.name = json.name
  const projectId = exactId(json.projectId)
  if (projectId !== undefined) facts.projectId = projectId
  if (typeof json.uploadType === 'string') facts.uploadType = json.uploadType
  if (typeof json.platformType === 'string' && json.platformType !== '') facts.platformType = json.platformType
  if (typeof json.isPublic === 'boolean') facts.isPublic = json.isPublic
  const latestId = exactId(latest?.id) ?? exactId(json.latestVersionId)
  if (latestId !== undefined) facts.latestVersionId = latestId
  if (typeof latest?.name === 'string') facts.latestVersionName = latest.name
  return facts
}

/**
 * The uploads in a search answer: the docs show a single object for `?query=name:…` (§8.1), the open-source server
 * answers a Spring page (`{"content": […]}`, §8.2), and a plain array is what a list usually is. All three are read.
 */
export function uploadsIn(json: unknown): UploadFacts[] {
  const items = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.content) ? json.content : [json]
  return items.flatMap(item => uploadOf(item) ?? [])
}

/**
 * The uploads whose name is `name`: Testsigma's `name:` query is the server's matching (its case and its reading of
 * `,` and operators are not documented), so the answer is filtered again here, exactly but for white space at the
 * ends (the docs' own sample name starts with a space).
 */
export function uploadsNamed(uploads: readonly UploadFacts[], name: string): UploadFacts[] {
  const wanted = name.trim()
  return uploads.filter(upload => upload.name?.trim() === wanted)
}

/**
 * The upload version id in a storage path, `<account>/uploads/<project id>/<version id>/<file>` (docs §8.1, "Copy
 * Path": the number before the file is the version's since versioning, 2022). Undefined when the path has another
 * layout, or when its number is the upload's own id (`uploadId`): the pre-versioning layout, which names no version.
 */
export function versionIdInPath(value: unknown, uploadId?: number): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = /(?:^|\/)uploads\/\d+\/(\d+)\/[^/]+$/.exec(value.trim())
  const id = exactId(match?.[1])
  return id === undefined || id === uploadId ? undefined : id
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A positive id JavaScript reads exactly, as a number or digits; else undefined. */
export function exactId(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined
}
