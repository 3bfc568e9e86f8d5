/**
 * What kind of app a file is, by its content: APK and IPA files are zip archives, told apart by the names in the
 * zip's central directory (an APK has `AndroidManifest.xml` at its root, an IPA has `Payload/<name>.app/`). Pure:
 * the caller reads the bytes these functions ask for (`app-file.ts`), so no more than the first bytes, the end
 * of the file and the central directory are ever in memory.
 */

/** Testsigma's `uploadType` for each kind (docs/testsigma-api.md §8). */
export type AppKind = 'APK' | 'IPA'

/** Where the central directory is, read from the zip's end record. */
export interface CentralDirectoryPlace {
  offset: number
  size: number
  entries: number
}

/** The answer of `locateCentralDirectory`: the place, a ZIP64 record to read first, or why the file is no zip. */
export type Located = { found: CentralDirectoryPlace } | { zip64RecordAt: number } | { refused: string }

/** The end record, the ZIP64 locator before it, and the longest comment: the most of a file's end ever needed. */
export const TAIL_BYTES = 22 + 20 + 0xffff
/** The first bytes: a local file header's signature. */
export const HEAD_BYTES = 4
/** The ZIP64 end record's fixed part. */
export const ZIP64_RECORD_BYTES = 56
/**
 * A central directory larger than this is refused rather than read: an IPA with 20,000 files has one of a few MiB.
 * It bounds the memory the check takes, whatever the file.
 */
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024

const LOCAL_HEADER = 0x04034b50
const END_RECORD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_END_RECORD = 0x06064b50
const CENTRAL_ENTRY = 0x02014b50
const NOT_A_ZIP = 'it is not a zip archive, and APK and IPA files are zip archives'

/** Whether the file starts as a zip archive does (a local file header), from its first `HEAD_BYTES`. */
export function startsLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === LOCAL_HEADER
}

/**
 * Finds the end record in `tail` (the last bytes of a file of `fileSize` bytes; `TAIL_BYTES` or the whole file) and
 * reads where the central directory is. The record is searched from the end, and only one whose comment ends exactly
 * at the file's end counts, so a comment or a stored file that happens to hold the signature does not fool it.
 */
export function locateCentralDirectory(tail: Buffer, fileSize: number): Located {
  const tailStart = fileSize - tail.length
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_RECORD || at + 22 + tail.readUInt16LE(at + 20) !== tail.length) continue
    const entries = tail.readUInt16LE(at + 10)
    const size = tail.readUInt32LE(at + 12)
    const offset = tail.readUInt32LE(at + 16)
    if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      // A ZIP64 archive: the real figures are in the ZIP64 end record, which the locator before this record names.
      const locatorAt = at - 20
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) {
        return { refused: `${NOT_A_ZIP} (its ZIP64 end record cannot be found)` }
      }
      const recordAt = Number(tail.readBigUInt64LE(locatorAt + 8))
      if (recordAt + ZIP64_RECORD_BYTES > tailStart + locatorAt) return { refused: `${NOT_A_ZIP} (a broken ZIP64 end)` }
      return { zip64RecordAt: recordAt }
    }
    return checkedPlace({ offset, size, entries }, tailStart + at)
  }
  return { refused: `${NOT_A_ZIP} (no end-of-central-directory record)` }
}

/** Reads the ZIP64 end record (`ZIP64_RECORD_BYTES` read at `recordAt`). */
export function readZip64Record(record: Buffer, recordAt: number): Located {
  if (record.length < ZIP64_RECORD_BYTES || record.readUInt32LE(0) !== ZIP64_END_RECORD) {
    return { refused: `${NOT_A_ZIP} (a broken ZIP64 end record)` }
  }
  const place = {
    entries: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48))
  }
  return checkedPlace(place, recordAt)
}

function checkedPlace(place: CentralDirectoryPlace, endAt: number): Located {
  if (place.offset + place.size > endAt) return { refused: `${NOT_A_ZIP} (its central directory lies past its end)` }
  if (place.size > MAX_CENTRAL_DIRECTORY_BYTES) {
    return { refused: `its zip directory is larger than any app's (${place.size} bytes), so it was not read` }
  }
  return { found: place }
}

/** The entry names of a central directory (read whole); stops at the first entry that is not well formed. */
export function centralDirectoryNames(directory: Buffer): string[] {
  const names: string[] = []
  let at = 0
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_ENTRY) {
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    const end = at + 46 + nameLength
    if (end > directory.length) break
    names.push(directory.subarray(at + 46, end).toString('utf8'))
    at = end + extraLength + commentLength
  }
  return names
}

/**
 * The kind of app a zip's entry names make it, or why it is none: `AndroidManifest.xml` at the root is an APK,
 * `Payload/<name>.app/…` an IPA. An Android App Bundle (`.aab`) is refused with its own word: Testsigma installs
 * APKs.
 */
export function appKindOf(names: readonly string[]): { kind: AppKind } | { refused: string } {
  const apk = names.includes('AndroidManifest.xml')
  const ipa = names.some(name => /^Payload\/[^/]+\.app\//.test(name))
  if (apk && !ipa) return { kind: 'APK' }
  if (ipa && !apk) return { kind: 'IPA' }
  if (apk && ipa)
    return { refused: 'it holds both an Android manifest and an iOS app, so it is neither an APK nor an IPA' }
  if (names.includes('BundleConfig.pb') || names.includes('base/manifest/AndroidManifest.xml')) {
    return {
      refused:
        'it is an Android App Bundle (.aab), not an APK: build an APK (e.g. ./gradlew assembleRelease) for Testsigma'
    }
  }
  return {
    refused:
      'it is a zip archive but no app: neither an APK (no AndroidManifest.xml at its root) nor an IPA ' +
      '(no Payload/<name>.app/ folder)'
  }
}
