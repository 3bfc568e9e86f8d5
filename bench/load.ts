/**
 * How busy the machine was while a figure was measured. Start-up times move with whatever else the machine
 * is doing, so every figure is printed with the load it was measured under, and a start-up ratio measured
 * under heavy load is marked as not comparable.
 *
 * Two readings:
 * - the 1-minute load average before and after (every platform; it lags, and counts the benchmark too);
 * - on Linux, the share of all cores' CPU time that went to other processes during the measurement:
 *   the busy time in /proc/stat less the benchmark's own (this process and every child it waited for,
 *   /proc/self/stat utime + stime + cutime + cstime). That one is not fooled by the benchmark's own load.
 *
 * Heavy: other processes took at least HEAVY_OTHERS_CPU of the machine's CPU time (a quarter: half a core
 * on a 2-core machine), or, where /proc cannot be read, a load average before the measurement of at
 * least one per core.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'

export const HEAVY_OTHERS_CPU = 0.25
export const HEAVY_LOAD_PER_CORE = 1

export interface LoadReading {
  cores: number
  /** 1-minute load average when the measurement began and ended. */
  loadAverage: { before: number; after: number }
  /** Share of all cores' time used by other processes meanwhile (0–1); undefined without /proc. */
  othersCpu?: number
  heavy: boolean
}

export interface CpuTimes {
  /** All cores' busy clock ticks (USER_HZ) since boot. */
  busy: number
  /** All cores' clock ticks since boot, idle included. */
  total: number
  /** This process's and its reaped children's CPU ticks. */
  ours: number
}

/** The machine's and the benchmark's CPU ticks so far, from /proc; undefined where it cannot be read. */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu
    // After the command name, which may hold spaces: field 3 (state) is index 0, utime (14) is index 11.
    const self = readFileSync('/proc/self/stat', 'utf8')
    const fields = self
      .slice(self.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number)
    const ours = fields[11] + fields[12] + fields[13] + fields[14]
    const total = user + nice + system + idle + iowait + irq + softirq + steal
    if (![total, ours].every(Number.isFinite)) return undefined
    return { busy: total - idle - iowait, total, ours }
  } catch {
    return undefined
  }
}

/** Starts watching; `stop()` returns what the machine did meanwhile. */
export function startLoadProbe(): { stop(): LoadReading } {
  const cores = os.cpus().length
  const before = os.loadavg()[0]
  const start = readCpuTimes()
  return {
    stop() {
      const end = readCpuTimes()
      const after = os.loadavg()[0]
      const othersCpu = start === undefined || end === undefined ? undefined : othersCpuShare(start, end)
      return { cores, loadAverage: { before, after }, othersCpu, heavy: isHeavy(cores, before, othersCpu) }
    }
  }
}

/**
 * Share of all cores' time between two readings that went to other processes (0–1): busy time less the
 * benchmark's own. undefined when no clock tick passed in between (nothing to judge by).
 */
export function othersCpuShare(start: CpuTimes, end: CpuTimes): number | undefined {
  const elapsed = end.total - start.total
  if (elapsed <= 0) return undefined
  const others = end.busy - start.busy - (end.ours - start.ours)
  return Math.min(1, Math.max(0, others / elapsed))
}

export function isHeavy(cores: number, loadBefore: number, othersCpu: number | undefined): boolean {
  if (othersCpu !== undefined) return othersCpu >= HEAVY_OTHERS_CPU
  return loadBefore / cores >= HEAVY_LOAD_PER_CORE
}

/** "load: others 3 % of CPU, load average 0.41 → 1.02 (2 cores)", and HEAVY when it was. */
export function describeLoad(load: LoadReading): string {
  const others = load.othersCpu === undefined ? '' : `other processes ${(load.othersCpu * 100).toFixed(0)} % of CPU, `
  const average = `load average ${load.loadAverage.before.toFixed(2)} → ${load.loadAverage.after.toFixed(2)}`
  return `load: ${others}${average} (${load.cores} cores)${load.heavy ? ' — HEAVY' : ''}`
}
