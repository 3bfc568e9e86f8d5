import { execFileSync } from 'node:child_process'
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { AppArchive, closeAppFile, inspectAppFile } from '../src/upload/app-file.js'
import { InputFileError } from '../src/workspace.js'
import {
  appKindOf,
  centralDirectoryNames,
  locateCentralDirectory,
  readZip64Record,
  startsLikeZip
} from '../src/upload/archive.js'
import { ArchiveKind, writeAppArchive } from '../sim/app-archive.js'
import { scratchDir } from '../sim/scratch.js'

let workspace: string
// Every archive a test opened, closed after it.
const opened: AppArchive[] = []
beforeEach(() => {
  workspace = scratchDir('app-file')
})
afterEach(async () => {
  await Promise.all(opened.splice(0).map(closeAppFile))
})

async function inspect(file: string): Promise<AppArchive> {
  const archive = await inspectAppFile(target(file))
  opened.push(archive)
  return archive
}

const target = (file: string) => ({ path: file, absolutePath: path.join(workspace, file), workspace })

describe('appKindOf (the zip directory names an app)', () => {
  it.each<[string, string[], string]>([
    ['an APK', ['AndroidManifest.xml', 'classes.dex'], 'APK'],
    ['an IPA', ['Payload/Shop.app/Info.plist', 'Payload/Shop.app/Shop'], 'IPA'],
    ['an APK with a manifest only in a folder', ['res/AndroidManifest.xml'], 'refused'],
    ['an IPA folder not under Payload/', ['Shop.app/Info.plist'], 'refused'],
    ['an Android App Bundle', ['BundleConfig.pb', 'base/manifest/AndroidManifest.xml'], 'refused'],
    ['both', ['AndroidManifest.xml', 'Payload/Shop.app/Shop'], 'refused']
  ])('%s', (_, names, expected) => {
    const kind = appKindOf(names)
    expect('kind' in kind ? kind.kind : 'refused').toBe(expected)
  })

  it('names the App Bundle as such', () => {
    expect(appKindOf(['BundleConfig.pb'])).toEqual({
      refused:
        'it is an Android App Bundle (.aab), not an APK: build an APK (e.g. ./gradlew assembleRelease) for Testsigma'
    })
  })
})

describe('the zip end records', () => {
  it('finds the central directory of a written archive and reads its names', async () => {
    const file = path.join(workspace, 'a.apk')
    const size = await writeAppArchive(file, 'apk', 10_000)
    const bytes = await readFile(file)
    expect(startsLikeZip(bytes)).toBe(true)
    const located = locateCentralDirectory(bytes.subarray(Math.max(0, size - 70_000)), size)
    if (!('found' in located)) throw new Error(JSON.stringify(located))
    const { offset, size: length } = located.found
    expect(centralDirectoryNames(bytes.subarray(offset, offset + length))).toEqual([
      'AndroidManifest.xml',
      'resources.arsc',
      'META-INF/MANIFEST.MF',
      'classes.dex'
    ])
  })

  it('is not fooled by an end signature that does not end the file', () => {
    const tail = Buffer.alloc(100)
    tail.writeUInt32LE(0x06054b50, 10)
    expect(locateCentralDirectory(tail, 100)).toEqual({
      refused: 'it is not a zip archive, and APK and IPA files are zip archives (no end-of-central-directory record)'
    })
  })

  it('follows a ZIP64 end to its record, and refuses one that leads past the file', () => {
    const fileSize = 1000
    const tail = Buffer.alloc(42)
    tail.writeUInt32LE(0x07064b50, 0)
    tail.writeBigUInt64LE(800n, 8)
    tail.writeUInt32LE(0x06054b50, 20)
    tail.writeUInt32LE(0xffffffff, 20 + 16)
    expect(locateCentralDirectory(tail, fileSize)).toEqual({ zip64RecordAt: 800 })
    const record = Buffer.alloc(56)
    record.writeUInt32LE(0x06064b50, 0)
    record.writeBigUInt64LE(3n, 32)
    record.writeBigUInt64LE(150n, 40)
    record.writeBigUInt64LE(600n, 48)
    expect(readZip64Record(record, 800)).toEqual({ found: { entries: 3, size: 150, offset: 600 } })
    record.writeBigUInt64LE(700n, 48)
    expect(readZip64Record(record, 800)).toEqual({
      refused:
        'it is not a zip archive, and APK and IPA files are zip archives (its central directory lies past its end)'
    })
  })
})

