/** An upload's time limit and its progress lines. Pure: sizes and times in, numbers and words out. */
import { describeBytes } from '../testsigma/transport.js'
import { formatDuration } from '../text.js'

/**
 * An upload's own limit covers Testsigma's work after the last byte (storing and reading the app, synchronous on the
 * open-source server, docs §8.2) and the body at a slow but plausible rate: 2 Mbit/s, a tenth of what a hosted
 * runner usually manages. A 50 MiB build gets 5 min 20 s, a 300 MiB one 22 min; the caller caps it at timeout-minutes.
 */
export const UPLOAD_BASE_MS = 120_000
export const SLOW_BYTES_PER_SECOND = 256 * 1024
/** How often a running upload says how far it is. */
export const PROGRESS_EVERY_MS = 5000

export function uploadTimeLimitMs(bytes: number): number {
  return UPLOAD_BASE_MS + Math.ceil((bytes / SLOW_BYTES_PER_SECOND) * 1000)
}

export interface UploadProgress {
  fileName: string
  /** Bytes of the request body handed to the connection so far (the form's fields included). */
  sentBytes: number
  totalBytes: number
  /** Since the first byte was handed on. */
  elapsedMs: number
}

/** "Uploading app-release.apk: 12.5 MiB of 50 MiB (25 %), 4.2 MiB/s, about 9 s left". */
export function describeUploadProgress(progress: UploadProgress): string {
  const { sentBytes, totalBytes, elapsedMs } = progress
  const percent = totalBytes === 0 ? 100 : Math.floor((sentBytes / totalBytes) * 100)
  const done = `${describeBytes(sentBytes)} of ${describeBytes(totalBytes)} (${percent} %)`
  if (sentBytes >= totalBytes) return `Uploaded ${progress.fileName}: ${done}; waiting for Testsigma's answer`
  if (elapsedMs <= 0 || sentBytes === 0) return `Uploading ${progress.fileName}: ${done}`
  const bytesPerSecond = sentBytes / (elapsedMs / 1000)
  const leftMs = ((totalBytes - sentBytes) / bytesPerSecond) * 1000
  return (
    `Uploading ${progress.fileName}: ${done}, ${describeBytes(bytesPerSecond)}/s, ` +
    `about ${formatDuration(leftMs)} left`
  )
}
