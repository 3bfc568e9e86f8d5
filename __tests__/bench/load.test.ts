import { describe, expect, it } from '@jest/globals'
import { describeLoad, isHeavy, startLoadProbe } from '../../bench/load.js'

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

describe('startLoadProbe', () => {
  it("reads the others' share of the CPU from /proc on Linux (0 to 1), and none elsewhere", () => {
    const { cores, othersCpu } = startLoadProbe().stop()
    expect(cores).toBeGreaterThan(0)
    const read = othersCpu !== undefined && othersCpu >= 0 && othersCpu <= 1
    expect(read).toBe(process.platform === 'linux')
  })
})
