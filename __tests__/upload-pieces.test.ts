/** The upload's pure pieces: the multipart body, the answers, readiness, the time limit and the progress line. */
import { Readable } from 'node:stream'
import busboy from 'busboy'
import { uploadOf, uploadsIn, uploadsNamed, versionIdInPath } from '../src/testsigma/upload-answers.js'
import { FileChangedError, multipartLayout, multipartStream } from '../src/upload/multipart.js'
import { describeUploadProgress, uploadTimeLimitMs } from '../src/upload/progress.js'
import { versionReadiness } from '../src/testsigma/upload-readiness.js'

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('the multipart body', () => {
  const fields: Array<[string, string]> = [
    ['projectId', '24'],
    ['name', 'Shop "Android"'],
    ['version', '1.4.2']
  ]
  const content = Buffer.from('PK\x03\x04 an app, with\r\n--boundary-like lines\r\n')
  const file = {
    field: 'fileContent',
    fileName: 'app release.apk',
    contentType: 'application/octet-stream',
    size: content.length
  }

  it('declares exactly the bytes it streams, and a form parser reads back every field and the file', async () => {
    const layout = multipartLayout(fields, file, 'testsigma-action-0123abcd')
    const seen: number[] = []
    const body = await collect(
      multipartStream(
        layout,
        file,
        () => Readable.from([content.subarray(0, 5), content.subarray(5)]),
        sent => seen.push(sent)
      )
    )
    expect(body.length).toBe(layout.contentLength)
    expect(seen[seen.length - 1]).toBe(layout.contentLength)
    expect(layout.contentType).toBe('multipart/form-data; boundary=testsigma-action-0123abcd')

    const parsed: { fields: Record<string, string>; file: Buffer; fileName?: string } = {
      fields: {},
      file: Buffer.alloc(0)
    }
    let fileRead: Promise<Buffer> = Promise.resolve(Buffer.alloc(0))
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: { 'content-type': layout.contentType } })
      parser.on('field', (name, value) => (parsed.fields[name] = value))
      parser.on('file', (_, stream, info) => {
        parsed.fileName = info.filename
        fileRead = collect(stream)
      })
      parser.on('close', resolve)
      parser.on('error', reject)
      parser.end(body)
    })
    parsed.file = await fileRead
    expect(parsed.fields).toEqual({ projectId: '24', name: 'Shop "Android"', version: '1.4.2' })
    expect(parsed.fileName).toBe('app release.apk')
    expect(parsed.file.equals(content)).toBe(true)
  })

  it.each([
    ['shrank', content.subarray(0, 10)],
    ['grew', Buffer.concat([content, Buffer.from('more')])]
  ])('fails, never sending another length, when the file %s', async (_, now) => {
    const layout = multipartLayout(fields, file, 'b')
    const stream = multipartStream(layout, file, () => Readable.from([now]))
    await expect(collect(stream)).rejects.toThrow(FileChangedError)
  })

  it('refuses a boundary that could break the body', () => {
    expect(() => multipartLayout(fields, file, 'a b')).toThrow('not a usable multipart boundary')
  })
})

describe("Testsigma's upload answers", () => {
  const docsCreateAnswer = {
    id: 62,
    name: ' APIFileExample',
    latestVersionId: 68,
    latestVersion: { id: 68, name: 'v101', status: 'SUCCESS', signStatus: 'NONE', errorMessage: null, uploadId: 62 }
  }
  const docsGetAnswer = {
    id: 147,
    projectId: 11,
    name: 'test-file',
    uploadType: 'Attachment',
    platformType: 'TestsigmaLab',
    isPublic: null,
    appPath: 'testsigmatech.com/uploads/11/147/Testfile.pdf',
    fileName: 'Testfile.pdf',
    version: null,
    uploadStatus: 'Completed',
    message: 'Uploaded successfully',
    status: 1
  }

  it('reads both documented shapes', () => {
    expect(uploadOf(docsCreateAnswer)).toEqual({
      id: 62,
      name: ' APIFileExample',
      latestVersionId: 68,
      latestVersionName: 'v101'
    })
    expect(uploadOf(docsGetAnswer)).toEqual({
      id: 147,
      projectId: 11,
      name: 'test-file',
      uploadType: 'Attachment',
      platformType: 'TestsigmaLab'
    })
    expect(uploadOf({ id: Number.MAX_SAFE_INTEGER + 2 })).toBeUndefined()
  })

  it('reads a search answer as one object, an array or a page, and matches the name exactly but for the ends', () => {
    for (const answer of [docsGetAnswer, [docsGetAnswer], { content: [docsGetAnswer], totalElements: 1 }]) {
      expect(uploadsIn(answer).map(upload => upload.id)).toEqual([147])
    }
    const uploads = uploadsIn([
      { id: 1, name: ' Shop ' },
      { id: 2, name: 'shop' },
      { id: 3, name: 'Shop 2' }
    ])
    expect(uploadsNamed(uploads, 'Shop').map(upload => upload.id)).toEqual([1])
  })
})

describe('versionIdInPath', () => {
  it.each<[string, unknown, number | undefined]>([
    ["the docs' create sample (project 24, version 68)", '46091/uploads/24/68/example.png', 68],
    ['a Copy Path', 'testsigma-storage:/testsigma.com/uploads/101/5012/app.apk', 5012],
    ["the upload's own id (the pre-versioning layout)", 'testsigmatech.com/uploads/11/62/Testfile.pdf', undefined],
    ['a re-signed iOS copy', 'uploads/resigned/5012/77/app.ipa', undefined],
    ['no file after the id', '46091/uploads/24/68/', undefined],
    ['not a string', 68, undefined]
  ])('%s', (_, path, expected) => {
    expect(versionIdInPath(path, 62)).toBe(expected)
  })
})

