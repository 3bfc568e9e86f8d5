/**
 * The ReDoS check of `npm run lint` (eslint-plugin-regexp on src/): every pattern in the action's sources must match
 * in linear time, whatever the server sends. The pattern that once held the step (issue 17) is caught, and linear
 * rewrites pass.
 */
import { ESLint, Linter } from 'eslint'
import regexp from 'eslint-plugin-regexp'
import { fileURLToPath } from 'node:url'
import tseslint from 'typescript-eslint'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const eslint = new ESLint({ cwd: ROOT })

// The template pattern of src/report/junit.ts before issue 17: `\s*\S*\s*$` after the text traded spaces between
// its quantifiers, so 200,000 spaces before "x y" took minutes.
const OLD_TEMPLATE = String.raw`/^Test failed with message:"([\s\S]*)"\.please visit below URL for more details\.\s*\S*\s*$/i`

/** The rules the project's own config applies to a file of src/ (type information aside). */
async function srcRules(): Promise<Linter.RulesRecord> {
  const config = (await eslint.calculateConfigForFile('src/report/junit.ts')) as { rules: Linter.RulesRecord }
  return config.rules
}

/** What the project's ReDoS rules for src/ say about a source file that uses `pattern` as shown. */
async function problems(use: string): Promise<string[]> {
  const rules = Object.fromEntries(Object.entries(await srcRules()).filter(([rule]) => rule.startsWith('regexp/')))
  const messages = new Linter({ configType: 'flat' }).verify(
    `export const read = (text: string) => ${use}\n`,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { regexp }, rules }],
    'src/report/pattern-check.ts'
  )
  return messages.map(message => `${message.ruleId ?? 'parse'}: ${message.message}`)
}

describe('the ReDoS check on src/', () => {
  it('is on, as an error, for every source file', async () => {
    const rules = await srcRules()
    expect(rules['regexp/no-super-linear-backtracking']).toEqual([2, { report: 'potential' }])
    expect(rules['regexp/no-super-linear-move']).toEqual([
      2,
      { report: 'potential', ignoreSticky: false, ignorePartial: false }
    ])
  })

  it.each([
    ['the template pattern that held the step', `${OLD_TEMPLATE}.exec(text)`, 'regexp/no-super-linear-backtracking'],
    ['nested quantifiers', String.raw`/^(a+)+$/.test(text)`, 'regexp/no-super-linear-backtracking'],
    [
      'adjacent quantifiers over the same characters',
      String.raw`/\.\s*\S*\s*$/.test(text)`,
      'regexp/no-super-linear-backtracking'
    ],
    ['a run anchored at the end', String.raw`text.replace(/\/+$/, '')`, 'regexp/no-super-linear-move']
  ])('fails lint on %s', async (_, pattern, rule) => {
    expect(await problems(pattern)).toContainEqual(expect.stringMatching(new RegExp(`^${rule}: `)))
  })

  it.each([
    ['a fixed text', String.raw`[...text.matchAll(/"\.please visit below URL for more details\./gi)]`],
    ['a run replaced everywhere', String.raw`text.replace(/\s+/g, ' ')`],
    ['anchored digits', String.raw`/^\d+(\.\d+)?$/.test(text)`]
  ])('passes %s', async (_, pattern) => {
    expect(await problems(pattern)).toEqual([])
  })
})
