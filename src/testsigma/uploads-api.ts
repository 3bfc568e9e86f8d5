/**
 * The uploads' endpoints (docs/testsigma-api.md §8): find an upload by name, read one, send an app build as a new
 * upload or a new version. A failure after the build may have arrived says that a version may exist, and where.
 */
import type { Connection } from './connection.js'
import { describeBody, parseJson } from './connection.js'
import { isStray404, serverName } from './dialect.js'
import { briefly, briefOf, TestsigmaError } from './errors.js'
import { serverText } from './server-text.js'
import type { HttpAnswer, StreamedBody } from './transport.js'
import { UploadFacts, uploadOf, uploadsIn } from './upload-answers.js'

const UPLOADS_PATH = '/api/v1/uploads'

/** An app build to send (see `sendAppBuild`). */
export interface AppBuildRequest {
  /** Absent: create a new upload (POST). */
  uploadId?: number
  /** How messages name the upload: `"Shop Android" (id 62)`. */
  label: string
  fileName: string
  body: StreamedBody
  contentType: string
  timeoutMs: number
}

/** What to say when an upload may have been stored though no good answer came. */
function mayHaveStored(label: string): string {
  return (
    `A new version may or may not have been stored in upload ${label}: it was not sent again, and no run was ` +
    `started. Check the upload's versions in Testsigma (Test Data → Uploads → ${label}) before re-running the job.`
  )
}

/**
 * The uploads whose name the server matches to `name` (`GET /api/v1/uploads?query=name:…`, docs §8.1); the caller
 * filters them again (`uploadsNamed`), since the server's matching is not documented.
 */
export async function findUploads(connection: Connection, name: string, signal?: AbortSignal): Promise<UploadFacts[]> {
  const what = `the search for the upload named ${JSON.stringify(name)}`
  const answer = await read(connection, `${UPLOADS_PATH}?query=${encodeURIComponent(`name:${name}`)}`, what, signal)
  if (answer.statusCode === 404 && !isStray404(404, answer.body)) return []
  if (answer.statusCode !== 200) throw uploadRefusal(connection, what, answer)
  return uploadsIn(connection.readJson(answer, what))
}

/** One upload (`GET /api/v1/uploads/{id}`), and its answer as it came, for `versionReadiness`. */
export async function getUpload(
  connection: Connection,
  uploadId: number,
  signal?: AbortSignal
): Promise<{ upload: UploadFacts; answer: unknown }> {
  const what = `the request for upload ${uploadId}`
  const answer = await read(connection, `${UPLOADS_PATH}/${uploadId}`, what, signal)
  if (answer.statusCode === 404 && !isStray404(404, answer.body)) {
    const text = serverText(answer.body)
    const unknown = new TestsigmaError(
      `Testsigma has no upload ${uploadId} (HTTP 404${text ? `: ${text}` : ''}). Check app-upload: give the ` +
        "upload's name as Test Data → Uploads lists it, or its id. The last number in Copy Path " +
        '(…/uploads/<project id>/<version id>/<file>) is the id of a version, not of the upload. Nothing was uploaded.',
      { kind: 'http', statusCode: 404 },
      text
    )
    throw briefly(unknown, `upload ${uploadId} is unknown`)
  }
  if (answer.statusCode !== 200) throw uploadRefusal(connection, what, answer)
  const json = connection.readJson(answer, what)
  const upload = uploadOf(json)
  if (upload === undefined) {
    throw new TestsigmaError(`Testsigma's answer to ${what} has no upload id: ${serverText(answer.body)}`, {
      kind: 'malformed'
    })
  }
  return { upload, answer: json }
}

/**
 * A read of the uploads. The upload comes before the trigger, so a read that can never succeed (a TLS failure:
 * nothing was sent, and sending again cannot help) ends the step before any run: its message says so.
 */
async function read(connection: Connection, path: string, what: string, signal?: AbortSignal): Promise<HttpAnswer> {
  try {
    return await connection.send('GET', path, what, signal)
  } catch (error) {
    if (!(error instanceof TestsigmaError) || error.fault.permanent !== true || error.fault.notSent !== true)
      throw error
    throw briefly(new TestsigmaError(`${error.message}. No run was started.`, error.fault), briefOf(error))
  }
}

