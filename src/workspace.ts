import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, readlink, realpath, rename, rm } from 'node:fs/promises'
import path from 'node:path'

/** Where the JUnit report goes: the path as the user wrote it, resolved in the workspace. */
export interface ReportTarget {
  /** As the user wrote it (relative to the workspace). */
  path: string
  absolutePath: string
  /** GITHUB_WORKSPACE: nothing is written outside its real location. */
  workspace: string
}

/** The target would lead outside the workspace (through a symbolic link), or cannot be a file. */
/**
 * A file input the file system or the file's content refused: a `junit-report` path that would leave the workspace,
 * an `app-file` that is missing, unreadable, outside the workspace or not an app. Named by its input, so the step's
 * message and summary say which one.
 */
export class InputFileError extends Error {
  constructor(
    readonly input: 'junit-report' | 'app-file',
    message: string
  ) {
    super(message)
    this.name = 'InputFileError'
  }
}

/**
 * Checks that the report can be written at `target` without leaving the workspace: the real location of
 * the deepest folder that exists on the way must be inside the workspace's real location (a symbolic link
 * in the workspace may lead anywhere), and the target itself must not be a symbolic link or a folder.
 * Throws `InputFileError` saying what is in the way. Returns the target's real folder.
 */
export async function checkReportTarget(target: ReportTarget): Promise<string> {
  const root = await realLocation(target.workspace, target)
  const folder = await realLocation(path.dirname(target.absolutePath), target)
  if (!isInside(root, folder)) {
    throw new InputFileError(
      'junit-report',
      `junit-report ${JSON.stringify(target.path)} leads outside the workspace: its folder is really ${folder}, ` +
        `outside ${root} (a symbolic link on the way). Use a path inside the workspace that no link leads out of`
    )
  }
  const existing = await lstatOrUndefined(target.absolutePath)
  if (existing?.isSymbolicLink() === true) {
    throw new InputFileError(
      'junit-report',
      `junit-report ${JSON.stringify(target.path)} is a symbolic link (to ${await readlink(target.absolutePath)}); ` +
        'the report is never written through a link. Remove the link or choose another path'
    )
  }
  if (existing?.isDirectory() === true) {
    throw new InputFileError(
      'junit-report',
      `junit-report ${JSON.stringify(target.path)} is a folder; name a file in it`
    )
  }
  return folder
}

/** Whether `place` is `root` or below it (both real paths: a link on the way is for the caller to resolve). */
export function isInside(root: string, place: string): boolean {
  const relative = path.relative(root, place)
  return !relative.startsWith('..') && !path.isAbsolute(relative)
}

/**
 * Writes the JUnit report at `target`, creating the folders on the way, never outside the workspace and
 * never through a symbolic link: checked as `checkReportTarget` does (again after creating the folders),
 * written to a new temporary file beside it (created exclusively, not following links) and renamed into
 * place, which replaces whatever name is there without following it.
 */
export async function writeReportFile(target: ReportTarget, text: string): Promise<void> {
  await checkReportTarget(target)
  await mkdir(path.dirname(target.absolutePath), { recursive: true })
  const folder = await checkReportTarget(target)
  const name = path.basename(target.absolutePath)
  const temporary = path.join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`)
  // O_NOFOLLOW is not defined on Windows, where creating a link needs privileges the job rarely has.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)
  const file = await open(temporary, flags, 0o644)
  try {
    try {
      await file.writeFile(text, 'utf8')
    } finally {
      await file.close()
    }
    await rename(temporary, path.join(folder, name))
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * The real location of `place`: the real path of its deepest part that exists, with the parts that do not
 * exist yet (and so hold no link) added after it. A link that leads nowhere is refused.
 */
async function realLocation(place: string, target: ReportTarget): Promise<string> {
  const missing: string[] = []
  let existing = path.resolve(place)
  for (;;) {
    const stats = await lstatOrUndefined(existing)
    if (stats !== undefined) break
    const parent = path.dirname(existing)
    if (parent === existing) break
    missing.unshift(path.basename(existing))
    existing = parent
  }
  let real: string
  try {
    real = await realpath(existing)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputFileError(
      'junit-report',
      `junit-report ${JSON.stringify(target.path)} cannot be written: ${existing} is ` +
        (code === 'ENOENT' ? 'a symbolic link that leads nowhere' : `unreadable (${code ?? String(error)})`)
    )
  }
  return path.join(real, ...missing)
}

async function lstatOrUndefined(place: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(place)
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT' || (error as { code?: string }).code === 'ENOTDIR')
      return undefined
    throw error
  }
}
