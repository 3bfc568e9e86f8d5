import { describe, expect, it } from '@jest/globals'
import {
  backoffRangeMs,
  cadenceDriftMs,
  idealStatusRequests,
  justAfterPoll,
  renderTable,
  signed,
  spread
} from '../../bench/stats.js'

describe('spread', () => {
  it('gives the middle value of an odd count, and min and max', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 })
  })

  it('averages the middle two of an even count', () => {
    expect(spread([4, 1, 3, 2]).median).toBe(2.5)
  })

  it('refuses an empty series rather than inventing a figure', () => {
    expect(() => spread([])).toThrow('no values')
  })
})

describe('idealStatusRequests', () => {
  it('counts the polls at 1, 2, … intervals up to the first at or after completion (none at the trigger)', () => {
    expect(idealStatusRequests(2500, 1000)).toBe(3)
    expect(idealStatusRequests(3000, 1000)).toBe(3)
    expect(idealStatusRequests(2061, 1000)).toBe(3)
    expect(idealStatusRequests(15_150, 15_000)).toBe(2)
  })

  it('is one poll for a run that is finished by the first', () => {
    expect(idealStatusRequests(400, 1000)).toBe(1)
    expect(idealStatusRequests(0, 1000)).toBe(1)
  })
})

describe('cadenceDriftMs', () => {
  it('is zero for polls on a fixed cadence', () => {
    expect(cadenceDriftMs([1005, 2005, 3005], 1000)).toBe(0)
  })

  it('grows when each request time is added to the interval', () => {
    // 40 ms per request added to a 1 s sleep: 40, 80, 120 ms behind the cadence.
    expect(cadenceDriftMs([1000, 2040, 3080, 4120], 1000)).toBe(120)
  })

  it('is zero for fewer than two polls', () => {
    expect(cadenceDriftMs([1000], 1000)).toBe(0)
  })
})

describe('justAfterPoll', () => {
  it('places the completion the margin after poll k', () => {
    expect(justAfterPoll(2, 1000, 7, 50)).toBe(2057)
  })
})

describe('backoffRangeMs', () => {
  it('sums the half and the whole of each exponential delay', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 30_000, giveUpAfterMs: 300_000 }
    expect(backoffRangeMs(3, policy)).toEqual({ min: 500 + 1000 + 2000, max: 1000 + 2000 + 4000 })
  })

  it('respects the cap', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 1500, giveUpAfterMs: 300_000 }
    expect(backoffRangeMs(3, policy).max).toBe(1000 + 1500 + 1500)
  })
})

describe('signed', () => {
  it('writes a difference with its sign, a real minus for negatives', () => {
    expect(signed(48)).toBe('+ 48 ms')
    expect(signed(-4)).toBe('− 4 ms')
    expect(signed(-1, String)).toBe('− 1')
  })
})

describe('renderTable', () => {
  it('aligns the first column left and the figures right', () => {
    expect(
      renderTable(
        ['name', 'ms'],
        [
          ['start-up', '145 ms'],
          ['lag', '9 ms']
        ]
      )
    ).toBe(['name          ms', '────────  ──────', 'start-up  145 ms', 'lag         9 ms'].join('\n'))
  })
})
