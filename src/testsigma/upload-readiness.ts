/**
 * Whether an uploaded version is ready to run on, from an upload answer (docs/testsigma-api.md §8.1, §8.3): the
 * create or update answer (nested: the version's `status`, `signStatus`, `errorMessage` in `latestVersion`) or
 * `GET /uploads/{id}` (flat: the upload's `uploadStatus` and `message`; the version only in `appPath`). The documented
 * values are `status: "SUCCESS"`, `signStatus: "NONE"`, `uploadStatus: "Completed"` (ready) and, in the 2022–2023
 * docs and on the open-source server, `uploadStatus: "InProgress"` (processing); the open-source server also has
 * `Failed`. What the nested answer says while processing or signing, and either after a failure, is not documented.
 * So the rule is:
 *
 * - failed: a non-empty `errorMessage`, or a status field that reads a failure (`Failed`, `FAILURE`, `ERROR`, …);
 * - ready: every status field present reads a ready value, or the answer has no status field at all (nothing says
 *   otherwise, as in the docs' version list);
 * - otherwise still processing, whatever the value (a known "in progress" or one new to this action): keep waiting,
 *   within timeout-minutes. A version is never taken as ready on a value the action does not know.
 *
 * `status` as a number (the flat shape's 1 for an active upload) says nothing about processing and is ignored.
 */
import { exactId, isObject, versionIdInPath } from './upload-answers.js'

export type Readiness =
  | { state: 'ready'; statusless: boolean }
  | {
      state: 'processing'
      /** What the answer reads, for the log ("status IN_PROGRESS, signStatus PENDING"). */
      reading: string
      /** The values among them that this action does not know (it waits on them too). */
      unknown: string[]
    }
  | { state: 'failed'; message: string }
  /** The upload's latest version is another one now: this one's state cannot be read from the upload. */
  | { state: 'superseded'; latestVersionId: number }

const STATUS_FIELDS = ['status', 'uploadStatus', 'signStatus'] as const
type StatusField = (typeof STATUS_FIELDS)[number]

const READY: Record<StatusField, readonly string[]> = {
  status: ['SUCCESS', 'COMPLETED'],
  uploadStatus: ['COMPLETED'],
  signStatus: ['NONE', 'SUCCESS', 'COMPLETED', 'SIGNED']
}
const FAILED = /^(failed|failure|error|errored)$/i
const IN_PROGRESS = /^(in[ _]?progress|processing|pending|queued|uploading|signing|not[ _]?signed)$/i

/**
 * The readiness of version `versionId` in `answer`: a create or update answer, or `GET /uploads/{id}`. The version's
 * own fields are read (`latestVersion` when it is this version), with the upload's `uploadStatus` beside them. The
 * flat answer of `GET` is the upload's latest version, named only by the number in its `appPath`: when that is
 * another version (another upload came in between), this one is `superseded`; a path that names no version (the
 * pre-versioning layout of the docs' own sample) is read as this version's.
 */
export function versionReadiness(answer: unknown, versionId: number): Readiness {
  if (!isObject(answer)) return { state: 'processing', reading: 'an answer that is not an object', unknown: [] }
  const latest = isObject(answer.latestVersion) ? answer.latestVersion : undefined
  const latestId =
    exactId(latest?.id) ?? exactId(answer.latestVersionId) ?? versionIdInPath(answer.appPath, exactId(answer.id))
  if (latestId !== undefined && latestId !== versionId) return { state: 'superseded', latestVersionId: latestId }
  const readings: Array<[StatusField, string]> = []
  for (const field of STATUS_FIELDS) {
    const value = latest?.[field] ?? answer[field]
    if (typeof value === 'string' && value.trim() !== '') readings.push([field, value.trim()])
  }
  const errorMessage = latest?.errorMessage ?? answer.errorMessage
  if (typeof errorMessage === 'string' && errorMessage.trim() !== '') {
    return { state: 'failed', message: errorMessage.trim() }
  }
  const failed = readings.filter(([, value]) => FAILED.test(value))
  if (failed.length > 0) {
    // The flat answer's `message` ("Uploaded successfully" when ready) is the only text that may say why.
    const message = typeof answer.message === 'string' ? answer.message.trim() : ''
    return { state: 'failed', message: message !== '' ? message : describeReadings(failed) }
  }
  if (readings.length === 0) return { state: 'ready', statusless: true }
  const waiting = readings.filter(([field, value]) => !READY[field].includes(value.toUpperCase()))
  if (waiting.length === 0) return { state: 'ready', statusless: false }
  return {
    state: 'processing',
    reading: describeReadings(waiting),
    unknown: waiting.filter(([, value]) => !IN_PROGRESS.test(value)).map(([field, value]) => `${field} ${value}`)
  }
}

function describeReadings(readings: ReadonlyArray<[string, string]>): string {
  return readings.map(([field, value]) => `${field} ${value}`).join(', ')
}
