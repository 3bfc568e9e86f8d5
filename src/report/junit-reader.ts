/**
 * Reading the JUnit report within a budget. In the bundle the report is read in a worker thread started from the
 * bundle's own entry file (`index.ts` serves the worker's side with `serveJunitRead`), with a heap limit and a time
 * limit, and ended at once when the job is cancelled: the main thread's event loop stays free, so a signal is heard
 * and the step's verdict never waits on a report. The worker is started while the run goes on (`prepare`), so that
 * reading pays only for the parse. Tests, which run the sources, read on their own thread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { formatDuration } from '../text.js'
import { JunitOptions, loadJunitParser, parseJunitReport, TestCaseResult } from './junit.js'

export interface JunitReadLimits {
  /** The reading is given up after this long (a worker's limit; the reading on this thread cannot be stopped). */
  timeLimitMs: number
  /** Aborts the reading: the job was cancelled. */
  signal: AbortSignal
}

export interface JunitReader {
  /** Gets ready while the run goes on (a worker thread started, its parser loaded); never throws. */
  prepare(): void
  /**
   * Ends what `prepare` started, when no report will be read (the tests came from Testsigma's JSON results): its
   * worker thread holds a heap of its own until the process ends otherwise.
   */
  release?(): void
  /** The report's test cases; rejects with a message for people when it cannot read them within the limits. */
  read(xml: string, options: JunitOptions, limits: JunitReadLimits): Promise<TestCaseResult[]>
}

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
export const readJunitHere: JunitReader = {
  prepare: () => undefined,
  read: async (xml, options, limits) => {
    if (limits.signal.aborted) throw new JunitReadCancelled()
    return parseJunitReport(xml, options)
  }
}

/** What the worker is started with: the job's own key, so that nothing else run from the entry file takes it. */
interface JunitJob {
  junitReader: true
}

/** The one message the worker gets: the report to read. */
interface JunitRequest {
  xml: string
  options: JunitOptions
}

type JunitAnswer = { cases: TestCaseResult[] } | { error: string }

/** A worker thread that reads one report, and what became of it before it was asked to. */
interface Started {
  worker: Worker
  /** Set when it ended or failed before a report was given to it. */
  lost?: Error
}

/** Reads in a worker thread started from `script` (the bundle's entry file, which calls `serveJunitRead`). */
export function junitWorkerReader(script: URL): JunitReader {
  let ready: Started | undefined
  const start = (): Started => {
    const worker = new Worker(script, {
      workerData: { junitReader: true } satisfies JunitJob,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      // Nothing the worker might print reaches the runner's log: only the action's own lines do.
      stdout: true,
      stderr: true
    })
    worker.stdout.resume()
    worker.stderr.resume()
    // Waiting for a report, it holds nothing up: the step may end without reading one.
    worker.unref()
    const started: Started = { worker }
    worker.once('error', error => (started.lost ??= error))
    worker.once('exit', code => (started.lost ??= new Error(`the JUnit report's reader ended (exit code ${code})`)))
    return started
  }
  return {
    prepare() {
      try {
        ready ??= start()
      } catch {
        // Started again when the report is read, and what fails then is said then.
      }
    },
    release() {
      const started = ready
      ready = undefined
      if (started !== undefined) void started.worker.terminate()
    },
    read: (xml, options, { timeLimitMs, signal }) =>
      new Promise<TestCaseResult[]>((resolve, reject) => {
        if (signal.aborted) return reject(new JunitReadCancelled())
        const started = ready !== undefined && ready.lost === undefined ? ready : start()
        ready = undefined
        const { worker } = started
        worker.ref()
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
        worker.on('error', (error: Error & { code?: string }) => settle(() => reject(readerError(error))))
        worker.on('exit', code =>
          settle(() => reject(new Error(`the JUnit report's reader ended (exit code ${code})`)))
        )
        worker.postMessage({ xml, options } satisfies JunitRequest)
      })
  }
}

function readerError(error: Error & { code?: string }): Error {
  return error.code === 'ERR_WORKER_OUT_OF_MEMORY'
    ? new Error(`the JUnit report needed more than ${WORKER_HEAP_MB} MiB to read`)
    : error
}

/**
 * The worker's side, called first thing by the entry file: in a worker started by `junitWorkerReader`, loads the
 * parser, reads the one report it is sent, posts the cases (or the error's message) back, and returns true; anywhere
 * else returns false.
 */
export function serveJunitRead(): boolean {
  if (isMainThread || parentPort === null || !isJunitJob(workerData)) return false
  const port = parentPort
  // Loaded while the run goes on; a chunk that cannot be loaded fails the reading, with its message.
  loadJunitParser().catch(() => undefined)
  port.once('message', ({ xml, options }: JunitRequest) => {
    parseJunitReport(xml, options).then(
      cases => port.postMessage({ cases } satisfies JunitAnswer),
      (error: unknown) =>
        port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies JunitAnswer)
    )
  })
  return true
}

function isJunitJob(data: unknown): data is JunitJob {
  return typeof data === 'object' && data !== null && Object.hasOwn(data, 'junitReader')
}
