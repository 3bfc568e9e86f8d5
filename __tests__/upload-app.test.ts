/**
 * The app upload before the trigger (`src/upload/upload-app.ts` through `runTestPlan`), against the simulator's
 * uploads over real HTTP, with a fake clock for the waits.
 */
import path from 'node:path'
import { runTestPlan } from '../src/action.js'
import type { StepDeps } from '../src/step.js'
import type { Config } from '../src/config.js'
import type { AppConfig } from '../src/upload/app-inputs.js'
import { runOutputs } from '../src/report/outputs.js'
import { writeAppArchive } from '../sim/app-archive.js'
import { passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { stepConfig, stepDeps } from './helpers/step.js'
import { scratchDir } from '../sim/scratch.js'

const API_KEY = 'ts-key-up-71'
let sim: TestsigmaSimulator
let workspace: string

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('3071')] })
  workspace = scratchDir('upload-test')
})
afterEach(async () => sim.close())

async function appConfig(overrides: Partial<AppConfig> = {}, kind: 'apk' | 'ipa' = 'apk'): Promise<AppConfig> {
  const file = `app-release.${kind}`
  await writeAppArchive(path.join(workspace, file), kind, 300_000)
  return {
    file: { path: file, absolutePath: path.join(workspace, file), workspace },
    upload: { name: 'Shop Android' },
    devices: ['101', '102'],
    create: false,
    versionName: '1.4.2',
    versionNameFrom: 'build-number',
    ...overrides
  }
}

const configWith = (app: AppConfig, overrides: Partial<Config> = {}): Config =>
  stepConfig(sim, API_KEY, { testPlanId: '3071', app, pollIntervalMs: 10_000, ...overrides })
const depsFor = (overrides: Partial<StepDeps> = {}) => stepDeps(sim, API_KEY, overrides)

