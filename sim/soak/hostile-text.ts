/**
 * Server text that would add markup to the job summary or the pull-request comment if it reached markdown as it
 * came: links, images and HTML to evil.example, mentions, table and list breakers, escapes that undo escapes, and
 * the words an object lookup trips on. Used by the rendered-markdown test (every field, every block) and by the
 * fault soak (plan names, results, statuses, test names, devices, messages, error bodies).
 */

/** The host every hostile link and image points at: a link there is one the action did not write. */
export const HOSTILE_HOST = 'evil.example'

export const HOSTILE_TEXTS: readonly string[] = [
  // The payload: a tracking image, HTML, a phishing link, a mention, a block closed early.
  'FAILURE** ![pixel](https://evil.example/t.png) <img src="https://evil.example/i.png"> [Log in](https://evil.example/login) @octocat </details> **',
  // A verdict and a link named like the action's own, pointing elsewhere.
  '**Passed** · [Open run 101 in Testsigma](https://evil.example/runs/101)',
  '<details open><summary>Passed</summary><a href="https://evil.example/x">ok</a></details><script>alert(1)</script><!-- hidden',
  '@octocat @github/security cc:@admin, mail someone@evil.example',
  'x | y |\n| --- | --- |\n| ![a](https://evil.example/a.png) | b',
  '[x]: https://evil.example/ref\n[x] [^1] <https://evil.example/angle> <mailto:a@evil.example>',
  '\\[link\\](https://evil.example/b) \\\\[x](https://evil.example/c) `` ` `` `[y](https://evil.example/d)`',
  '1. - > # --- === Passed',
  '- [ ] task [Open](https://evil.example/e)',
  '&lt;img src=x&gt; &#60;b&#62;bold&#60;/b&#62; &amp; &#64;octocat',
  '~~struck~~ _em_ *em* __strong__ <b>bold</b>',
  '[click](javascript:alert(1)) ![x](data:image/png;base64,AAAA) www.evil.example/w',
  'constructor',
  '__proto__',
  'toString',
  '::error::forged\r\n::add-mask::x \u202eevil\u2066'
]
