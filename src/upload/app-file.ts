import { open, realpath, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { InputFileError, isInside } from '../workspace.js'
import {
  AppKind,
  appKindOf,
  centralDirectoryNames,
  HEAD_BYTES,
  locateCentralDirectory,
  readZip64Record,
  startsLikeZip,
  TAIL_BYTES,
  ZIP64_RECORD_BYTES
} from './archive.js'

/** `app-file` as the user wrote it, resolved in the workspace (`config.ts`). */
export interface AppFileTarget {
  /** As the user wrote it (relative to the workspace). */
  path: string
  absolutePath: string
  /** GITHUB_WORKSPACE: the file must really be inside it. */
  workspace: string
}

/** An app file that passed every check: what the upload sends, and what it says about it. */
export interface AppArchive {
  /** As the user wrote it. */
  path: string
  /** Where it really is (links resolved): what the upload reads. */
  realPath: string
  /** Its name, sent as the file part's name. */
  fileName: string
  size: number
  kind: AppKind
}

/**
 * Checks `app-file` before anything is sent: it exists, its real path (links resolved, as the JUnit report's is) is
 * inside the workspace's, it is a readable, non-empty regular file, and its content is an APK or an IPA. Reads only
 * the first bytes, the end and the zip's directory, never the whole file. Throws an `InputFileError` of `app-file` saying what is wrong.
 */
export async function inspectAppFile(target: AppFileTarget): Promise<AppArchive> {
  const named = `app-file ${JSON.stringify(target.path)}`
  const root = await realpath(target.workspace)
  let realPath: string
  try {
    realPath = await realpath(target.absolutePath)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputFileError(
        'app-file',
        `${named} does not exist (looked for ${target.absolutePath}). Check the path, relative to the workspace, ` +
          'and that the build step before this one produced the file'
      )
    }
    throw new InputFileError('app-file', `${named} cannot be read (${code ?? String(error)})`)
  }
  if (!isInside(root, realPath)) {
    throw new InputFileError(
      'app-file',
      `${named} is really ${realPath}, outside the workspace ${root} (a symbolic link on the way); only files ` +
        'inside the workspace are uploaded'
    )
  }
  // Checked before opening: opening a named pipe for reading would wait for a writer.
  const found = await stat(realPath)
  if (found.isDirectory())
    throw new InputFileError('app-file', `${named} is a folder; name the .apk or .ipa file in it`)
  if (!found.isFile()) throw new InputFileError('app-file', `${named} is not a regular file`)
  let file: FileHandle
  try {
    file = await open(realPath, 'r')
  } catch (error) {
    throw new InputFileError(
      'app-file',
      `${named} cannot be read (${(error as { code?: string }).code ?? String(error)})`
    )
  }
  try {
    const stats = await file.stat()
    if (stats.size === 0)
      throw new InputFileError('app-file', `${named} is empty (0 bytes): the build did not finish writing it`)
    const kind = await readKind(file, stats.size)
    if ('refused' in kind)
      throw new InputFileError('app-file', `${named} cannot be uploaded as an app: ${kind.refused}`)
    return { path: target.path, realPath, fileName: path.basename(realPath), size: stats.size, kind: kind.kind }
  } catch (error) {
    if (error instanceof InputFileError) throw error
    throw new InputFileError(
      'app-file',
      `${named} cannot be read (${(error as { code?: string }).code ?? String(error)})`
    )
  } finally {
    await file.close()
  }
}

async function readKind(file: FileHandle, size: number): Promise<{ kind: AppKind } | { refused: string }> {
  if (!startsLikeZip(await readAt(file, 0, HEAD_BYTES))) {
    return { refused: 'it is not a zip archive (APK and IPA files are), judged by its first bytes' }
  }
  const tailLength = Math.min(size, TAIL_BYTES)
  let located = locateCentralDirectory(await readAt(file, size - tailLength, tailLength), size)
  if ('zip64RecordAt' in located) {
    located = readZip64Record(await readAt(file, located.zip64RecordAt, ZIP64_RECORD_BYTES), located.zip64RecordAt)
  }
  if ('refused' in located) return located
  if (!('found' in located)) return { refused: 'it is not a zip archive (a ZIP64 end that leads to another)' }
  const directory = await readAt(file, located.found.offset, located.found.size)
  return appKindOf(centralDirectoryNames(directory))
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await file.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}
