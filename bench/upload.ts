/**
 * Upload: a generated 50 MB APK uploaded by the bundle (`app-file`) to the simulator, then a run on it. The peak
 * resident set size of the action's process (the RSS probe of `footprint.ts`) against the target "under 100 MB",
 * which only a streamed upload meets (a buffered one holds the 50 MB file, and its multipart copy). Also the upload's
 * throughput on loopback as the action logs it ("Uploaded … in X s, Y MiB/s"), for scale, not as a target.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeAppArchive } from '../sim/app-archive.js'
import { passingPlan } from '../sim/simulator.js'
import { BenchContext, progress, Section } from './context.js'
import { describeLoad, startLoadProbe } from './load.js'
import { API_KEY } from './context.js'

const UPLOAD_BYTES = 50 * 1024 * 1024
const PEAK_RSS_TARGET_MB = 100
const APK = 'app/build/outputs/apk/release/app-release.apk'

export interface UploadFigures {
  fileBytes: number
  peakRssMb?: number
  rssMethod: string
  /** As the action logged it. */
  uploadSeconds?: number
  throughputMiBps?: number
  exitCode: number | null
  versionStored: boolean
}

/** UPLOAD: peak RSS of a 50 MB upload and its run. */
export async function uploadFigure(context: BenchContext): Promise<Section> {
  const { sim, rss } = context
  progress('upload: a generated 50 MB APK, uploaded and run on')
  sim.addPlan(passingPlan('7050', 'Upload bench'))
  const upload = sim.uploads.add({ name: 'Bench Android' })
  const load = startLoadProbe()
  const { run, peakKib } = await rss.start({
    node: context.node,
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '7050',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'app-file': APK,
      'app-upload': 'Bench Android',
      'app-devices': '101'
    },
    prepareWorkspace: async workspace => {
      await mkdir(path.join(workspace, path.dirname(APK)), { recursive: true })
      await writeAppArchive(path.join(workspace, APK), 'apk', UPLOAD_BYTES)
    }
  })
  const result = await run.result
  const peak = await peakKib
  const reading = load.stop()
  const logged = /Uploaded app-release\.apk \([^)]*\) in ([\d.]+) s, ([\d.]+) MiB\/s/.exec(result.stdout)
  const stored = upload.versions.some(version => version.viaApi && version.fileSize >= UPLOAD_BYTES - 1000)
  const figures: UploadFigures = {
    fileBytes: UPLOAD_BYTES,
    peakRssMb: peak === undefined ? undefined : peak / 1024,
    rssMethod: rss.method,
    uploadSeconds: logged ? Number(logged[1]) : undefined,
    throughputMiBps: logged ? Number(logged[2]) : undefined,
    exitCode: result.exitCode,
    versionStored: stored
  }
  const problems: string[] = []
  if (result.exitCode !== 0 || !stored) {
    problems.push(`upload run: exit code ${result.exitCode}, version stored: ${stored}\n${result.stdout}`)
  }
  const rssText = figures.peakRssMb === undefined ? 'not measured' : `${figures.peakRssMb.toFixed(1)} MiB`
  const rate =
    figures.throughputMiBps === undefined
      ? 'not logged'
      : `${figures.throughputMiBps} MiB/s (${figures.uploadSeconds} s, as the action logged it)`
  return {
    key: 'upload',
    lines: [
      `UPLOAD: a ${UPLOAD_BYTES / 2 ** 20} MiB APK (app-file) streamed to the simulator, then a run on it: peak RSS ${rssText} ` +
        `(${rss.method}); upload throughput on loopback ${rate}; ${describeLoad(reading)}`
    ],
    figures,
    load: reading,
    targets: [
      {
        name: `upload of 50 MB: peak RSS < ${PEAK_RSS_TARGET_MB} MiB`,
        measured: rssText,
        met: figures.peakRssMb === undefined ? undefined : figures.peakRssMb < PEAK_RSS_TARGET_MB
      }
    ],
    problems
  }
}
