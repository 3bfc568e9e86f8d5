import { clip, formatDuration, oneLine } from '../src/text.js'

describe('formatDuration', () => {
  it.each([
    [800, '0.8 s'],
    [45_000, '45 s'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h'],
    [3_725_000, '1 h 2 min']
  ])('formatDuration(%d) is %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})

describe('oneLine', () => {
  it('joins every kind of line break, so server text cannot start a log line', () => {
    expect(oneLine('a\r\nb\nc\u2028d\u2029e')).toBe('a b c d e')
  })
})

describe('clip', () => {
  it('cuts with an ellipsis and never splits a surrogate pair', () => {
    expect(clip('abcdef', 4)).toBe('abc…')
    expect(clip('ab😀cd', 4)).toBe('ab…')
    expect(clip('abc', 3)).toBe('abc')
  })
})
