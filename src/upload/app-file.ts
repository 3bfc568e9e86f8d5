import { constants } from 'node:fs'
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

/** An app file that passed every check, still open: what the upload sends, and what it says about it. */
export interface AppArchive {
  /** As the user wrote it. */
  path: string
  /** Where it really was when checked (links resolved). */
  realPath: string
  /** Its name, sent as the file part's name. */
  fileName: string
  size: number
  kind: AppKind
  /**
   * The file as it was opened and checked: the upload streams from this, never from its path again, so a path
   * swapped for a link after the check cannot send another file. `closeAppFile` closes it.
   */
  file: FileHandle
}

// Not blocking on open: a named pipe would otherwise wait for a writer (it is refused by its type right after).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/**
 * Checks `app-file` before anything is sent, on the file as opened once: it is a readable, non-empty regular file
 * (`fstat` of the open descriptor), its real path (links resolved, as the JUnit report's is) is inside the
 * workspace's and still leads to that same file, and its content is an APK or an IPA. Reads only the first bytes,
 * the end and the zip's directory, never the whole file. Returns it still open, for the upload to stream from.
 * Throws an `InputFileError` of `app-file` saying what is wrong (the file closed).
 */
export async function inspectAppFile(target: AppFileTarget): Promise<AppArchive> {
  const named = `app-file ${JSON.stringify(target.path)}`
  const root = await realpath(target.workspace)
  let file: FileHandle
  try {
    file = await open(target.absolutePath, OPEN_FLAGS)
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
  try {
    const stats = await file.stat()
    if (stats.isDirectory()) {
      throw new InputFileError('app-file', `${named} is a folder; name the .apk or .ipa file in it`)
    }
    if (!stats.isFile()) throw new InputFileError('app-file', `${named} is not a regular file`)
    const realPath = await openedPath(file, target.absolutePath, named)
    if (!isInside(root, realPath)) {
      throw new InputFileError(
        'app-file',
        `${named} is really ${realPath}, outside the workspace ${root} (a symbolic link on the way); only files ` +
          'inside the workspace are uploaded'
      )
    }
    if (stats.size === 0) {
      throw new InputFileError('app-file', `${named} is empty (0 bytes): the build did not finish writing it`)
    }
    const kind = await readKind(file, stats.size)
    if ('refused' in kind) {
      throw new InputFileError('app-file', `${named} cannot be uploaded as an app: ${kind.refused}`)
    }
    return { path: target.path, realPath, fileName: path.basename(realPath), size: stats.size, kind: kind.kind, file }
  } catch (error) {
    await file.close()
    if (error instanceof InputFileError) throw error
    throw new InputFileError(
      'app-file',
      `${named} cannot be read (${(error as { code?: string }).code ?? String(error)})`
    )
  }
}

/** Closes the file `inspectAppFile` opened; never throws (the step is over with it either way). */
export async function closeAppFile(archive: AppArchive | undefined): Promise<void> {
  await archive?.file.close().catch(() => undefined)
}

/**
 * Where the open file really is: the real path of its name, provided that path still leads to the very file that
 * is open (same device and inode, as `fstat` says). Otherwise the name was moved to another file between the open
 * and this check, and which one is inside the workspace cannot be told.
 */
async function openedPath(file: FileHandle, absolutePath: string, named: string): Promise<string> {
  const realPath = await realpath(absolutePath)
  const [opened, found] = await Promise.all([file.stat({ bigint: true }), stat(realPath, { bigint: true })])
  if (opened.dev !== found.dev || opened.ino !== found.ino) {
    throw new InputFileError(
      'app-file',
      `${named} changed while it was checked (its path now leads to another file); nothing was uploaded. Check ` +
        'that no other step writes it at the same time'
    )
  }
  return realPath
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
