/**
 * A step must never end green without a verdict. Node exits with code 0 as soon as nothing keeps its event
 * loop alive, even while a promise is still waiting (a request whose answer will never complete, in a
 * library that forgot to listen for the connection's end): the action's code after that await simply never
 * runs. So the exit code is a failure from the start, and only a written verdict changes that.
 */

/** The part of `process` the guard uses; tests pass a stand-in. */
export interface GuardedProcess {
  exitCode?: number | string | null | undefined
  on(event: 'beforeExit' | 'exit', listener: (code: number) => void): unknown
}

export interface ExitGuard {
  /** The verdict was written: `passed` ends the step green (exit code 0), else red. */
  verdictWritten(passed: boolean): void
}

/**
 * Installs the guard: exit code 1 until a verdict is written, and, when the process ends without one,
 * one failure line (through `fail`, i.e. `core.setFailed`) that says so. Call it before anything else.
 */
export function installExitGuard(proc: GuardedProcess, fail: (message: string) => void): ExitGuard {
  let verdict: 'none' | 'passed' | 'failed' = 'none'
  proc.exitCode = 1
  const failWithoutVerdict = (why: string): void => {
    verdict = 'failed'
    fail(`The action ended without a verdict: ${why}. The step fails, because it must not pass without a result.`)
    proc.exitCode = 1
  }
  proc.on('beforeExit', () => {
    // The event loop is empty: whatever the action was awaiting can no longer happen.
    if (verdict === 'none') {
      failWithoutVerdict('nothing was left to wait on while it still waited (an answer that never completed)')
    }
  })
  proc.on('exit', code => {
    if (verdict === 'none') failWithoutVerdict(`it exited with code ${code} before writing one`)
  })
  return {
    verdictWritten(passed) {
      verdict = passed ? 'passed' : 'failed'
      proc.exitCode = passed ? 0 : 1
    }
  }
}
