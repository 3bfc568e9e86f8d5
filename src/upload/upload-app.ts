/**
 * The app build's way into Testsigma, before the trigger: find the upload (by id, or by name), create it only when
 * `app-upload-create` asks, send the file as a new version (streamed, never read whole), and wait, within
 * timeout-minutes, until Testsigma says the version is ready. Throws `UploadStepError` (or the client's
 * `TestsigmaError`) with what happened and what to do; the caller starts no run then.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { AppConfig } from './app-inputs.js'
import type { Log } from '../log.js'
import { RetryOptions, withRetry, withShortStreak } from '../retry.js'
import type { TestsigmaClient } from '../testsigma/client.js'
import { BodyStreamError, describeBytes } from '../testsigma/transport.js'
import { formatDuration, oneLine } from '../text.js'
import type { AppArchive } from './app-file.js'
import { UploadFacts, uploadsNamed } from '../testsigma/upload-answers.js'
import { multipartLayout, multipartStream } from './multipart.js'
import { describeUploadProgress, PROGRESS_EVERY_MS, uploadTimeLimitMs } from './progress.js'
import { versionReadiness } from '../testsigma/upload-readiness.js'

/** What was uploaded, for the trigger's `uploadVersions`, the outputs and the reports. */
export interface UploadedApp {
  uploadId: number
  /** The upload's name as Testsigma has it (else as `app-upload` gave it). */
  uploadName?: string
  versionId: number
  /** The version's name as sent (`build-number`, else the short commit SHA); absent when none was sent. */
  versionName?: string
  fileName: string
  /** True when this step created the upload. */
  created: boolean
}

export interface UploadDeps {
  client: TestsigmaClient
  clock: Clock
  log: Log
  signal: AbortSignal
  random?: () => number
}

/** Why no run was started after the upload step. */
export class UploadStepError extends Error {
  constructor(
    message: string,
    /** The few words for the summary's answer line. */
    readonly brief: string
  ) {
    super(message)
    this.name = 'UploadStepError'
  }
}

// Testsigma's web page takes apps of up to 300 MB (docs §8.1); its API's limit is not documented.
const WEB_LIMIT_BYTES = 300 * 1024 * 1024
const READ_CHUNK_BYTES = 64 * 1024
const DEFAULT_PLATFORM_TYPE = 'TestsigmaLab'
const APK_CONTENT_TYPE = 'application/vnd.android.package-archive'

export async function uploadApp(
  app: AppConfig,
  archive: AppArchive,
  deps: UploadDeps,
  /**
   * timeout-minutes' end (clock time), the interval between readiness checks, and who to tell as soon as a version
   * exists (it is reported even when the step ends before it is ready).
   */
  limits: { deadline: number; pollIntervalMs: number; onStored?: (uploaded: UploadedApp) => void }
): Promise<UploadedApp> {
  const { log } = deps
  const reads: RetryOptions = {
    request: 'read',
    clock: deps.clock,
    deadline: limits.deadline,
    signal: deps.signal,
    random: deps.random,
    policy: withShortStreak()
  }
  const existing = await findUpload(app, deps, reads)
  const label = labelOf(existing?.id, existing?.name ?? ('name' in app.upload ? app.upload.name : undefined))
  if (existing?.uploadType !== undefined && /^(APK|IPA)$/i.test(existing.uploadType)) {
    if (existing.uploadType.toUpperCase() !== archive.kind) {
      throw new UploadStepError(
        `Upload ${label} holds ${existing.uploadType.toUpperCase()} builds, and app-file ${JSON.stringify(archive.path)} ` +
          `is an ${archive.kind}: nothing was uploaded. Check app-upload and app-file.`,
        `app-file is an ${archive.kind}, upload ${label} holds ${existing.uploadType.toUpperCase()} builds`
      )
    }
  }
  const projectId = app.projectId ?? existing?.projectId
  if (projectId === undefined) {
    throw new UploadStepError(
      `Testsigma's answer for upload ${label} names no projectId, which a new version needs: set app-project-id ` +
        "(the number after /uploads/ in the upload's Copy Path). Nothing was uploaded.",
      "the upload's project is not known (set app-project-id)"
    )
  }
  const uploadName = existing?.name ?? ('name' in app.upload ? app.upload.name : String(app.upload.id))
  const fields: Array<[string, string]> = [
    ['projectId', String(projectId)],
    // The update overwrites the name (docs §8.2), so an existing upload's own name is sent back.
    ['name', uploadName],
    ['uploadType', archive.kind],
    ['platformType', existing?.platformType ?? DEFAULT_PLATFORM_TYPE]
  ]
  if (existing?.isPublic !== undefined) fields.push(['isPublic', String(existing.isPublic)])
  if (app.versionName !== undefined) fields.push(['version', app.versionName])

  const versionWords =
    app.versionName === undefined
      ? 'without a version name (no build-number, and no GITHUB_SHA)'
      : `as version ${JSON.stringify(app.versionName)} (from ${app.versionNameFrom ?? 'build-number'})`
  const target = existing === undefined ? `a new upload ${label} in project ${projectId}` : `upload ${label}`
  log.info(
    `Uploading ${archive.fileName} (${archive.kind}, ${describeBytes(archive.size)}) ${versionWords} to ${target}`
  )
  if (archive.size > WEB_LIMIT_BYTES) {
    log.warning(
      `${archive.fileName} is ${describeBytes(archive.size)}: Testsigma's web page refuses apps over 300 MB, and ` +
        'its API may too'
    )
  }
  const answer = await sendBuild(existing?.id, label, fields, archive, deps, limits.deadline)
  const uploaded: UploadedApp = {
    uploadId: answer.upload.id,
    uploadName: answer.upload.name?.trim() || uploadName,
    versionId: answer.upload.latestVersionId as number,
    versionName: app.versionName,
    fileName: archive.fileName,
    created: existing === undefined
  }
  const stored = labelOf(uploaded.uploadId, uploaded.uploadName)
  log.info(`Testsigma stored upload version ${uploaded.versionId} of upload ${stored}`)
  limits.onStored?.(uploaded)
  await waitUntilReady(uploaded, stored, answer.answer, deps, reads, limits)
  return uploaded
}

