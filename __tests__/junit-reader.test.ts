/**
 * The JUnit report's reader in a worker thread: its time limit, the job's cancellation, its heap limit and a worker
 * that ends without an answer, each with a real worker thread (small scripts standing in for the bundle's entry,
 * whose own side, `serveJunitRead`, the end-to-end tests run). The reader on this thread checks the signal first.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { JunitReadCancelled, junitWorkerReader, readJunitHere, serveJunitRead } from '../src/report/junit-reader.js'
import { scratchDir } from '../sim/scratch.js'

const XML = '<testsuites><testsuite name="d"><testcase name="t"/></testsuite></testsuites>'

/** A worker script with `body` after `const { parentPort, workerData } = require('node:worker_threads')`. */
function workerScript(name: string, body: string): URL {
  const file = path.join(scratchDir('junit-worker'), `${name}.cjs`)
  writeFileSync(file, `const { parentPort, workerData } = require('node:worker_threads')\n${body}\n`)
  return pathToFileURL(file)
}

function limits(timeLimitMs = 10_000, signal = new AbortController().signal) {
  return { timeLimitMs, signal }
}

describe('junitWorkerReader', () => {
  it('gives the worker the report and its options, and resolves with the cases it posts', async () => {
    const echo = workerScript(
      'echo',
      `const { xml, options } = workerData.junitRead
       parentPort.postMessage({ cases: [{ device: options.planName, name: String(xml.length), outcome: 'passed' }] })`
    )
    await expect(junitWorkerReader(echo)(XML, { planName: 'Plan' }, limits())).resolves.toEqual([
      { device: 'Plan', name: String(XML.length), outcome: 'passed' }
    ])
  })

  it("rejects with the worker's own message when it could not read the report", async () => {
    const refuses = workerScript(
      'refuses',
      `parentPort.postMessage({ error: 'The JUnit report is not well-formed XML' })`
    )
    await expect(junitWorkerReader(refuses)(XML, {}, limits())).rejects.toThrow(
      'The JUnit report is not well-formed XML'
    )
  })

  it('ends a worker that is still busy at the time limit (its event loop blocked), and says so', async () => {
    const busy = workerScript('busy', 'for (;;) {}')
    await expect(junitWorkerReader(busy)(XML, {}, limits(300))).rejects.toThrow(
      'the JUnit report was not read within 0.3 s'
    )
  })

  it('ends the worker at once when the job is cancelled', async () => {
    const busy = workerScript('busy', 'for (;;) {}')
    const cancel = new AbortController()
    const reading = junitWorkerReader(busy)(XML, {}, limits(60_000, cancel.signal))
    setTimeout(() => cancel.abort(), 100)
    await expect(reading).rejects.toThrow(JunitReadCancelled)
    // A job already cancelled starts no worker.
    await expect(junitWorkerReader(busy)(XML, {}, limits(60_000, cancel.signal))).rejects.toThrow(
      'the job was cancelled while the JUnit report was read'
    )
  })

  it('ends a worker past its heap limit, not the step', async () => {
    const hungry = workerScript('hungry', 'const kept = []; for (;;) kept.push(new Array(100_000).fill(kept.length))')
    await expect(junitWorkerReader(hungry)(XML, {}, limits(60_000))).rejects.toThrow(
      'the JUnit report needed more than 512 MiB to read'
    )
  })

  it('rejects when the worker ends without an answer', async () => {
    const quits = workerScript('quits', 'process.exit(3)')
    await expect(junitWorkerReader(quits)(XML, {}, limits())).rejects.toThrow(
      "the JUnit report's reader ended (exit code 3)"
    )
  })
})

describe('readJunitHere and serveJunitRead', () => {
  it('reads on this thread, unless the job was cancelled', async () => {
    await expect(readJunitHere(XML, {}, limits())).resolves.toEqual([{ device: 'd', name: 't', outcome: 'passed' }])
    const cancel = new AbortController()
    cancel.abort()
    await expect(readJunitHere(XML, {}, limits(1000, cancel.signal))).rejects.toThrow(JunitReadCancelled)
  })

  it('serves nothing on the main thread', () => {
    expect(serveJunitRead()).toBe(false)
  })
})