/**
 * Sends an app build as a multipart form (docs §8.1): `PUT /api/v1/uploads/{id}` adds a version to an upload,
 * `POST /api/v1/uploads` creates one. Sent once: whether to send it again is `retry.ts`'s decision (`upload`).
 * A failure after the body may have arrived says that a version may exist, and where to look.
 */
export async function sendAppBuild(
  connection: Connection,
  build: AppBuildRequest,
  signal?: AbortSignal
): Promise<{ upload: UploadFacts; answer: unknown }> {
  const { label } = build
  const what =
    build.uploadId === undefined
      ? `the creation of upload ${label} with ${build.fileName}`
      : `the upload of ${build.fileName} as a new version of upload ${label}`
  const path = build.uploadId === undefined ? UPLOADS_PATH : `${UPLOADS_PATH}/${build.uploadId}`
  const upload = { body: build.body, contentType: build.contentType, timeoutMs: build.timeoutMs }
  let answer: HttpAnswer
  try {
    answer = await connection.send(build.uploadId === undefined ? 'POST' : 'PUT', path, what, signal, { upload })
  } catch (error) {
    if (!(error instanceof TestsigmaError)) throw error
    if (error.fault.notSent === true) {
      throw briefly(new TestsigmaError(`${error.message}. Nothing was uploaded.`, error.fault), briefOf(error))
    }
    const lost = new TestsigmaError(`${error.message}. ${mayHaveStored(label)}`, error.fault)
    throw briefly(lost, `the upload got no answer (a version may exist in ${label})`)
  }
  if (answer.statusCode === 200 || answer.statusCode === 201) {
    let json: unknown
    try {
      json = parseJson(answer.body)
    } catch (error) {
      throw new TestsigmaError(`${describeBody(error)} in answer to ${what}. ${mayHaveStored(label)}`, {
        kind: 'malformed'
      })
    }
    const facts = uploadOf(json)
    if (facts?.latestVersionId === undefined) {
      const missing = new TestsigmaError(
        `Testsigma's answer to ${what} names no upload version (no latestVersion.id nor latestVersionId): ` +
          `${serverText(answer.body) || '(empty body)'}. ${mayHaveStored(label)}`,
        { kind: 'malformed' }
      )
      throw briefly(missing, "Testsigma's answer to the upload names no version")
    }
    return { upload: facts, answer: json }
  }
  const refused = uploadRefusal(connection, what, answer)
  const { statusCode } = answer
  let advice: string
  if (statusCode === 401 || statusCode === 403) throw refused
  if (statusCode === 429 || statusCode === 503) advice = 'Testsigma is busy; nothing was stored.'
  else if (statusCode === 404) {
    advice = `Check app-upload: upload ${label} does not exist (any more) for this API key; nothing was stored.`
  } else if (statusCode === 413) {
    advice = `Testsigma refused ${build.fileName} as too large (its web page takes apps of up to 300 MB).`
  } else if (statusCode >= 500) advice = mayHaveStored(label)
  else advice = 'Check app-upload, app-project-id and the file; nothing was stored.'
  throw briefly(
    new TestsigmaError(`${refused.message}. ${advice}`, refused.fault, refused.serverMessage),
    statusCode >= 500 && statusCode !== 503
      ? `Testsigma answered the upload with HTTP ${statusCode}`
      : `Testsigma refused the upload (HTTP ${statusCode})`
  )
}

/** A refusal of an upload request; a missing path means base-url is not Testsigma's cloud API. */
function uploadRefusal(connection: Connection, what: string, answer: HttpAnswer): TestsigmaError {
  const refused = connection.refusal(what, answer)
  if (!isStray404(answer.statusCode, answer.body)) return refused
  const missing = new TestsigmaError(
    `${connection.baseUrl} has no ${UPLOADS_PATH} (HTTP 404), the uploads of ${serverName('cloud')}, so nothing ` +
      'was uploaded and no run was started. Check base-url; a self-hosted open-source server cannot take app-file.',
    refused.fault,
    refused.serverMessage
  )
  return briefly(missing, `base-url has no ${UPLOADS_PATH}`)
}
