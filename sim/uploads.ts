/**
 * The simulator's Testsigma uploads (docs/testsigma-api.md §8.1): `POST /api/v1/uploads` (create, multipart),
 * `PUT /api/v1/uploads/{id}` (a new version, multipart), `GET /api/v1/uploads/{id}`,
 * `GET /api/v1/uploads?query=name:<name>` and `GET /api/v1/upload_versions?query=uploadId:<id>`.
 *
 * The multipart body is parsed as it arrives (busboy) and the file only counted and sniffed, never held, so a
 * 300 MB upload costs the simulator no more memory than a small one. Processing is scripted per upload: a new
 * version reads ready at once, or after a number of reads of the upload, or fails with an `errorMessage`; the values
 * it reads while processing can be set (to try values the action does not know). Faults: a status answer after the
 * body, a connection dropped after so many bytes of the body, and the simulator's other faults (`faults.ts`) on the
 * reads. Where the cloud's behaviour is not documented (processing values, error texts), the choice is marked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import busboy from 'busboy'
import { Fault, serveFault } from './faults.js'
import { send } from './loopback-server.js'

/** How a new version of an upload is processed. */
export interface UploadProcessing {
  /** Reads of the upload (`GET /uploads/{id}`) that show the new version processing before it is done; default 0. */
  readyAfterReads?: number
  /** Once processed, the version failed with this `errorMessage` (and `status: "FAILED"`, invented: §8.3). */
  failWith?: string
  /** What `status` reads while processing; default `IN_PROGRESS` (invented: the cloud's value is not documented). */
  processingStatus?: string
  /** Serve no status field at all (as the docs' version list has none). */
  statusless?: boolean
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
      const uploadId = Number(/^uploadId:(\d+)$/.exec(query)?.[1])
      const upload = this.uploads.get(uploadId)
      return sendJson(response, 200, upload === undefined ? [] : upload.versions.map(v => this.versionJson(v)))
    }
    if (url.pathname === UPLOADS) {
      // The open-source server answers a Spring page; the docs show one object (§8.1). The simulator pages.
      const name = /^name:(.*)$/s.exec(query)?.[1]
      const found = [...this.uploads.values()].filter(upload => name === undefined || upload.name === name)
      return sendJson(response, 200, {
        content: found.map(upload => this.uploadJson(upload)),
        totalElements: found.length
      })
    }
    const upload = this.uploads.get(Number(url.pathname.slice(UPLOADS.length + 1)))
    if (upload === undefined) return sendError(response, 404, `Couldn't find upload version with id: ${url.pathname}`)
    const latest = upload.versions[upload.versions.length - 1]
    latest.reads += 1
    return sendJson(response, 200, this.uploadJson(upload))
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
    return sendJson(response, 200, this.uploadJson(upload))
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

  /** The create/update answer's shape (§8.1), with the older shape's project fields beside it. */
  private uploadJson(upload: SimUpload): Record<string, unknown> {
    const latest = upload.versions[upload.versions.length - 1]
    return {
      id: upload.id,
      projectId: upload.projectId,
      createdById: 10,
      updatedById: 10,
      name: upload.name,
      uploadType: upload.uploadType,
      platformType: upload.platformType,
      isPublic: upload.isPublic ?? null,
      latestVersionId: latest?.id ?? null,
      latestVersion: latest === undefined ? null : this.versionJson(latest),
      versions: null,
      supportedDeviceType: null,
      isFlutter: false
    }
  }

  private versionJson(version: SimUploadVersion): Record<string, unknown> {
    const { processing } = version
    const done = version.reads >= (processing.readyAfterReads ?? 0)
    const failed = done && processing.failWith !== undefined
    const statuses = processing.statusless
      ? {}
      : {
          status: failed ? 'FAILED' : done ? 'SUCCESS' : (processing.processingStatus ?? 'IN_PROGRESS'),
          signStatus: 'NONE'
        }
    return {
      id: version.id,
      name: version.name,
      path: `46091/uploads/24/${version.id}/${version.fileName}`,
      fileName: version.fileName,
      uploadType: version.uploadType,
      fileSize: version.fileSize,
      preSignedURL: null,
      signed: false,
      errorMessage: failed ? processing.failWith : null,
      ...statuses
    }
  }
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
