/** What happened to the run's JUnit report after the run finished, as plain facts. */
export interface JunitFacts {
  /** Whether the run passed: a passed run has no failed tests to list, so a missing report matters less. */
  passed: boolean
  /** The `junit-report` path as the user wrote it; absent when no file was asked for. */
  target?: string
  /** Why the report could not be had; when set, nothing was written or read. */
  fetchError?: string
  /** Why the file could not be written (only when a file was asked for and the report was had). */
  writeError?: string
  /** Why the report could not be read as JUnit (only when it was had). */
  parseError?: string
}

export interface LogLine {
  level: 'info' | 'warning'
  message: string
}

export interface JunitNotes {
  /** What the step logs, in order. */
  log: LogLine[]
  /** What the summary and the comment say about the report, when something is missing that matters. */
  reportWarning?: string
}

/**
 * What to say after the JUnit step. A missing report never changes the verdict: it is one warning when it
 * costs the user something (the file they asked for, or the list of failed tests), else an info line.
 */
export function junitNotes(facts: JunitFacts): JunitNotes {
  const { passed, target } = facts
  if (facts.fetchError !== undefined) {
    const reason = facts.fetchError
    if (target === undefined && passed) return { log: [{ level: 'info', message: `No JUnit report read: ${reason}` }] }
    const message =
      target === undefined
        ? `Failed tests are not listed: ${reason}`
        : passed
          ? `No JUnit report written to ${target}: ${reason}`
          : `No JUnit report written to ${target}, and failed tests are not listed: ${reason}`
    return { log: [{ level: 'warning', message }], reportWarning: message }
  }

  const log: LogLine[] = []
  if (target !== undefined) {
    log.push(
      facts.writeError === undefined
        ? { level: 'info', message: `JUnit report written to ${target}` }
        : { level: 'warning', message: `No JUnit report written to ${target}: ${facts.writeError}` }
    )
  }
  if (facts.parseError === undefined) return { log }
  if (passed) return { log: [...log, { level: 'info', message: `No JUnit report read: ${facts.parseError}` }] }
  const message = `Failed tests are not listed: ${facts.parseError}`
  return { log: [...log, { level: 'warning', message }], reportWarning: message }
}