/** The upload named or numbered by `app-upload`; undefined when it is to be created. */
async function findUpload(app: AppConfig, deps: UploadDeps, reads: RetryOptions): Promise<UploadFacts | undefined> {
  if ('id' in app.upload) {
    const uploadId = app.upload.id
    return (await withRetry(() => deps.client.getUpload(uploadId, deps.signal), reads)).upload
  }
  const name = app.upload.name
  const matches = uploadsNamed(await withRetry(() => deps.client.findUploads(name, deps.signal), reads), name)
  if (matches.length === 1) return matches[0]
  if (matches.length > 1) {
    const ids = matches.map(upload => upload.id).join(', ')
    throw new UploadStepError(
      `${matches.length} uploads in Testsigma are named ${JSON.stringify(name)} (ids ${ids}): set app-upload to the ` +
        'id of the one to add the build to. Nothing was uploaded.',
      `${matches.length} uploads are named ${JSON.stringify(name)}`
    )
  }
  if (!app.create) {
    throw new UploadStepError(
      `Testsigma has no upload named ${JSON.stringify(name)} for this API key, so nothing was uploaded. Check ` +
        "app-upload against Test Data → Uploads (the name is matched exactly), give the upload's id, or set " +
        'app-upload-create: true (with app-project-id) to create it.',
      `no upload is named ${JSON.stringify(name)}`
    )
  }
  deps.log.info(`No upload is named ${JSON.stringify(name)}: creating it (app-upload-create: true)`)
  return undefined
}

/** Sends the form: once, unless the first certainly never arrived (`retry.ts`'s `upload` rule). */
async function sendBuild(
  uploadId: number | undefined,
  label: string,
  fields: Array<[string, string]>,
  archive: AppArchive,
  deps: UploadDeps,
  deadline: number
): ReturnType<TestsigmaClient['sendAppBuild']> {
  const boundary = `testsigma-action-${randomBytes(16).toString('hex')}`
  const contentType = archive.kind === 'APK' ? APK_CONTENT_TYPE : 'application/octet-stream'
  const file = { field: 'fileContent', fileName: archive.fileName, contentType, size: archive.size }
  const layout = multipartLayout(fields, file, boundary)
  const progress = { sent: 0, startedAt: deps.clock.now() }
  const describe = (): string =>
    describeUploadProgress({
      fileName: archive.fileName,
      sentBytes: progress.sent,
      totalBytes: layout.contentLength,
      elapsedMs: deps.clock.now() - progress.startedAt
    })
  const ticker = setInterval(() => deps.log.info(describe()), PROGRESS_EVERY_MS)
  try {
    const send = (): ReturnType<TestsigmaClient['sendAppBuild']> => {
      progress.sent = 0
      progress.startedAt = deps.clock.now()
      const body = {
        length: layout.contentLength,
        open: () =>
          multipartStream(
            layout,
            file,
            // From the file as it was opened and checked, from its start (a second attempt reads it again).
            () => archive.file.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES }),
            sent => (progress.sent = sent)
          )
      }
      const timeoutMs = uploadTimeLimitMs(layout.contentLength)
      return deps.client.sendAppBuild(
        { uploadId, label, fileName: archive.fileName, body, contentType: layout.contentType, timeoutMs },
        deps.signal
      )
    }
    const answer = await withRetry(send, {
      request: 'upload',
      clock: deps.clock,
      deadline,
      signal: deps.signal,
      random: deps.random,
      policy: withShortStreak(),
      onRetry: (error, attempt, delayMs) =>
        deps.log.warning(
          `The upload failed before reaching Testsigma (${oneLine(error.message)}); attempt ${attempt + 1} in ` +
            formatDuration(delayMs)
        )
    })
    const tookMs = deps.clock.now() - progress.startedAt
    const rate = tookMs > 0 ? `, ${describeBytes(layout.contentLength / (tookMs / 1000))}/s` : ''
    deps.log.info(
      `Uploaded ${archive.fileName} (${describeBytes(layout.contentLength)}) in ${formatDuration(tookMs)}${rate}`
    )
    return answer
  } catch (error) {
    if (error instanceof BodyStreamError) {
      throw new UploadStepError(
        `app-file ${JSON.stringify(archive.path)} could not be read to its end while it was uploaded ` +
          `(${oneLine(error.message)}): the request was cut off before its end, so Testsigma got an incomplete ` +
          'file. It was not sent again, and no run was started.',
        'app-file changed while it was uploaded'
      )
    }
    throw error
  } finally {
    clearInterval(ticker)
  }
}

