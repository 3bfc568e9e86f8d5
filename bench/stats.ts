/** Pure arithmetic and layout for the benchmark: no I/O, so it is unit-tested. */
import { backoffDelayMs, DEFAULT_RETRY_POLICY, RetryPolicy } from '../src/retry.js'

/** Median, min and max of a series of measurements (the median of an even count is the mean of the middle two). */
export interface Spread {
  median: number
  min: number
  max: number
  n: number
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length }
}

/**
 * Status requests a run of `runLengthMs` needs at best when polled every `intervalMs` from the trigger on:
 * the trigger's answer is the first state, so the polls fall at 1, 2, … intervals, and the first at or
 * after completion reads it finished.
 */
export function idealStatusRequests(runLengthMs: number, intervalMs: number): number {
  return Math.max(1, Math.ceil(runLengthMs / intervalMs))
}

/**
 * How far request arrivals stray from a fixed cadence set by the first one (first + k × interval), in ms.
 * A loop that adds each request's time to the interval drifts further with every poll; a fixed cadence
 * stays within timer lateness.
 */
export function cadenceDriftMs(arrivals: number[], intervalMs: number): number {
  if (arrivals.length < 2) return 0
  const first = arrivals[0]
  return Math.max(...arrivals.map((at, k) => Math.abs(at - (first + k * intervalMs))))
}

/** Completion time, relative to the trigger, that falls `marginMs` after poll number `k` (worst case). */
export function justAfterPoll(k: number, intervalMs: number, phaseMs: number, marginMs: number): number {
  return k * intervalMs + phaseMs + marginMs
}

/** The least and most a streak of `faults` retries waits in all under `policy` (jitter at its extremes). */
export function backoffRangeMs(
  faults: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY
): { min: number; max: number } {
  let min = 0
  let max = 0
  for (let attempt = 1; attempt <= faults; attempt++) {
    min += backoffDelayMs(attempt, policy, 0)
    max += backoffDelayMs(attempt, policy, 1)
  }
  return { min, max }
}

/** Left-aligned first column, right-aligned figures, two spaces between columns. */
export function renderTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map(row => (row[column] ?? '').length)))
  const line = (row: string[]): string =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map(width => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}

/** "+ 48 ms", "− 4 ms": a difference, with a real minus sign. */
export function signed(value: number, format: (magnitude: number) => string = ms): string {
  return `${value < 0 ? '−' : '+'} ${format(Math.abs(value))}`
}

export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`
}
