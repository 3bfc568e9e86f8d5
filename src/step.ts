/** What one step's orchestration is given: the client, the clock, the log, the cancellation. */
import type { Clock } from './clock.js'
import type { Log } from './log.js'
import type { JunitReader } from './report/junit-reader.js'
import type { TestsigmaClient } from './testsigma/client.js'

export interface StepDeps {
  client: TestsigmaClient
  clock: Clock
  log: Log
  /** Aborts when the job is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  /** Called as soon as the run exists, so its id and link are out even if the step is killed later. */
  onRunStarted?: (runId: string, runUrl: string) => void
  /** The retries' jitter; tests pin it. */
  random?: () => number
  /** The end of timeout-minutes (clock time), when the caller set it from the step's start; else from now. */
  deadline?: number
  /** How the JUnit report is read: in a worker thread in the bundle (main.ts); on this thread when absent. */
  readJunit?: JunitReader
}
