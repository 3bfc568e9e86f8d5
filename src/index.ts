import * as core from '@actions/core'
import { installExitGuard } from './exit-guard.js'
import { run } from './main.js'
import { systemClock } from './clock.js'
import { serveJunitRead } from './report/junit-reader.js'
import { logLine } from './text.js'

// A request left hanging (a proxy that never answers, a connection nobody closes) must not hold the step once
// the verdict is out: after this long with something still open, the process ends with the verdict's code. Short:
// it is part of the margin past timeout-minutes (step-bounds.ts).
const LINGER_AFTER_VERDICT_MS = 1000

// A worker thread started from this file reads a JUnit report (report/junit-reader.ts), and does nothing else.
if (!serveJunitRead()) runAction()

function runAction(): void {
  // First of all: until a verdict is written, the step is red, whatever way the process ends.
  const guard = installExitGuard(process, message => core.setFailed(logLine(message)))

  run({
    core,
    env: process.env,
    clock: systemClock,
    onVerdict: passed => guard.verdictWritten(passed),
    // This very file: in the bundle, dist/index.js.
    junitWorker: new URL(import.meta.url),
    // timeout-minutes counts from the process's start, start-up included.
    startedAt: Math.floor(performance.timeOrigin)
  })
    .catch((error: unknown) => {
      core.setFailed(
        logLine(`The action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`)
      )
      guard.verdictWritten(false)
    })
    .finally(() => {
      setTimeout(() => process.exit(), LINGER_AFTER_VERDICT_MS).unref()
    })
}
