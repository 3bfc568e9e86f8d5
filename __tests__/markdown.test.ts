import { escapeMarkdown } from '../src/report/markdown.js'

describe('escapeMarkdown', () => {
  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b *c* <d> & `e`')).toBe('a\\|b \\*c\\* &lt;d&gt; &amp; \\`e\\`')
  })
})
