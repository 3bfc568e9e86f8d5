/**
 * A multipart/form-data body (RFC 7578) of text fields and one file, streamed with its exact length known before
 * the first byte: the fields and the file part's header are a few hundred bytes built here, the file is read as it
 * is sent. Its own small writer rather than a library: all it needs is this layout, and the `form-data` package
 * computes a known length only when told each stream's size, adds a dependency to the bundle for ~40 lines, and
 * does not check that the file still has the size it declared.
 */
import { Readable } from 'node:stream'

export interface MultipartFile {
  /** The form field that carries the file (Testsigma's `fileContent`). */
  field: string
  fileName: string
  contentType: string
  /** Bytes the file has now; the body declares this many and refuses to send another number. */
  size: number
}

export interface MultipartLayout {
  /** The request's `Content-Type`, with the boundary. */
  contentType: string
  /** Every text field and the file part's header. */
  head: Buffer
  /** The end after the file. */
  tail: Buffer
  /** head + file + tail, in bytes: the request's `Content-Length`. */
  contentLength: number
}

const CRLF = '\r\n'

/**
 * The body's parts around the file, for `fields` (in order) and `file`. `boundary` is random (the caller's
 * `randomBytes`), 1 to 70 characters of letters, digits, `-`, `_` and `.`.
 */
export function multipartLayout(
  fields: ReadonlyArray<readonly [string, string]>,
  file: MultipartFile,
  boundary: string
): MultipartLayout {
  if (!/^[A-Za-z0-9._-]{1,70}$/.test(boundary)) throw new Error(`not a usable multipart boundary: ${boundary}`)
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(name)}"${CRLF}${CRLF}${value}${CRLF}`
  )
  parts.push(
    `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(file.field)}"; ` +
      `filename="${escapeName(file.fileName)}"${CRLF}Content-Type: ${file.contentType}${CRLF}${CRLF}`
  )
  const head = Buffer.from(parts.join(''), 'utf8')
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8')
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head,
    tail,
    contentLength: head.length + file.size + tail.length
  }
}

/** A field or file name inside quotes, escaped as browsers do (WHATWG HTML's form encoding): `"`, CR and LF. */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** The file changed size between the check and the upload: the declared length would be a lie. */
export class FileChangedError extends Error {
  constructor(fileName: string, declared: number, read: number) {
    super(`${fileName} changed while it was being uploaded (${declared} bytes when checked, ${read} read)`)
    this.name = 'FileChangedError'
  }
}

/**
 * The body as a stream: `layout.head`, the file's bytes from `openFile()` (exactly `size` of them, or the stream
 * fails with `FileChangedError`), `layout.tail`. `onBytes` hears of every piece handed on, with the running total.
 */
export function multipartStream(
  layout: MultipartLayout,
  file: Pick<MultipartFile, 'fileName' | 'size'>,
  openFile: () => Readable,
  onBytes?: (sent: number) => void
): Readable {
  async function* pieces(): AsyncGenerator<Buffer> {
    let sent = 0
    const handOn = (piece: Buffer): Buffer => {
      sent += piece.length
      onBytes?.(sent)
      return piece
    }
    yield handOn(layout.head)
    let read = 0
    for await (const chunk of openFile()) {
      const piece = chunk as Buffer
      read += piece.length
      if (read > file.size) throw new FileChangedError(file.fileName, file.size, read)
      yield handOn(piece)
    }
    if (read !== file.size) throw new FileChangedError(file.fileName, file.size, read)
    yield handOn(layout.tail)
  }
  return Readable.from(pieces(), { objectMode: false })
}
