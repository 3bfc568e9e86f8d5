/**
 * Reading the JUnit report within a budget. In the bundle the report is read in a worker thread, started from the
 * bundle's own entry file (`index.ts` serves the worker's side with `serveJunitRead`), with a heap limit and a time
 * limit, and ended at once when the job is cancelled: the main thread's event loop stays free, so a signal is heard
 * and the step's verdict never waits on a report. Tests, which run the sources, read on their own thread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { formatDuration } from '../text.js'
import { JunitOptions, parseJunitReport, TestCaseResult } from './junit.js'

export interface JunitReadLimits {
  /** The reading is given up after this long (a worker's limit; the reading on this thread cannot be stopped). */
  timeLimitMs: number
  /** Aborts the reading: the job was cancelled. */
  signal: AbortSignal
}

/** Reads the report into its test cases; rejects with a message for people when it cannot, within the limits. */
export type JunitReader = (xml: string, options: JunitOptions, limits: JunitReadLimits) => Promise<TestCaseResult[]>

/** The reading was given up because the job was cancelled. */
export class JunitReadCancelled extends Error {
  constructor() {
    super('the job was cancelled while the JUnit report was read')
    this.name = 'JunitReadCancelled'
  }
}

// Within JUNIT_LIMITS a report takes at most a few hundred MiB to read; past this the worker is ended, not the step.
const WORKER_HEAP_MB = 512

/** Reads on this thread: what tests of the sources use (the caps of `parseJunitReport` apply, not the time limit). */
export const readJunitHere: JunitReader = async (xml, options, limits) => {
  if (limits.signal.aborted) throw new JunitReadCancelled()
  return parseJunitReport(xml, options)
}

/** What the worker is given: the job's own key, so that nothing else run from the entry file is mistaken for it. */
interface JunitJob {
  junitRead: { xml: string; options: JunitOptions }
}

type JunitAnswer = { cases: TestCaseResult[] } | { error: string }

/** Reads in a worker thread started from `script` (the bundle's entry file, which calls `serveJunitRead`). */
export function junitWorkerReader(script: URL): JunitReader {
  return (xml, options, { timeLimitMs, signal }) =>
    new Promise<TestCaseResult[]>((resolve, reject) => {
      if (signal.aborted) return reject(new JunitReadCancelled())
      const job: JunitJob = { junitRead: { xml, options } }
      const worker = new Worker(script, {
        workerData: job,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
        // Nothing the worker might print reaches the runner's log: only the action's own lines do.
        stdout: true,
        stderr: true
      })
      worker.stdout.resume()
      worker.stderr.resume()
      let settled = false
      const settle = (outcome: () => void): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        void worker.terminate()
        outcome()
      }
      const onAbort = (): void => settle(() => reject(new JunitReadCancelled()))
      const timer = setTimeout(
        () => settle(() => reject(new Error(`the JUnit report was not read within ${formatDuration(timeLimitMs)}`))),
        timeLimitMs
      )
      signal.addEventListener('abort', onAbort, { once: true })
      worker.on('message', (answer: JunitAnswer) =>
        settle(() => ('cases' in answer ? resolve(answer.cases) : reject(new Error(answer.error))))
      )
      worker.on('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            new Error(
              error.code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? `the JUnit report needed more than ${WORKER_HEAP_MB} MiB to read`
                : error.message
            )
          )
        )
      )
      worker.on('exit', code => settle(() => reject(new Error(`the JUnit report's reader ended (exit code ${code})`))))
    })
}

/**
 * The worker's side, called first thing by the entry file: in a worker started by `junitWorkerReader`, reads the
 * report it was given, posts the cases (or the error's message) back, and returns true; anywhere else returns false.
 */
export function serveJunitRead(): boolean {
  if (isMainThread || parentPort === null || !isJunitJob(workerData)) return false
  const port = parentPort
  const { xml, options } = workerData.junitRead
  parseJunitReport(xml, options).then(
    cases => port.postMessage({ cases } satisfies JunitAnswer),
    (error: unknown) =>
      port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies JunitAnswer)
  )
  return true
}

function isJunitJob(data: unknown): data is JunitJob {
  return typeof data === 'object' && data !== null && Object.hasOwn(data, 'junitRead')
}
