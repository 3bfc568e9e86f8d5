/**
 * End to end: dist/index.js uploads an app build (`app-file`) to the simulator's uploads, waits until it is ready,
 * and runs the plan on it; and refuses every bad app input before sending anything. (The peak memory of a 50 MB
 * upload is measured by `npm run bench`, not asserted here.)
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { writeAppArchive } from '../../sim/app-archive.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-upload-4e1b'
const APK = 'app/build/outputs/apk/release/app-release.apk'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [finishedOnFirstRead(passingPlan('3071'))] })
})
afterEach(async () => sim.close())

function run(
  inputs: Record<string, string>,
  prepare: (workspace: string) => Promise<void> = async workspace => apkIn(workspace, 300_000),
  env: Record<string, string> = {}
): Promise<BundleResult> {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '3071',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'app-file': APK,
      'app-upload': 'Shop Android',
      'app-devices': '101, 102',
      ...inputs
    },
    env,
    prepareWorkspace: prepare
  })
}

async function apkIn(workspace: string, bytes: number, kind: 'apk' | 'ipa' | 'aab' | 'zip' = 'apk'): Promise<void> {
  mkdirSync(path.join(workspace, path.dirname(APK)), { recursive: true })
  await writeAppArchive(path.join(workspace, APK), kind, bytes)
}

describe('dist/index.js uploads the app build, then runs the plan on it', () => {
  it('streams a 50 MB APK as a new version and triggers with its version id on app-devices', async () => {
    const upload = sim.uploads.add({ name: 'Shop Android' })
    const result = await run({ 'build-number': '1.4.2' }, async workspace => apkIn(workspace, 50 * 1024 * 1024))
    expect(result.exitCode).toBe(0)
    const [stored] = sim.uploads.storedVersions()
    expect(stored).toMatchObject({ id: 5012, name: '1.4.2', fileName: 'app-release.apk', uploadType: 'APK', zip: true })
    expect(stored.fileSize).toBeGreaterThan(50 * 1024 * 1024 - 2000)
    expect(upload.versions).toHaveLength(2)
    expect(sim.requestsTo('trigger')[0].json).toEqual({
      executionId: 3071,
      buildNo: '1.4.2',
      uploadVersions: { '101': 5012, '102': 5012 }
    })
    expect(result.outputs).toMatchObject({ 'upload-id': '62', 'upload-version-id': '5012', result: 'SUCCESS' })
    expect(result.summary).toContain('**App:** Shop Android version 1.4.2 (upload version 5012)')
    expect(result.stdout).toMatch(/Uploaded app-release\.apk \(50 MiB\) in [\d.]+ s/)
  })

  it('uploads once for several plans, each triggered with that version', async () => {
    sim.addPlan(finishedOnFirstRead(passingPlan('3072', 'Shop iOS')))
    sim.uploads.add({ name: 'Shop Android' })
    const result = await run({ 'test-plan-id': '3071, 3072', 'build-number': '1.4.2' })
    expect(result.exitCode).toBe(0)
    expect(sim.uploads.storedVersions()).toHaveLength(1)
    expect(sim.requestsTo('trigger').map(request => request.json)).toEqual([
      { executionId: 3071, buildNo: '1.4.2', uploadVersions: { '101': 5012, '102': 5012 } },
      { executionId: 3072, buildNo: '1.4.2', uploadVersions: { '101': 5012, '102': 5012 } }
    ])
    expect(result.outputs).toMatchObject({ 'upload-id': '62', 'upload-version-id': '5012', result: 'SUCCESS' })
    expect(result.summary).toContain('**App:** Shop Android version 1.4.2 (upload version 5012)')
  })

  it('uploads the one build a * in app-file matches (Gradle names it -unsigned without a signing config)', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    const unsigned = 'app/build/outputs/apk/release/app-release-unsigned.apk'
    const result = await run({ 'app-file': 'app/build/outputs/apk/release/*.apk' }, async workspace => {
      mkdirSync(path.join(workspace, path.dirname(unsigned)), { recursive: true })
      await writeAppArchive(path.join(workspace, unsigned), 'apk', 300_000)
      writeFileSync(path.join(workspace, 'app/build/outputs/apk/release/output-metadata.json'), '{}')
    })
    expect(result.exitCode).toBe(0)
    expect(sim.requestsTo('upload')[0].form?.file).toMatchObject({ fileName: 'app-release-unsigned.apk', zip: true })
    expect(result.stdout).toContain('Uploading app-release-unsigned.apk (APK, 293 KiB)')
    expect(sim.requestsTo('trigger')[0].json).toMatchObject({ uploadVersions: { '101': 5012, '102': 5012 } })
  })

  it('names the version after the commit when there is no build-number', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    const result = await run({}, undefined, { GITHUB_SHA: '9fceb02d0ae598e95dc970b74767f19372d61af8' })
    expect(result.exitCode).toBe(0)
    expect(sim.uploads.storedVersions()[0].name).toBe('9fceb02')
    expect(result.stdout).toContain('as version "9fceb02" (from GITHUB_SHA)')
  })

  it('waits while Testsigma processes the version, then runs on it', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 2 } })
    const result = await run({})
    expect(result.exitCode).toBe(0)
    // GET /api/v1/uploads/62 answers flat, as the docs show it: uploadStatus InProgress, then Completed (§8.1).
    expect(result.stdout).toContain(
      'Upload version 5012 is being processed (uploadStatus InProgress); checking every 1 s'
    )
    expect(result.stdout).toContain('Upload version 5012 of upload "Shop Android" (id 62) is ready')
    const order = sim.requests.map(request => request.route)
    expect(order.indexOf('trigger')).toBeGreaterThan(order.lastIndexOf('upload-read'))
  })

  it('fails when another version overtakes this one while it is processed (the flat answer names it in appPath)', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 3, overtakenAfterReads: 1 } })
    const result = await run({})
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      'Another version (5013) was added to upload "Shop Android" (id 62) while upload version 5012 was being ' +
        'processed, so its state can no longer be read, and no run was started on it.'
    )
    expect(result.outputs['upload-version-id']).toBe('5012')
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it("fails with Testsigma's message when processing fails, and starts no run", async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 1, failWith: 'Invalid APK file' } })
    const result = await run({})
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      '::error::Test plan 3071: Testsigma could not process upload version 5012 of upload "Shop Android" (id 62): ' +
        'Invalid APK file. No run was started'
    )
    expect(result.summary).toContain('**Could not start:** Testsigma could not process the app \\(Invalid APK file\\)')
    expect(result.outputs['upload-version-id']).toBe('5012')
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('does not send the upload again after a connection dropped mid-upload, and says where to look', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    sim.uploads.injectFault('upload', { type: 'drop-mid-upload', afterBytes: 1024 * 1024 })
    const result = await run({}, async workspace => apkIn(workspace, 8 * 1024 * 1024))
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('A new version may or may not have been stored in upload "Shop Android" (id 62)')
    expect(result.stdout).toContain('it was not sent again, and no run was started')
    expect(sim.requestsTo('upload')).toHaveLength(1)
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('refuses a name no upload has, creating nothing', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    const result = await run({ 'app-upload': 'Shop Andriod' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('Testsigma has no upload named "Shop Andriod" for this API key')
    expect(sim.requestsTo('upload')).toHaveLength(0)
    expect(sim.uploads.uploads.size).toBe(1)
  })
})

describe('dist/index.js refuses bad app inputs before sending anything', () => {
  const outside = async (workspace: string): Promise<void> => {
    const elsewhere = path.join(workspace, '..', `${path.basename(workspace)}-outside.apk`)
    await writeAppArchive(elsewhere, 'apk', 4096)
    mkdirSync(path.join(workspace, path.dirname(APK)), { recursive: true })
    symlinkSync(elsewhere, path.join(workspace, APK))
  }
  it.each<[string, Record<string, string>, ((workspace: string) => Promise<void>) | undefined, string]>([
    [
      'app-devices without app-file',
      { 'app-file': '' },
      undefined,
      'Input "app-file" is needed with app-upload and app-devices'
    ],
    [
      'app-file without app-devices',
      { 'app-devices': '' },
      undefined,
      'Input "app-devices" is needed with app-file and app-upload'
    ],
    [
      'a device in app-devices and upload-versions',
      { 'upload-versions': '102=4001' },
      undefined,
      'Input "app-devices" names device 102, which upload-versions also names (version 4001)'
    ],
    [
      'a device id that is not a number',
      { 'app-devices': '101, pixel' },
      undefined,
      'Input "app-devices" has "pixel", which is not a numeric test device id'
    ],
    [
      'app-upload-create with an id',
      { 'app-upload': '62', 'app-upload-create': 'true' },
      undefined,
      'Input "app-upload-create" is true, but app-upload is an id (62)'
    ],
    [
      'app-upload-create without a project',
      { 'app-upload-create': 'true' },
      undefined,
      'Input "app-project-id" is needed with app-upload-create: true'
    ],
    [
      'app-project-id without an app',
      { 'app-file': '', 'app-upload': '', 'app-devices': '', 'app-project-id': '24' },
      undefined,
      'Input "app-project-id" is set, but no app is uploaded'
    ],
    [
      'the open-source dialect',
      { 'api-dialect': 'open-source' },
      undefined,
      'Input "api-dialect" is open-source, whose upload API differs'
    ],
    [
      'a path outside the workspace',
      { 'app-file': '../app.apk' },
      undefined,
      'Input "app-file" must be a file path inside the workspace'
    ],
    ['a missing file', {}, async () => undefined, `Input "app-file": "${APK}" does not exist`],
    [
      'an empty file',
      {},
      async (w: string) => {
        mkdirSync(path.join(w, path.dirname(APK)), { recursive: true })
        writeFileSync(path.join(w, APK), '')
      },
      'is empty (0 bytes)'
    ],
    [
      'a folder',
      {},
      async (w: string) => mkdirSync(path.join(w, APK), { recursive: true }) as unknown as undefined,
      'is a folder'
    ],
    [
      'an unreadable path (a link loop)',
      {},
      async (w: string) => {
        mkdirSync(path.join(w, path.dirname(APK)), { recursive: true })
        symlinkSync(path.join(w, APK), path.join(w, APK))
      },
      'cannot be read (ELOOP)'
    ],
    ['a link that leads outside the workspace', {}, outside, 'outside the workspace'],
    [
      'a file that is no zip',
      {},
      async (w: string) => {
        mkdirSync(path.join(w, path.dirname(APK)), { recursive: true })
        writeFileSync(path.join(w, APK), '<html>not an app</html>')
      },
      'it is not a zip archive (APK and IPA files are)'
    ],
    ['a zip that is no app', {}, async (w: string) => apkIn(w, 4096, 'zip'), 'it is a zip archive but no app'],
    [
      'an Android App Bundle',
      {},
      async (w: string) => apkIn(w, 4096, 'aab'),
      'it is an Android App Bundle (.aab), not an APK'
    ],
    [
      'a * in a folder',
      { 'app-file': 'app/build/outputs/apk/*/app-release.apk' },
      undefined,
      'Input "app-file" has a * in a folder ("*"): a * may stand only in the file name'
    ],
    [
      'a pattern that matches two builds',
      { 'app-file': 'app/build/outputs/apk/release/*.apk' },
      async (w: string) => {
        await apkIn(w, 4096)
        await writeAppArchive(path.join(w, 'app/build/outputs/apk/release/app-release-unsigned.apk'), 'apk', 4096)
      },
      'Input "app-file": "app/build/outputs/apk/release/*.apk" matches 2 files in ' +
        '"app/build/outputs/apk/release" ("app-release-unsigned.apk", "app-release.apk"), and one build is uploaded'
    ],
    [
      'a pattern that matches nothing',
      { 'app-file': 'app/build/outputs/apk/release/*.ipa' },
      undefined,
      'matches no file in "app/build/outputs/apk/release" (it holds "app-release.apk")'
    ]
  ])('%s', async (_, inputs, prepare, message) => {
    sim.uploads.add({ name: 'Shop Android' })
    const result = await run(inputs, prepare)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(message)
    expect(result.stdout).toContain('Nothing was sent to Testsigma.')
    expect(result.summary).toContain('so nothing was sent to Testsigma')
    expect(sim.requests).toHaveLength(0)
  })
})
