/**
 * The simulator's Testsigma uploads (docs/testsigma-api.md §8.1): `POST /api/v1/uploads` (create, multipart),
 * `PUT /api/v1/uploads/{id}` (a new version, multipart), `GET /api/v1/uploads/{id}`,
 * `GET /api/v1/uploads?query=name:<name>` and `GET /api/v1/upload_versions?query=uploadId:<id>`, each in the shape
 * the docs show: the create and update answers nested (`latestVersionId`, `latestVersion{…}`), the upload's `GET`
 * and the name search flat (`appPath`, `version`, `uploadStatus`, `message`, `status: 1`, no `latestVersion`), the
 * versions a bare array without any status field.
 *
 * The multipart body is parsed as it arrives (busboy) and the file only counted and sniffed, never held, so a
 * 300 MB upload costs the simulator no more memory than a small one. Processing is scripted per upload: a new
 * version reads ready at once, or after a number of reads of the upload, or fails; the values it reads while
 * processing can be set (to try values the action does not know). Faults: a status answer after the body, a
 * connection dropped after so many bytes of the body, and the simulator's other faults (`faults.ts`) on the reads.
 * Where the cloud's behaviour is not documented (processing values of the nested answer, failures, error texts),
 * the choice is marked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import busboy from 'busboy'
import { Fault, serveFault } from './faults.js'
import { send } from './loopback-server.js'

/** How a new version of an upload is processed. */
export interface UploadProcessing {
  /** Reads of the upload (`GET /uploads/{id}`) that show the new version processing before it is done; default 0. */
  readyAfterReads?: number
  /**
   * Once processed, the version failed with this text: the nested answer's `errorMessage` (with `status: "FAILED"`),
   * the flat answer's `message` (with `uploadStatus: "Failed"`, the open-source word). Invented: the cloud's
   * failure is not documented (§8.3).
   */
  failWith?: string
  /**
   * What a processing version reads: the flat answer's `uploadStatus` (default `InProgress`, as the 2022–2023 docs
   * showed) and the nested answer's `status` (default `IN_PROGRESS`, invented: not documented).
   */
  processingStatus?: string
  /** Serve no status field at all (as the docs' version list has none). */
  statusless?: boolean
  /**
   * After this many reads of the upload, another version lands in it (another pipeline's upload), which the
   * upload's answers show from then on as its latest.
   */
  overtakenAfterReads?: number
}

export interface SimUploadVersion {
  id: number
  name: string | null
  fileName: string
  fileSize: number
  uploadType: string
  /** What the file's first bytes say: a zip (`PK\x03\x04`) or not. */
  zip: boolean
  /** The form's text fields as they came. */
  fields: Record<string, string>
  processing: UploadProcessing
  /** Reads of the upload since this version was made. */
  reads: number
  /** Stored through the API (not one the upload had before). */
  viaApi: boolean
}

export interface SimUpload {
  id: number
  name: string
  projectId: number
  uploadType: string
  platformType: string
  isPublic?: boolean
  versions: SimUploadVersion[]
  /** How versions added from now on are processed. */
  processing?: UploadProcessing
}

export type UploadRoute = 'upload' | 'upload-read'

/** What the simulator can do to an upload request instead of answering it. */
export type UploadFault =
  /** Close the connection once this many bytes of the request body have arrived (a drop mid-upload). */
  | { type: 'drop-mid-upload'; afterBytes: number }
  /** Read the whole body, then answer as the simulator's fault does (a status, a drop, a hang, …). */
  | Fault

/** The parts of a multipart request as the simulator saw them. */
export interface ReceivedForm {
  fields: Record<string, string>
  file?: { field: string; fileName: string; contentType: string; bytes: number; zip: boolean }
  /** The request body's bytes, as counted. */
  bodyBytes: number
}

/** A recorded uploads request (the simulator keeps it in `requests`). */
export interface UploadRequestRecord {
  method: string
  path: string
  route: UploadRoute
  headers: IncomingMessage['headers']
  form?: ReceivedForm
  at: number
}

const FIRST_UPLOAD_ID = 62
const FIRST_VERSION_ID = 5012
// Versions an upload had before the step (made "in the web page"): another range, so the API's start at 5012.
const FIRST_EARLIER_VERSION_ID = 4001
const UPLOADS = '/api/v1/uploads'
const VERSIONS = '/api/v1/upload_versions'