describe('inspectAppFile', () => {
  it.each<[ArchiveKind, string]>([
    ['apk', 'APK'],
    ['ipa', 'IPA']
  ])('accepts an %s by its content, whatever its name', async (kind, expected) => {
    await writeAppArchive(path.join(workspace, 'build.bin'), kind, 5000)
    const archive = await inspect('build.bin')
    expect(archive).toMatchObject({ kind: expected, fileName: 'build.bin', path: 'build.bin' })
    expect(archive.size).toBeGreaterThan(4000)
  })

  it('follows a link inside the workspace, and uploads under the real name', async () => {
    await writeAppArchive(path.join(workspace, 'app-release.apk'), 'apk', 5000)
    symlinkSync(path.join(workspace, 'app-release.apk'), path.join(workspace, 'latest.apk'))
    expect(await inspect('latest.apk')).toMatchObject({ fileName: 'app-release.apk', kind: 'APK' })
  })

  it.each<[string, (file: string) => void, string]>([
    ['missing', () => undefined, 'app-file "x.apk" does not exist'],
    ['empty', file => writeFileSync(file, ''), 'app-file "x.apk" is empty (0 bytes)'],
    ['a folder', file => mkdirSync(file), 'app-file "x.apk" is a folder'],
    [
      'a named pipe (opened without waiting for a writer)',
      file => execFileSync('mkfifo', [file]),
      'is not a regular file'
    ],
    ['text', file => writeFileSync(file, 'PK but not really'), 'it is not a zip archive (APK and IPA files are)'],
    [
      'a zip cut short',
      file => writeFileSync(file, Buffer.from('PK\x03\x04 and then nothing')),
      'no end-of-central-directory record'
    ],
    ['a link loop', file => symlinkSync(file, file), 'app-file "x.apk" cannot be read (ELOOP)']
  ])('refuses a file that is %s', async (_, make, message) => {
    make(path.join(workspace, 'x.apk'))
    const check = inspectAppFile(target('x.apk'))
    await expect(check).rejects.toThrow(InputFileError)
    await expect(check).rejects.toThrow(message)
  })

  it('keeps the file it checked open: a path swapped for a link afterwards changes nothing it reads (issue 17)', async () => {
    const size = await writeAppArchive(path.join(workspace, 'app.apk'), 'apk', 5000)
    const archive = await inspect('app.apk')
    const outside = scratchDir('outside')
    writeFileSync(path.join(outside, 'secret'), 'S'.repeat(size))
    renameSync(path.join(workspace, 'app.apk'), path.join(workspace, 'old.apk'))
    symlinkSync(path.join(outside, 'secret'), path.join(workspace, 'app.apk'))
    const chunks: Buffer[] = []
    for await (const chunk of archive.file.createReadStream({ start: 0, autoClose: false }))
      chunks.push(chunk as Buffer)
    const sent = Buffer.concat(chunks)
    expect(sent.equals(await readFile(path.join(workspace, 'old.apk')))).toBe(true)
    expect(sent.subarray(0, 2).toString()).toBe('PK')
  })

  it('refuses a link that leads outside the workspace, saying where it really is', async () => {
    const outside = scratchDir('outside')
    await writeAppArchive(path.join(outside, 'app.apk'), 'apk', 5000)
    symlinkSync(outside, path.join(workspace, 'build'))
    await expect(inspectAppFile(target('build/app.apk'))).rejects.toThrow(
      `app-file "build/app.apk" is really ${path.join(outside, 'app.apk')}, outside the workspace`
    )
  })
})
