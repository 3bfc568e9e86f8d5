/**
 * `app-file` on disk, before anything is sent: a pattern (`app-file-pattern.ts`) becomes the one file it matches in
 * its folder, and that file is checked as any `app-file` is (`app-file.ts`). No match, or several, is refused with
 * their names. Loaded only for an app build.
 */
import { readdir, realpath } from 'node:fs/promises'
import path from 'node:path'
import { InputFileError, isInside } from '../workspace.js'
import { AppArchive, AppFileTarget, inspectAppFile } from './app-file.js'
import { isPattern, matchesPattern } from './app-file-pattern.js'

// Names a message lists, at most: enough to spot the one meant, without flooding the log.
const NAMES_SHOWN = 10

/** The app build `target` names, checked: the one file a pattern matches, or the file itself. */
export async function inspectAppBuild(target: AppFileTarget): Promise<AppArchive> {
  return inspectAppFile(await resolveAppFile(target))
}

/**
 * The file `target` names: itself when its name has no `*`, else the one file in its folder that the name matches.
 * The folder must really be inside the workspace (links resolved) before it is read, so no name from outside the
 * workspace reaches the log. Throws an `InputFileError` of `app-file` for no match or several, naming them.
 */
export async function resolveAppFile(target: AppFileTarget): Promise<AppFileTarget> {
  if (!isPattern(target.path)) return target
  const named = `app-file ${JSON.stringify(target.path)}`
  const pattern = path.basename(target.absolutePath)
  const folder = path.dirname(target.absolutePath)
  const written = path.dirname(target.path)
  const shown = JSON.stringify(written === '.' ? '(the workspace)' : written)
  let realFolder: string
  try {
    realFolder = await realpath(folder)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputFileError(
        'app-file',
        `${named} matches no file: its folder ${shown} does not exist (looked for ${folder}). Check the path, ` +
          'relative to the workspace, and that the build step before this one produced the file'
      )
    }
    throw new InputFileError('app-file', `${named}: its folder cannot be read (${code ?? String(error)})`)
  }
  const root = await realpath(target.workspace)
  if (!isInside(root, realFolder)) {
    throw new InputFileError(
      'app-file',
      `${named}: its folder is really ${realFolder}, outside the workspace ${root} (a symbolic link on the way); ` +
        'only files inside the workspace are uploaded'
    )
  }
  let entries: Array<{ name: string; folder: boolean }>
  try {
    const listed = await readdir(realFolder, { withFileTypes: true })
    entries = listed.map(entry => ({ name: entry.name, folder: entry.isDirectory() }))
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputFileError('app-file', `${named}: its folder cannot be read (${code ?? String(error)})`)
  }
  const matches = entries
    .filter(entry => !entry.folder && matchesPattern(pattern, entry.name))
    .map(entry => entry.name)
    .sort()
  if (matches.length === 1) {
    return { ...target, path: path.join(written, matches[0]), absolutePath: path.join(folder, matches[0]) }
  }
  if (matches.length === 0) {
    const held = entries.map(entry => entry.name).sort()
    const holds = held.length === 0 ? 'it is empty' : `it holds ${listOf(held)}`
    throw new InputFileError(
      'app-file',
      `${named} matches no file in ${shown} (${holds}). A * stands for any characters in the file name; check the ` +
        'name the build step gives the file'
    )
  }
  throw new InputFileError(
    'app-file',
    `${named} matches ${matches.length} files in ${shown} (${listOf(matches)}), and one build is uploaded: name ` +
      'the file, or make the pattern narrower'
  )
}

/** `"a.apk", "b.apk" and 3 more`. */
function listOf(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map(name => JSON.stringify(name))
  const more = names.length - shown.length
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
}