export class SimUploads {
  readonly uploads = new Map<number, SimUpload>()
  private readonly faults: Record<UploadRoute, UploadFault[]> = { upload: [], 'upload-read': [] }
  private nextUploadId = FIRST_UPLOAD_ID
  private nextVersionId = FIRST_VERSION_ID
  private nextEarlierVersionId = FIRST_EARLIER_VERSION_ID

  /** Adds an upload that exists before the step (with one version made in the UI). */
  add(upload: Partial<SimUpload> & Pick<SimUpload, 'name'>): SimUpload {
    const id = upload.id ?? this.nextUploadId++
    const added: SimUpload = {
      id,
      projectId: 24,
      uploadType: 'APK',
      platformType: 'TestsigmaLab',
      versions: [],
      ...upload
    }
    if (added.versions.length === 0) {
      const earlier = this.version(added, { version: 'from the web page' }, 'app.apk', 1024, true, {})
      added.versions.push({ ...earlier, id: this.nextEarlierVersionId++, viaApi: false })
      this.nextVersionId -= 1
    }
    this.uploads.set(id, added)
    this.nextUploadId = Math.max(this.nextUploadId, id + 1)
    return added
  }

  /** Serves `fault` to the next `times` requests of `route`, before any normal answer. */
  injectFault(route: UploadRoute, fault: UploadFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults[route].push(fault)
  }

  /** The versions this simulator stored through the API, in order. */
  storedVersions(): SimUploadVersion[] {
    return [...this.uploads.values()]
      .flatMap(upload => upload.versions)
      .filter(version => version.viaApi)
      .sort((a, b) => a.id - b.id)
  }

  /** Whether this module serves `path`. */
  static serves(path: string): boolean {
    return path === UPLOADS || path.startsWith(`${UPLOADS}/`) || path === VERSIONS
  }

  static routeOf(method: string): UploadRoute {
    return method === 'GET' ? 'upload-read' : 'upload'
  }