/**
 * Reads the upload until Testsigma says the version is ready (`readiness.ts`'s rule), at the plan's poll interval,
 * within timeout-minutes. Says each new state once; a value new to this action once more, as such.
 */
async function waitUntilReady(
  uploaded: UploadedApp,
  label: string,
  firstAnswer: unknown,
  deps: UploadDeps,
  reads: RetryOptions,
  limits: { deadline: number; pollIntervalMs: number }
): Promise<void> {
  const version = `Upload version ${uploaded.versionId}`
  const startedAt = deps.clock.now()
  let answer = firstAnswer
  let lastReading = ''
  const newValues = new Set<string>()
  for (;;) {
    const readiness = versionReadiness(answer, uploaded.versionId)
    switch (readiness.state) {
      case 'ready':
        if (readiness.statusless) {
          deps.log.info(
            `Testsigma's answer gives no processing status for ${version.toLowerCase()}: taking it as ready`
          )
        }
        deps.log.info(`${version} of upload ${label} is ready`)
        return
      case 'failed':
        throw new UploadStepError(
          `Testsigma could not process ${version.toLowerCase()} of upload ${label}: ${oneLine(readiness.message)}. ` +
            'No run was started; check the build, and the upload in Testsigma (Test Data → Uploads).',
          `Testsigma could not process the app (${oneLine(readiness.message)})`
        )
      case 'superseded':
        throw new UploadStepError(
          `Another version (${readiness.latestVersionId}) was added to upload ${label} while ${version.toLowerCase()} ` +
            'was being processed, so its state can no longer be read, and no run was started on it. Do other ' +
            'workflows upload to it at the same time? A concurrency group per upload keeps them apart.',
          'another version of the app was uploaded meanwhile'
        )
      case 'processing':
        if (readiness.reading !== lastReading) {
          lastReading = readiness.reading
          deps.log.info(
            `${version} is being processed (${readiness.reading}); checking every ${formatDuration(limits.pollIntervalMs)}`
          )
        }
        for (const value of readiness.unknown.filter(value => !newValues.has(value))) {
          newValues.add(value)
          deps.log.info(`${value} is new to this action; waiting until Testsigma says the version is ready`)
        }
    }
    const now = deps.clock.now()
    if (now + limits.pollIntervalMs > limits.deadline) {
      throw new UploadStepError(
        `${version} of upload ${label} was still being processed (${lastReading}) after ` +
          `${formatDuration(now - startedAt)}, when timeout-minutes ran out; no run was started.`,
        'the app was not ready before timeout-minutes ran out'
      )
    }
    await deps.clock.sleep(limits.pollIntervalMs, deps.signal)
    answer = (await withRetry(() => deps.client.getUpload(uploaded.uploadId, deps.signal), reads)).answer
  }
}

/** `"Shop Android" (id 62)`, `62`, or `"Shop Android"`. */
function labelOf(id: number | undefined, name: string | undefined): string {
  const named = name === undefined ? undefined : JSON.stringify(name.trim())
  if (id === undefined) return named ?? 'the upload'
  return named === undefined ? String(id) : `${named} (id ${id})`
}
