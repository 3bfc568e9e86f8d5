/**
 * App builds for the tests, the demo and the benchmark: real zip archives (stored entries, correct CRCs) laid out
 * as an APK (`AndroidManifest.xml` at the root), an IPA (`Payload/<name>.app/`), an Android App Bundle, or a zip
 * that is no app. A large one is written a piece at a time, so making a 50 MB build takes no 50 MB of memory.
 */
import { randomBytes } from 'node:crypto'
import { open } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

export type ArchiveKind = 'apk' | 'ipa' | 'aab' | 'zip'

/** The entries of each kind: small ones, then one of `bytes` (the app's code) written last. */
const LAYOUTS: Record<ArchiveKind, { small: string[]; large: string }> = {
  apk: { small: ['AndroidManifest.xml', 'resources.arsc', 'META-INF/MANIFEST.MF'], large: 'classes.dex' },
  ipa: {
    small: ['Payload/Shop.app/Info.plist', 'Payload/Shop.app/embedded.mobileprovision'],
    large: 'Payload/Shop.app/Shop'
  },
  aab: { small: ['BundleConfig.pb', 'base/manifest/AndroidManifest.xml'], large: 'base/dex/classes.dex' },
  zip: { small: ['README.txt'], large: 'data.bin' }
}

const PIECE_BYTES = 1024 * 1024

/**
 * Writes a zip of `kind` at `file`, about `bytes` long (at least a few hundred bytes). The large entry's content is
 * one random MiB repeated: incompressible as a build is, and cheap to make.
 */
export async function writeAppArchive(file: string, kind: ArchiveKind, bytes = 4096): Promise<number> {
  const handle = await open(file, 'w')
  try {
    const central: Buffer[] = []
    let offset = 0
    const write = async (buffer: Buffer): Promise<void> => {
      await handle.write(buffer)
      offset += buffer.length
    }
    const { small, large } = LAYOUTS[kind]
    for (const name of small) {
      const content = Buffer.from(`${name} of a test ${kind}\n`)
      const at = offset
      await write(localHeader(name, content.length, crc32(content)))
      await write(content)
      central.push(centralEntry(name, content.length, crc32(content), at))
    }
    // The large entry: its size and CRC are known before it is written (the piece repeats).
    const size = Math.max(0, bytes - offset - 30 - large.length - 46 * (small.length + 1) - 200)
    const piece = randomBytes(Math.min(PIECE_BYTES, Math.max(1, size)))
    let crc = 0
    for (let done = 0; done < size; done += piece.length)
      crc = crc32(piece.subarray(0, Math.min(piece.length, size - done)), crc)
    const at = offset
    await write(localHeader(large, size, crc))
    for (let done = 0; done < size; done += piece.length)
      await write(piece.subarray(0, Math.min(piece.length, size - done)))
    central.push(centralEntry(large, size, crc, at))
    const directory = Buffer.concat(central)
    const directoryAt = offset
    await write(directory)
    await write(endRecord(central.length, directory.length, directoryAt))
    return offset
  } finally {
    await handle.close()
  }
}

function localHeader(name: string, size: number, crc: number): Buffer {
  const nameBytes = Buffer.from(name)
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(20, 4)
  header.writeUInt32LE(crc >>> 0, 14)
  header.writeUInt32LE(size, 18)
  header.writeUInt32LE(size, 22)
  header.writeUInt16LE(nameBytes.length, 26)
  return Buffer.concat([header, nameBytes])
}

function centralEntry(name: string, size: number, crc: number, localAt: number): Buffer {
  const nameBytes = Buffer.from(name)
  const entry = Buffer.alloc(46)
  entry.writeUInt32LE(0x02014b50, 0)
  entry.writeUInt16LE(20, 4)
  entry.writeUInt16LE(20, 6)
  entry.writeUInt32LE(crc >>> 0, 16)
  entry.writeUInt32LE(size, 20)
  entry.writeUInt32LE(size, 24)
  entry.writeUInt16LE(nameBytes.length, 28)
  entry.writeUInt32LE(localAt, 42)
  return Buffer.concat([entry, nameBytes])
}

function endRecord(entries: number, size: number, at: number): Buffer {
  const record = Buffer.alloc(22)
  record.writeUInt32LE(0x06054b50, 0)
  record.writeUInt16LE(entries, 8)
  record.writeUInt16LE(entries, 10)
  record.writeUInt32LE(size, 12)
  record.writeUInt32LE(at, 16)
  return record
}
