import { clip, formatDuration, logLine, oneLine, scrubSecrets, withoutTrailingSlashes } from '../src/text.js'

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

describe('logLine: what the runner would read as a workflow command is made inert', () => {
  // Every form actions/runner's ActionCommandManager obeys: `::` after leading white space (TryParseV2),
  // legacy `##[` anywhere (TryParse), and the stop-commands token.
  it.each([
    ['::set-output name=result::SUCCESS', ': :set-output name=result::SUCCESS'],
    ['  ::add-mask::hello', ': :add-mask::hello'],
    ['\u001f\u00a0::error::forged', ': :error::forged'],
    ['\u0085::warning::forged', ': :warning::forged'],
    ['::stop-commands::abc123', ': :stop-commands::abc123'],
    ['STATUS\n::set-output name=x::y', 'STATUS ::set-output name=x::y'],
    ['STATUS\r::error::x', 'STATUS ::error::x'],
    ['ok ##[set-output name=x;]y', 'ok ## [set-output name=x;]y'],
    ['##[error]forged', '## [error]forged'],
    ['net::ERR_CONNECTION_RESET stays readable', 'net::ERR_CONNECTION_RESET stays readable']
  ])('%j becomes %j', (text, line) => {
    expect(logLine(text)).toBe(line)
  })

  it('never leaves a line that starts with :: or contains ##[, whatever the input', () => {
    const nasty = ['\t', ' ', '\u000b', '\u000c', '\u001c', '\u2028', '\u3000', '\ufeff', '\r\n']
    for (const lead of nasty) {
      const line = logLine(`${lead}::set-output name=a::b ##[add-mask]c`)
      expect(line.split(/[\r\n]/)).toHaveLength(1)
      // .NET's TrimStart removes these (char.IsWhiteSpace) before looking for `::`.
      // eslint-disable-next-line no-control-regex -- the runner's white space includes U+001C to U+001F
      expect(line.replace(/^[\s\u0085\u001c-\u001f]+/, '').startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
    }
  })

  it('scrubs the secrets it is given, in every spelling', () => {
    expect(logLine('Invalid token: Bearer k3y/+&<x>', ['k3y/+&<x>'])).toBe('Invalid token: Bearer ***')
    expect(logLine('url?key=k3y%2F%2B%26%3Cx%3E', ['k3y/+&<x>'])).toBe('url?key=***')
    expect(logLine('md k3y/\\+&amp;&lt;x&gt;', ['k3y/+&<x>'])).toBe('md ***')
  })
})

describe('scrubSecrets', () => {
  it('replaces the longest spelling first and leaves other text alone', () => {
    expect(scrubSecrets('a "ab\\"c" ab"c', ['ab"c'])).toBe('a "***" ***')
    expect(scrubSecrets('nothing here', ['secret', ''])).toBe('nothing here')
  })
})

describe('withoutTrailingSlashes', () => {
  it.each([
    ['https://x.example/', 'https://x.example'],
    ['https://x.example/a//', 'https://x.example/a'],
    ['https://x.example', 'https://x.example'],
    ['///', ''],
    ['', '']
  ])('%j → %j', (text, expected) => {
    expect(withoutTrailingSlashes(text)).toBe(expected)
  })

  it('takes a million slashes off at once', () => {
    expect(withoutTrailingSlashes(`https://x${'/'.repeat(1_000_000)}`)).toBe('https://x')
  })
})
