/**
 * End to end (issue 17, "Files and bounds"): dist/index.js checks `app-file`, and while it looks for the upload the
 * file is swapped for a link to a file of the same size outside the workspace. What is uploaded is the file that was
 * checked: it is opened once and streamed from the open descriptor, never opened again by its path.
 */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { writeAppArchive } from '../../sim/app-archive.js'
import { finishedOnFirstRead } from '../../sim/quick-plans.js'
import { startBundle } from '../../sim/run-bundle.js'
import { scratchDir } from '../../sim/scratch.js'
import { passingPlan, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-swap-93c0'
let sim: TestsigmaSimulator

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [finishedOnFirstRead(passingPlan('3071'))] })
})
afterEach(async () => sim.close())

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('gave up waiting')
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

it('uploads the file it checked, not the one a link put at its path afterwards', async () => {
  sim.uploads.add({ name: 'Shop Android' })
  // The search for the upload is answered after 1.5 s: the file is swapped meanwhile, after the check.
  sim.uploads.injectFault('upload-read', { type: 'delay', ms: 1500 })
  const outside = scratchDir('outside')
  let size = 0
  const started = await startBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '3071',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'app-file': 'build/app.apk',
      'app-upload': 'Shop Android',
      'app-devices': '101'
    },
    killAfterMs: 30_000,
    prepareWorkspace: async workspace => {
      mkdirSync(path.join(workspace, 'build'))
      size = await writeAppArchive(path.join(workspace, 'build', 'app.apk'), 'apk', 200_000)
      // Not a zip: the simulator tells it from the checked file by its first bytes.
      writeFileSync(path.join(outside, 'secret.txt'), 'S'.repeat(size))
    }
  })
  await until(() => sim.requestsTo('upload-read').length > 0)
  const apk = path.join(started.workspace, 'build', 'app.apk')
  renameSync(apk, `${apk}.old`)
  symlinkSync(path.join(outside, 'secret.txt'), apk)
  const result = await started.result
  const [sent] = sim.requestsTo('upload')
  expect(sent.form?.file).toMatchObject({ bytes: size, zip: true })
  expect(result.exitCode).toBe(0)
})