  /**
   * Answers one request whose path `serves` accepts. `authorized` is the simulator's key check; `record` keeps the
   * request (once its form is read, for uploads).
   */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    authorized: boolean,
    record: (entry: UploadRequestRecord) => void
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator')
    const method = request.method ?? 'GET'
    const route = SimUploads.routeOf(method)
    const fault = this.faults[route].shift()
    const entry: UploadRequestRecord = { method, path: url.pathname, route, headers: request.headers, at: Date.now() }
    if (route === 'upload-read') {
      record(entry)
      request.resume()
      if (fault !== undefined && fault.type !== 'drop-mid-upload' && (await serveFault(fault, response))) return
      if (!authorized) return send(response, 401, 'Unauthorized: invalid API key', 'application/json')
      return this.read(url, response)
    }
    const form = await receiveForm(request, fault?.type === 'drop-mid-upload' ? fault.afterBytes : undefined)
    record({ ...entry, form })
    if (fault?.type === 'drop-mid-upload') return
    if (fault !== undefined && (await serveFault(fault, response))) return
    if (!authorized) return send(response, 401, 'Unauthorized: invalid API key', 'application/json')
    if (form === undefined) return sendError(response, 400, 'Current request is not a multipart request')
    return this.store(method, url.pathname, form, response)
  }

  private read(url: URL, response: ServerResponse): void {
    const query = url.searchParams.get('query') ?? ''
    if (url.pathname === VERSIONS) {
      // A bare array of flat versions without any status field (D-upload).
      const uploadId = Number(/^uploadId:(\d+)$/.exec(query)?.[1])
      const upload = this.uploads.get(uploadId)
      return sendJson(response, 200, upload === undefined ? [] : upload.versions.map(v => this.listedVersionJson(v)))
    }
    if (url.pathname === UPLOADS) {
      // The docs show the flat upload itself for one match. For none or several they show nothing: the simulator
      // answers a Spring page, as the open-source server does (§8.2).
      const name = /^name:(.*)$/s.exec(query)?.[1]
      const found = [...this.uploads.values()].filter(upload => name === undefined || upload.name === name)
      if (name !== undefined && found.length === 1) return sendJson(response, 200, this.flatJson(found[0]))
      return sendJson(response, 200, {
        content: found.map(upload => this.flatJson(upload)),
        totalElements: found.length
      })
    }
    const upload = this.uploads.get(Number(url.pathname.slice(UPLOADS.length + 1)))
    if (upload === undefined) return sendError(response, 404, `Couldn't find upload version with id: ${url.pathname}`)
    const latest = upload.versions[upload.versions.length - 1]
    latest.reads += 1
    const { overtakenAfterReads } = latest.processing
    if (overtakenAfterReads !== undefined && latest.reads >= overtakenAfterReads) {
      const other = this.version(upload, { version: 'another pipeline' }, latest.fileName, latest.fileSize, true, {})
      upload.versions.push({ ...other, viaApi: false })
    }
    return sendJson(response, 200, this.flatJson(upload))
  }

  private store(method: string, path: string, form: ReceivedForm, response: ServerResponse): void {
    const missing = ['projectId', 'name', 'uploadType', 'platformType'].filter(field => !form.fields[field])
    if (form.file === undefined) missing.push('fileContent')
    if (missing.length > 0) return sendError(response, 400, `Missing required fields: ${missing.join(', ')}`)
    const file = form.file as NonNullable<ReceivedForm['file']>
    let upload: SimUpload | undefined
    if (method === 'POST' && path === UPLOADS) {
      upload = {
        id: this.nextUploadId++,
        name: form.fields.name,
        projectId: Number(form.fields.projectId),
        uploadType: form.fields.uploadType,
        platformType: form.fields.platformType,
        versions: []
      }
      this.uploads.set(upload.id, upload)
    } else if (method === 'PUT' && /^\/api\/v1\/uploads\/\d+$/.test(path)) {
      upload = this.uploads.get(Number(path.slice(UPLOADS.length + 1)))
      if (upload === undefined) return sendError(response, 404, `Couldn't find upload version with id: ${path}`)
      // The update overwrites the name (docs §8.2).
      upload.name = form.fields.name
    } else {
      return sendError(response, 405, `${method} method is not supported for this request`)
    }
    const version = this.version(upload, form.fields, file.fileName, file.bytes, file.zip, upload.processing ?? {})
    upload.versions.push(version)
    return sendJson(response, 200, this.nestedJson(upload))
  }

  private version(
    upload: SimUpload,
    fields: Record<string, string>,
    fileName: string,
    fileSize: number,
    zip: boolean,
    processing: UploadProcessing
  ): SimUploadVersion {
    return {
      id: this.nextVersionId++,
      name: fields.version ?? null,
      fileName,
      fileSize,
      uploadType: fields.uploadType ?? upload.uploadType,
      zip,
      fields,
      processing,
      reads: 0,
      viaApi: true
    }
  }

  /** The create and update answer (§8.1, D-upload): nested, the new version in `latestVersion`. */
  private nestedJson(upload: SimUpload): Record<string, unknown> {
    const latest = upload.versions[upload.versions.length - 1]
    return {
      id: upload.id,
      createdById: 10,
      updatedById: 10,
      createdDate: CREATED_AT,
      updatedDate: CREATED_AT,
      name: upload.name,
      latestVersionId: latest?.id ?? null,
      latestVersion: latest === undefined ? null : this.nestedVersionJson(upload, latest),
      versions: null,
      supportedDeviceType: null,
      isFlutter: false
    }
  }

  private nestedVersionJson(upload: SimUpload, version: SimUploadVersion): Record<string, unknown> {
    const { processing } = version
    const state = stateOf(version)
    // Not documented while processing or after a failure: IN_PROGRESS and FAILED are the simulator's (§8.3).
    const statuses = processing.statusless
      ? {}
      : {
          status:
            state === 'failed'
              ? 'FAILED'
              : state === 'ready'
                ? 'SUCCESS'
                : (processing.processingStatus ?? 'IN_PROGRESS'),
          signStatus: 'NONE'
        }
    return {
      id: version.id,
      createdById: 10,
      updatedById: 10,
      name: version.name,
      path: pathOf(upload, version),
      fileName: version.fileName,
      uploadType: version.uploadType,
      fileSize: version.fileSize,
      preSignedURL: null,
      signed: false,
      errorMessage: state === 'failed' ? processing.failWith : null,
      uploadName: upload.name,
      uploadId: upload.id,
      ...statuses
    }
  }

  /**
   * `GET /uploads/{id}` and the name search (§8.1, D-upload "GET Upload API"): flat, the upload with its latest
   * version's file; no `latestVersion`, no version id but the one in `appPath` (inferred: the docs' own sample path
   * predates versions, §8.1).
   */
  private flatJson(upload: SimUpload): Record<string, unknown> {
    const latest = upload.versions[upload.versions.length - 1]
    const processing = latest?.processing ?? {}
    const state = latest === undefined ? 'ready' : stateOf(latest)
    const statuses = processing.statusless
      ? {}
      : {
          uploadStatus:
            state === 'failed'
              ? 'Failed'
              : state === 'ready'
                ? 'Completed'
                : (processing.processingStatus ?? 'InProgress'),
          status: 1
        }
    const messages = { ready: 'Uploaded successfully', processing: 'Upload in progress', failed: processing.failWith }
    return {
      id: upload.id,
      projectId: upload.projectId,
      createdById: 10,
      updatedById: 10,
      createdDate: CREATED_AT,
      updatedDate: CREATED_AT,
      name: upload.name,
      appPath: latest === undefined ? null : pathOf(upload, latest),
      fileName: latest?.fileName ?? null,
      uploadType: upload.uploadType,
      version: latest?.name ?? null,
      testsigmaAppId: null,
      testsigmaSauceLabsAppId: null,
      browserStackAppId: null,
      sauceLabsAppId: null,
      platformType: upload.platformType,
      isPublic: upload.isPublic ?? null,
      comments: null,
      message: processing.statusless ? null : messages[state],
      nameFromApp: null,
      versionFromApp: null,
      fileSize: latest?.fileSize ?? null,
      preSignedURL: null,
      signed: false,
      ...statuses
    }
  }

  /** One item of `GET /upload_versions` (D-upload): flat, no status of any kind. */
  private listedVersionJson(version: SimUploadVersion): Record<string, unknown> {
    const upload = [...this.uploads.values()].find(candidate => candidate.versions.includes(version))
    return {
      id: version.id,
      createdById: 10,
      updatedById: 10,
      createdDate: CREATED_AT,
      updatedDate: CREATED_AT,
      name: version.name,
      appPath: upload === undefined ? null : pathOf(upload, version),
      fileName: version.fileName,
      uploadType: version.uploadType,
      testsigmaAppId: null,
      testsigmaSauceLabsAppId: null,
      browserStackAppId: null,
      sauceLabsAppId: null,
      fileSize: version.fileSize,
      preSignedURL: null,
      signed: false
    }
  }
}

