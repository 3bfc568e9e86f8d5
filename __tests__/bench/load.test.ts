import { describe, expect, it } from '@jest/globals'
import { describeLoad, isHeavy, othersCpuShare, readCpuTimes } from '../../bench/load.js'

describe('isHeavy', () => {
  it("judges by other processes' share of the CPU where /proc tells it", () => {
    expect(isHeavy(2, 5, 0.1)).toBe(false)
    expect(isHeavy(2, 0, 0.25)).toBe(true)
  })

  it('falls back to the load average per core without /proc', () => {
    expect(isHeavy(2, 1.9, undefined)).toBe(false)
    expect(isHeavy(2, 2, undefined)).toBe(true)
  })
})

describe('describeLoad', () => {
  it('prints the share of the others, the load average and HEAVY', () => {
    const line = describeLoad({ cores: 2, loadAverage: { before: 0.41, after: 1.02 }, othersCpu: 0.3, heavy: true })
    expect(line).toBe('load: other processes 30 % of CPU, load average 0.41 → 1.02 (2 cores) — HEAVY')
  })
})

describe('othersCpuShare', () => {
  it("is the machine's busy time less the benchmark's own, over all the time that passed", () => {
    const start = { busy: 100, total: 1000, ours: 10 }
    expect(othersCpuShare(start, { busy: 300, total: 1400, ours: 60 })).toBe(0.375)
  })

  it('is 0, not negative, when the benchmark was all the work (its children are counted when reaped)', () => {
    expect(othersCpuShare({ busy: 0, total: 0, ours: 0 }, { busy: 50, total: 400, ours: 80 })).toBe(0)
  })

  it('is undefined when no clock tick passed', () => {
    expect(othersCpuShare({ busy: 5, total: 10, ours: 1 }, { busy: 5, total: 10, ours: 1 })).toBeUndefined()
  })
})

describe('readCpuTimes', () => {
  it('reads the machine and this process from /proc on Linux, and nothing elsewhere', () => {
    const times = readCpuTimes()
    const read = times !== undefined && times.busy <= times.total && times.ours >= 0 && Number.isFinite(times.total)
    expect(read).toBe(process.platform === 'linux')
  })
})
