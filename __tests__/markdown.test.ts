import { escapeMarkdown } from '../src/report/escape.js'

describe('escapeMarkdown', () => {
  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b *c* <d> & `e`')).toBe('a\\|b \\*c\\* &lt;d&gt; &amp; \\`e\\`')
  })

  it('breaks @mentions of people and teams with a zero-width space, so they notify no one', () => {
    expect(escapeMarkdown('cc @octocat and @octo-org/qa_team')).toBe(
      'cc @&#8203;octocat and @&#8203;octo-org/qa\\_team'
    )
    expect(escapeMarkdown('mail qa@example.com, @ alone')).toBe('mail qa@&#8203;example.com, @ alone')
  })
})