describe('versionReadiness', () => {
  const version = (fields: Record<string, unknown>) => ({ id: 62, latestVersion: { id: 5012, ...fields } })
  const flat = { id: 62, projectId: 24, uploadStatus: 'Completed', message: 'Uploaded successfully', status: 1 }

  it.each<[string, unknown, ReturnType<typeof versionReadiness>]>([
    [
      'the documented ready values',
      version({ status: 'SUCCESS', signStatus: 'NONE', errorMessage: null }),
      { state: 'ready', statusless: false }
    ],
    [
      "the docs' GET shape: Completed, status 1 ignored",
      { id: 62, uploadStatus: 'Completed', status: 1 },
      { state: 'ready', statusless: false }
    ],
    ['no status field at all', version({ name: 'v1' }), { state: 'ready', statusless: true }],
    [
      'an errorMessage, whatever the status',
      version({ status: 'SUCCESS', errorMessage: 'Invalid APK' }),
      { state: 'failed', message: 'Invalid APK' }
    ],
    [
      "the open-source server's Failed",
      { id: 62, uploadStatus: 'Failed' },
      { state: 'failed', message: 'uploadStatus Failed' }
    ],
    [
      'a failed signing',
      version({ status: 'SUCCESS', signStatus: 'FAILED' }),
      { state: 'failed', message: 'signStatus FAILED' }
    ],
    [
      'in progress',
      version({ status: 'IN_PROGRESS', signStatus: 'NONE' }),
      { state: 'processing', reading: 'status IN_PROGRESS', unknown: [] }
    ],
    [
      "the open-source server's InProgress",
      { id: 62, uploadStatus: 'InProgress' },
      { state: 'processing', reading: 'uploadStatus InProgress', unknown: [] }
    ],
    [
      'signing after processing',
      version({ status: 'SUCCESS', signStatus: 'SIGNING' }),
      { state: 'processing', reading: 'signStatus SIGNING', unknown: [] }
    ],
    [
      'a value the action does not know',
      version({ status: 'VIRUS_SCAN' }),
      { state: 'processing', reading: 'status VIRUS_SCAN', unknown: ['status VIRUS_SCAN'] }
    ],
    [
      'NOT_USED, never taken as ready',
      { id: 62, uploadStatus: 'NOT_USED' },
      { state: 'processing', reading: 'uploadStatus NOT_USED', unknown: ['uploadStatus NOT_USED'] }
    ],
    [
      'another version as the latest',
      { id: 62, latestVersionId: 6000, uploadStatus: 'Completed' },
      { state: 'superseded', latestVersionId: 6000 }
    ],
    [
      "GET's flat answer on this version (its id in appPath)",
      { ...flat, appPath: '46091/uploads/24/5012/app-release.apk' },
      { state: 'ready', statusless: false }
    ],
    [
      "GET's flat answer while processing (the 2022–2023 docs' InProgress)",
      { ...flat, uploadStatus: 'InProgress', message: 'Upload in progress' },
      { state: 'processing', reading: 'uploadStatus InProgress', unknown: [] }
    ],
    [
      "GET's flat answer on another version (another id in appPath)",
      { ...flat, appPath: '46091/uploads/24/6000/app-release.apk', uploadStatus: 'InProgress' },
      { state: 'superseded', latestVersionId: 6000 }
    ],
    [
      "GET's flat answer with the pre-versioning path (the upload's own id): read as this version's",
      { ...flat, appPath: 'testsigmatech.com/uploads/24/62/app-release.apk' },
      { state: 'ready', statusless: false }
    ],
    [
      "GET's flat answer failed, with its message",
      { ...flat, uploadStatus: 'Failed', message: 'Invalid APK file' },
      { state: 'failed', message: 'Invalid APK file' }
    ]
  ])('%s', (_, answer, expected) => {
    expect(versionReadiness(answer, 5012)).toEqual(expected)
  })
})

describe('the upload time limit and progress line', () => {
  it('gives 2 min plus the size at 2 Mbit/s', () => {
    expect(uploadTimeLimitMs(0)).toBe(120_000)
    expect(uploadTimeLimitMs(50 * 1024 * 1024)).toBe(120_000 + 200_000)
    expect(uploadTimeLimitMs(300 * 1024 * 1024)).toBe(120_000 + 1_200_000)
  })

  it('says bytes sent, rate and time left', () => {
    const total = 50 * 1024 * 1024
    expect(
      describeUploadProgress({ fileName: 'a.apk', sentBytes: total / 4, totalBytes: total, elapsedMs: 3000 })
    ).toBe('Uploading a.apk: 12.5 MiB of 50 MiB (25 %), 4.2 MiB/s, about 9 s left')
    expect(describeUploadProgress({ fileName: 'a.apk', sentBytes: 0, totalBytes: total, elapsedMs: 0 })).toBe(
      'Uploading a.apk: 0 KiB of 50 MiB (0 %)'
    )
    expect(describeUploadProgress({ fileName: 'a.apk', sentBytes: total, totalBytes: total, elapsedMs: 9000 })).toBe(
      "Uploaded a.apk: 50 MiB of 50 MiB (100 %); waiting for Testsigma's answer"
    )
  })
})
