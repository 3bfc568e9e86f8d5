import { clip, formatDuration, oneLine } from './text.js'

/** Where the step's log goes: `@actions/core` in the action, a recorder in tests. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  startGroup(name: string): void
  endGroup(): void
}

/**
 * A retry, said so that an outage does not look like a hang: one warning when a streak of faults starts, then an
 * info line per attempt with when the next one is and how long the retries go on.
 */
export function announceRetry(
  log: Log,
  what: string,
  error: Error,
  attempt: number,
  delayMs: number,
  giveUpInMs: number
): void {
  const plan = `next attempt in ${formatDuration(delayMs)}, retrying for up to ${formatDuration(giveUpInMs)}`
  if (attempt === 1) log.warning(`${what} failed (${oneLine(error.message)}); ${plan}`)
  else log.info(`${what} failed again (attempt ${attempt}: ${clip(oneLine(error.message), 200)}); ${plan}`)
}
