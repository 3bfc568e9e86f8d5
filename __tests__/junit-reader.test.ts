/**
 * The JUnit report's reader in a worker thread: started ahead or when needed, its time limit, the job's
 * cancellation, its heap limit and a worker that ends without an answer, each with a real worker thread (small
 * scripts standing in for the bundle's entry, whose own side, `serveJunitRead`, the end-to-end tests run). The
 * reader on this thread checks the signal first.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { JunitReadCancelled, junitWorkerReader, readJunitHere, serveJunitRead } from '../src/report/junit-reader.js'
import { scratchDir } from '../sim/scratch.js'

const XML = '<testsuites><testsuite name="d"><testcase name="t"/></testsuite></testsuites>'

/**
 * A worker script that runs `body` on the report it is sent (`request`: `{ xml, options }`), after `ahead` (run at
 * its start); `parentPort` and `workerData` in scope.
 */
function workerScript(name: string, body: string, ahead = ''): URL {
  const file = path.join(scratchDir('junit-worker'), `${name}.cjs`)
  writeFileSync(
    file,
    `const { parentPort, workerData } = require('node:worker_threads')\n${ahead}\n` +
      `parentPort.once('message', request => {\n${body}\n})\n`
  )
  return pathToFileURL(file)
}

function limits(timeLimitMs = 10_000, signal = new AbortController().signal) {
  return { timeLimitMs, signal }
}

describe('junitWorkerReader', () => {
  it('gives the worker the report and its options, and resolves with the cases it posts', async () => {
    const echo = workerScript(
      'echo',
      `const { xml, options } = request
       parentPort.postMessage({ cases: [{ device: options.planName, name: String(xml.length), outcome: 'passed' }] })`
    )
    await expect(junitWorkerReader(echo).read(XML, { planName: 'Plan' }, limits())).resolves.toEqual([
      { device: 'Plan', name: String(XML.length), outcome: 'passed' }
    ])
  })

  it('reads in the worker started ahead, while the run went on', async () => {
    const up = path.join(scratchDir('junit-worker-up'), 'up')
    const ahead = workerScript(
      'ahead',
      `parentPort.postMessage({ cases: [{ device: 'd', name: String(startedAt), outcome: 'passed' }] })`,
      `const startedAt = Date.now()
       require('node:fs').writeFileSync(${JSON.stringify(up)}, '')`
    )
    const reader = junitWorkerReader(ahead)
    reader.prepare()
    for (let i = 0; i < 1000 && !existsSync(up); i++) await new Promise(resolve => setTimeout(resolve, 10))
    const readAt = Date.now()
    const [testCase] = await reader.read(XML, {}, limits())
    expect(Number(testCase.name)).toBeLessThanOrEqual(readAt)
  })

  it('ends the worker started ahead when no report will be read (release), and starts one if one is read after all', async () => {
    const starts = path.join(scratchDir('junit-worker-starts'), 'starts')
    const counted = workerScript(
      'counted',
      `parentPort.postMessage({ cases: [{ device: 'd', name: String(startedAt), outcome: 'passed' }] })`,
      `const startedAt = Date.now()
       require('node:fs').appendFileSync(${JSON.stringify(starts)}, 'started\\n')`
    )
    const reader = junitWorkerReader(counted)
    reader.prepare()
    for (let i = 0; i < 1000 && !existsSync(starts); i++) await new Promise(resolve => setTimeout(resolve, 10))
    const releasedAt = Date.now()
    reader.release?.()
    const [testCase] = await reader.read(XML, {}, limits())
    expect(Number(testCase.name)).toBeGreaterThanOrEqual(releasedAt)
    expect(readFileSync(starts, 'utf8')).toBe('started\nstarted\n')
  })

  it('starts another worker when the one started ahead was lost before the report came', async () => {
    const flag = path.join(scratchDir('junit-worker-flag'), 'first-ended')
    const once = workerScript(
      'ends-once',
      `parentPort.postMessage({ cases: [] })`,
      `const fs = require('node:fs')
       if (!fs.existsSync(${JSON.stringify(flag)})) { fs.writeFileSync(${JSON.stringify(flag)}, ''); process.exit(5) }`
    )
    const reader = junitWorkerReader(once)
    reader.prepare()
    await new Promise(resolve => setTimeout(resolve, 300))
    await expect(reader.read(XML, {}, limits())).resolves.toEqual([])
  })

  it("rejects with the worker's own message when it could not read the report", async () => {
    const refuses = workerScript(
      'refuses',
      `parentPort.postMessage({ error: 'The JUnit report is not well-formed XML' })`
    )
    await expect(junitWorkerReader(refuses).read(XML, {}, limits())).rejects.toThrow(
      'The JUnit report is not well-formed XML'
    )
  })

  it('ends a worker that is still busy at the time limit (its event loop blocked), and says so', async () => {
    const busy = workerScript('busy', 'for (;;) {}')
    await expect(junitWorkerReader(busy).read(XML, {}, limits(300))).rejects.toThrow(
      'the JUnit report was not read within 0.3 s'
    )
  })

  it('ends the worker at once when the job is cancelled', async () => {
    const busy = workerScript('busy', 'for (;;) {}')
    const cancel = new AbortController()
    const reading = junitWorkerReader(busy).read(XML, {}, limits(60_000, cancel.signal))
    setTimeout(() => cancel.abort(), 100)
    await expect(reading).rejects.toThrow(JunitReadCancelled)
    // A job already cancelled starts no worker.
    await expect(junitWorkerReader(busy).read(XML, {}, limits(60_000, cancel.signal))).rejects.toThrow(
      'the job was cancelled while the JUnit report was read'
    )
  })

  it('ends a worker past its heap limit, not the step', async () => {
    const hungry = workerScript('hungry', 'const kept = []; for (;;) kept.push(new Array(100_000).fill(kept.length))')
    await expect(junitWorkerReader(hungry).read(XML, {}, limits(60_000))).rejects.toThrow(
      'the JUnit report needed more than 512 MiB to read'
    )
  })

  it('rejects when the worker ends without an answer', async () => {
    const quits = workerScript('quits', 'process.exit(3)')
    await expect(junitWorkerReader(quits).read(XML, {}, limits())).rejects.toThrow(
      "the JUnit report's reader ended (exit code 3)"
    )
  })
})

describe('readJunitHere and serveJunitRead', () => {
  it('reads on this thread, unless the job was cancelled', async () => {
    await expect(readJunitHere.read(XML, {}, limits())).resolves.toEqual([
      { device: 'd', name: 't', outcome: 'passed' }
    ])
    const cancel = new AbortController()
    cancel.abort()
    await expect(readJunitHere.read(XML, {}, limits(1000, cancel.signal))).rejects.toThrow(JunitReadCancelled)
  })

  it('serves nothing on the main thread', () => {
    expect(serveJunitRead()).toBe(false)
  })
})
