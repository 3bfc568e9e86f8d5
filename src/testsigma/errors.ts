/** How a failed request to Testsigma is described: what happened, what to do, and in a few words. */
import type { Fault, FaultError } from '../retry.js'

/** A request to Testsigma that failed; `message` says what happened and what to do, never the key. */
export class TestsigmaError extends Error implements FaultError {
  constructor(
    message: string,
    readonly fault: Fault,
    /** The server's own error text, trimmed to one line. */
    readonly serverMessage?: string
  ) {
    super(message)
    this.name = 'TestsigmaError'
  }

  /**
   * The server has no such path (a 404 no handler answered, docs §7): nothing was started, and a server that
   * speaks the other dialect may have it.
   */
  missingPath = false

  /**
   * A trigger whose answer does not say whether it started a run (lost, unreadable, or a status a proxy gives
   * after forwarding): the run may exist, and is looked for where the API allows (`trigger.ts`).
   */
  runMayExist = false

  /** What went wrong in a few words, for the summary's answer line ("the API key was refused"). */
  brief?: string
}

/** `error` with its `brief` set; returns it, so a creation site can say it in one expression. */
export function briefly<E extends TestsigmaError>(error: E, brief: string): E {
  error.brief = brief
  return error
}

/** The few words for a failed request that has no `brief` of its own, from what kind of fault it was. */
export function briefOf(error: unknown): string {
  if (error instanceof TestsigmaError) {
    if (error.brief !== undefined) return error.brief
    switch (error.fault.kind) {
      case 'network':
        return 'Testsigma could not be reached'
      case 'timeout':
        return 'Testsigma did not answer in time'
      case 'malformed':
        return "Testsigma's answer could not be read"
      case 'http':
        return `Testsigma answered HTTP ${error.fault.statusCode ?? '?'}`
    }
  }
  // Other step errors that carry their few words (the app upload's).
  const brief = error instanceof Error ? (error as { brief?: unknown }).brief : undefined
  if (typeof brief === 'string') return brief
  return 'an unexpected error'
}