describe('uploading the app build before the trigger', () => {
  it('adds a version to the upload found by name and runs the plan on it on app-devices, beside upload-versions', async () => {
    sim.uploads.add({ name: 'Shop Android', projectId: 24, isPublic: true })
    const { deps, log } = depsFor()
    const report = await runTestPlan(configWith(await appConfig(), { uploadVersions: { '103': 4999 } }), deps)
    expect(report).toMatchObject({ outcome: 'finished', app: { uploadId: 62, versionId: 5012, versionName: '1.4.2' } })
    const [put] = sim.requestsTo('upload')
    expect(put.method).toBe('PUT')
    expect(put.path).toBe('/api/v1/uploads/62')
    expect(put.form?.fields).toEqual({
      projectId: '24',
      name: 'Shop Android',
      uploadType: 'APK',
      platformType: 'TestsigmaLab',
      isPublic: 'true',
      version: '1.4.2'
    })
    expect(put.form?.file).toMatchObject({ field: 'fileContent', fileName: 'app-release.apk', zip: true })
    expect(put.form?.file?.bytes).toBe(sim.uploads.storedVersions()[0].fileSize)
    expect(sim.requestsTo('trigger')[0].json).toEqual({
      executionId: 3071,
      uploadVersions: { '101': 5012, '102': 5012, '103': 4999 }
    })
    expect(runOutputs(report)).toMatchObject({ 'upload-id': '62', 'upload-version-id': '5012' })
    expect(log.messages('info')).toContain('Upload version 5012 of upload "Shop Android" (id 62) is ready')
  })

  it('finds the upload by its id, and sends an IPA as uploadType IPA', async () => {
    sim.uploads.add({ id: 80, name: 'Shop iOS', uploadType: 'IPA' })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig({ upload: { id: 80 } }, 'ipa')), deps)
    expect(report).toMatchObject({ outcome: 'finished', app: { uploadId: 80, uploadName: 'Shop iOS' } })
    expect(sim.requestsTo('upload-read').map(request => request.path)).toEqual(['/api/v1/uploads/80'])
    expect(sim.requestsTo('upload')[0].form?.fields).toMatchObject({ uploadType: 'IPA', name: 'Shop iOS' })
  })

  it('says that Copy Path ends in a version id when app-upload is an id Testsigma does not know', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig({ upload: { id: 5012 } })), deps)
    expect(report).toMatchObject({ outcome: 'failed', errorBrief: 'upload 5012 is unknown' })
    expect(report.error).toContain('Testsigma has no upload 5012 (HTTP 404')
    expect(report.error).toContain(
      'The last number in Copy Path (…/uploads/<project id>/<version id>/<file>) is the id of a version, not of the ' +
        'upload. Nothing was uploaded.'
    )
    expect(sim.requestsTo('upload')).toHaveLength(0)
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('never creates an upload for a name that is not there, unless asked: nothing is uploaded, nothing triggered', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig({ upload: { name: 'Shop Andriod' } })), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toContain('Testsigma has no upload named "Shop Andriod" for this API key')
    expect(report.error).toContain('app-upload-create: true')
    expect(report.errorBrief).toBe('no upload is named "Shop Andriod"')
    expect(sim.requestsTo('upload')).toHaveLength(0)
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('creates the upload when app-upload-create asks and no upload has the name', async () => {
    const { deps, log } = depsFor()
    const report = await runTestPlan(configWith(await appConfig({ create: true, projectId: 31 })), deps)
    expect(report).toMatchObject({ outcome: 'finished', app: { uploadId: 62, versionId: 5012, created: true } })
    const [post] = sim.requestsTo('upload')
    expect([post.method, post.path]).toEqual(['POST', '/api/v1/uploads'])
    expect(post.form?.fields).toMatchObject({ projectId: '31', name: 'Shop Android', uploadType: 'APK' })
    expect(log.messages('info')).toContain('No upload is named "Shop Android": creating it (app-upload-create: true)')
  })

  it('refuses a name that several uploads share, naming their ids', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    sim.uploads.add({ name: 'Shop Android' })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.error).toContain('2 uploads in Testsigma are named "Shop Android" (ids 62, 63)')
    expect(sim.requestsTo('upload')).toHaveLength(0)
  })

  it('refuses an APK for an upload that holds IPA builds, before sending the file', async () => {
    sim.uploads.add({ name: 'Shop Android', uploadType: 'IPA' })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.error).toContain('holds IPA builds, and app-file "app-release.apk" is an APK')
    expect(sim.requestsTo('upload')).toHaveLength(0)
  })

  it('waits while the version is processed, then triggers on it', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 3 } })
    const { deps, log, clock } = depsFor()
    const start = clock.now()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.outcome).toBe('finished')
    expect(sim.requestsTo('upload-read').filter(request => request.path === '/api/v1/uploads/62')).toHaveLength(3)
    expect(clock.sleeps.slice(0, 3)).toEqual([10_000, 10_000, 10_000])
    expect(clock.now() - start).toBeGreaterThanOrEqual(30_000)
    // The update's nested answer first, then the flat answers of GET /uploads/62, as the docs show them (§8.1).
    expect(log.messages('info').filter(line => line.includes('is being processed'))).toEqual([
      'Upload version 5012 is being processed (status IN_PROGRESS); checking every 10 s',
      'Upload version 5012 is being processed (uploadStatus InProgress); checking every 10 s'
    ])
    expect(log.messages('info')).toContain('Upload version 5012 of upload "Shop Android" (id 62) is ready')
    expect(sim.requestsTo('trigger')).toHaveLength(1)
  })

  it("fails with Testsigma's message when processing fails, and triggers nothing", async () => {
    sim.uploads.add({
      name: 'Shop Android',
      processing: { readyAfterReads: 1, failWith: 'Invalid APK: no launcher activity' }
    })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report).toMatchObject({ outcome: 'failed', app: { versionId: 5012 } })
    expect(report.error).toBe(
      'Testsigma could not process upload version 5012 of upload "Shop Android" (id 62): Invalid APK: no launcher ' +
        'activity. No run was started; check the build, and the upload in Testsigma (Test Data → Uploads).'
    )
    expect(sim.requestsTo('trigger')).toHaveLength(0)
    expect(runOutputs(report)).toMatchObject({ 'upload-version-id': '5012' })
  })

  it('keeps waiting on a status it does not know, and gives up at timeout-minutes without triggering', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 1000, processingStatus: 'VIRUS_SCAN' } })
    const { deps, log } = depsFor()
    const report = await runTestPlan(configWith(await appConfig(), { timeoutMs: 60_000 }), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toBe(
      'Upload version 5012 of upload "Shop Android" (id 62) was still being processed (uploadStatus VIRUS_SCAN) after ' +
        '1 min, when timeout-minutes ran out; no run was started.'
    )
    expect(log.messages('info')).toContain(
      'uploadStatus VIRUS_SCAN is new to this action; waiting until Testsigma says the version is ready'
    )
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('takes a version whose answers carry no status at all as ready, and says so', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { statusless: true } })
    const { deps, log } = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.outcome).toBe('finished')
    expect(log.messages('info')).toContain(
      "Testsigma's answer gives no processing status for upload version 5012: taking it as ready"
    )
  })

  it('does not send the upload again when the connection drops mid-upload, and says where to look', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    sim.uploads.injectFault('upload', { type: 'drop-mid-upload', afterBytes: 100_000 })
    const { deps } = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.outcome).toBe('failed')
    expect(report.error).toContain(
      'for the upload of app-release.apk as a new version of upload "Shop Android" (id 62)'
    )
    expect(report.error).toContain(
      'A new version may or may not have been stored in upload "Shop Android" (id 62): it was not sent again, and ' +
        'no run was started. Check the upload\'s versions in Testsigma (Test Data → Uploads → "Shop Android" (id 62))'
    )
    expect(report.errorBrief).toBe('the upload got no answer (a version may exist in "Shop Android" (id 62))')
    expect(sim.requestsTo('upload')).toHaveLength(1)
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('sends the upload again after a 503 (nothing was stored), but not after a 500', async () => {
    sim.uploads.add({ name: 'Shop Android' })
    sim.uploads.injectFault('upload', { type: 'status', status: 503, body: 'busy' })
    const first = depsFor()
    expect((await runTestPlan(configWith(await appConfig()), first.deps)).outcome).toBe('finished')
    expect(sim.requestsTo('upload')).toHaveLength(2)

    sim.uploads.injectFault('upload', { type: 'status', status: 500, body: '{"error":"storage failed"}' })
    const second = depsFor()
    const report = await runTestPlan(configWith(await appConfig()), second.deps)
    expect(report.error).toContain('HTTP 500: storage failed')
    expect(report.error).toContain('A new version may or may not have been stored')
    expect(sim.requestsTo('upload')).toHaveLength(3)
  })

  it('fails when another version overtakes this one while it is processed', async () => {
    const upload = sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 5 } })
    const { deps } = depsFor({
      clock: {
        now: () => 0,
        sleep: async () => {
          // Another pipeline's upload lands meanwhile.
          upload.versions.push({ ...upload.versions[0], id: 6000, processing: {}, viaApi: false })
        }
      }
    })
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report.error).toContain(
      'Another version (6000) was added to upload "Shop Android" (id 62) while upload version 5012'
    )
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })

  it('reports a cancelled job during processing as cancelled, with no run started', async () => {
    sim.uploads.add({ name: 'Shop Android', processing: { readyAfterReads: 50 } })
    const cancel = new AbortController()
    const { deps } = depsFor({ signal: cancel.signal })
    const sleep = deps.clock.sleep.bind(deps.clock)
    deps.clock.sleep = async (ms, signal) => {
      cancel.abort()
      return sleep(ms, signal)
    }
    const report = await runTestPlan(configWith(await appConfig()), deps)
    expect(report).toMatchObject({ outcome: 'cancelled', app: { versionId: 5012 } })
    expect(report.error).toContain('no run was started')
    expect(sim.requestsTo('trigger')).toHaveLength(0)
  })
})
