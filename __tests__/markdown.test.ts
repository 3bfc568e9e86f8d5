import { escapeMarkdown } from '../src/report/escape.js'
import type { TestCaseResult } from '../src/report/junit.js'
import { deviceLines } from '../src/report/markdown.js'

describe('escapeMarkdown', () => {
  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b *c* <d> & `e`')).toBe('a\\|b \\*c\\* &lt;d&gt; &amp; \\`e\\`')
  })

  it.each([
    ['- item', '\\- item'],
    ['--- rule', '\\--- rule'],
    ['-', '\\-'],
    ['1. item', '1\\. item'],
    ['123456789. item', '123456789\\. item'],
    ['-5 °C', '-5 °C'],
    ['1.4.2', '1.4.2'],
    ['a - b', 'a - b']
  ])('escapes a list marker only where it starts the text: %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped)
  })

  it('breaks @mentions of people and teams with a zero-width space, so they notify no one', () => {
    expect(escapeMarkdown('cc @octocat and @octo-org/qa_team')).toBe(
      'cc @&#8203;octocat and @&#8203;octo-org/qa\\_team'
    )
    expect(escapeMarkdown('mail qa@example.com, @ alone')).toBe('mail qa@&#8203;example.com, @ alone')
  })
})

describe('deviceLines of a re-run', () => {
  const onDevices = (count: number): TestCaseResult[] =>
    Array.from({ length: count }, (_, i) => ({ device: `Device ${i + 1}`, name: 'Log in', outcome: 'passed' as const }))

  it('says whose devices they are, before the list or in the folded block', () => {
    expect(deviceLines(onDevices(2), 'run 339 (re-run 1)').slice(0, 3)).toEqual([
      '**Devices in run 339 (re-run 1):**',
      '',
      '- **Device 1:** 1 test: 1 passed'
    ])
    expect(deviceLines(onDevices(11), 'run 339 (re-run 1)')[0]).toBe(
      '<details><summary>Results on 11 devices in run 339 (re-run 1)</summary>'
    )
    expect(deviceLines(onDevices(2))[0]).toBe('- **Device 1:** 1 test: 1 passed')
  })
})
