/**
 * `app-file` may name its file with `*`: `app/build/outputs/apk/release/*.apk` finds `app-release.apk` or, without a
 * signing config, Gradle's `app-release-unsigned.apk`. The syntax is deliberately small, and pure here:
 *
 * - `*` stands for any run of characters (none included) in the file name, the last part of the path;
 * - nothing else is special (`?`, `[`, `{` are characters of the name), the folder is written out, and case counts;
 * - a name that starts with `.` matches only a pattern that does too.
 *
 * Why not a glob library: Node 20 has no `fs.glob`, and build tools write to known folders, so only the file name
 * varies. One folder is read, never a tree (a `**` over the workspace would walk node_modules and Gradle's caches),
 * and a small syntax has no corners (braces, classes, dot files) for people to guess at. The folder is read by
 * `find-app-file.ts`.
 */

export const WILDCARD = '*'

/** A good value, for the messages. */
export const PATTERN_EXAMPLE = 'app/build/outputs/apk/release/*.apk'

/** Why `text` (an `app-file` as written) is not a usable pattern: a `*` in a folder; undefined when it is fine. */
export function wildcardProblem(text: string): string | undefined {
  const folders = text.split(/[\\/]/).slice(0, -1)
  const wild = folders.find(folder => folder.includes(WILDCARD))
  if (wild === undefined) return undefined
  return (
    `has a * in a folder (${JSON.stringify(wild)}): a * may stand only in the file name, the last part of the ` +
    'path, so name the folder the build writes to'
  )
}

/** Whether the file name of `text` has a `*`. */
export function isPattern(text: string): boolean {
  return (text.split(/[\\/]/).pop() ?? '').includes(WILDCARD)
}

/**
 * Whether `name` matches `pattern` (a file name with `*`s): the first piece starts it, the last ends it, and the
 * others come in order between, each at its leftmost place (which is exact for `*` alone, and linear in time).
 */
export function matchesPattern(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false
  const pieces = pattern.split(WILDCARD)
  if (pieces.length === 1) return pattern === name
  const first = pieces[0]
  const last = pieces[pieces.length - 1]
  if (first.length + last.length > name.length || !name.startsWith(first) || !name.endsWith(last)) return false
  const end = name.length - last.length
  let at = first.length
  for (const piece of pieces.slice(1, -1)) {
    const found = name.indexOf(piece, at)
    if (found === -1 || found + piece.length > end) return false
    at = found + piece.length
  }
  return true
}