// The docs' sample dates (D-upload); nothing reads them.
const CREATED_AT = 1681974022556
// The docs' create sample's account (D-upload: "46091/uploads/24/68/example.png").
const ACCOUNT = 46091

/** Where a version's file is: `<account>/uploads/<project id>/<version id>/<file>` (§8.1, "Copy Path"). */
function pathOf(upload: SimUpload, version: SimUploadVersion): string {
  return `${ACCOUNT}/uploads/${upload.projectId}/${version.id}/${version.fileName}`
}

/** Processing, then ready or failed once the upload was read `readyAfterReads` times since the version came. */
function stateOf(version: SimUploadVersion): 'processing' | 'ready' | 'failed' {
  const { processing } = version
  if (version.reads < (processing.readyAfterReads ?? 0)) return 'processing'
  return processing.failWith === undefined ? 'ready' : 'failed'
}

/**
 * Reads a multipart body as it arrives, keeping the text fields and only counting the file. With `dropAfterBytes`,
 * closes the connection once that many bytes came, and resolves without a form. Resolves undefined for a body that
 * is not multipart or does not parse.
 */
async function receiveForm(request: IncomingMessage, dropAfterBytes?: number): Promise<ReceivedForm | undefined> {
  let bodyBytes = 0
  request.on('data', (chunk: Buffer) => {
    bodyBytes += chunk.length
    if (dropAfterBytes !== undefined && bodyBytes >= dropAfterBytes) request.socket.destroy()
  })
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: request.headers })
  } catch {
    request.resume()
    await new Promise(resolve => request.once('end', resolve).once('close', resolve))
    return undefined
  }
  const form: ReceivedForm = { fields: {}, bodyBytes: 0 }
  parser.on('field', (name, value) => (form.fields[name] = value))
  parser.on('file', (field, stream, info) => {
    const file = { field, fileName: info.filename ?? '', contentType: info.mimeType, bytes: 0, zip: false }
    let head = Buffer.alloc(0)
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)])
      file.bytes += chunk.length
    })
    stream.on('end', () => (file.zip = head.length === 4 && head.readUInt32LE(0) === 0x04034b50))
    form.file = file
  })
  const parsed = await new Promise<boolean>(resolve => {
    parser.once('close', () => resolve(true))
    parser.once('error', () => resolve(false))
    // A connection that closed before the whole body came (dropped, or reset by the client).
    request.once('close', () => {
      if (!request.complete) resolve(false)
    })
    request.pipe(parser)
  })
  form.bodyBytes = bodyBytes
  return parsed && dropAfterBytes === undefined ? form : undefined
}

/** Testsigma's error DTO (§7). */
function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { timeStamp: null, error: message, code: null, fieldErrors: null, objectErrors: null })
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json')
}
