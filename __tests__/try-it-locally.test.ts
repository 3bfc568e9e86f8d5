/**
 * What a contributor runs first: `.env.example` (for `npm run local-action`) names only inputs the action has, with
 * the values the README gives, and `npm run demo` refuses a scenario it does not know instead of running another.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { action, ROOT } from './helpers/action-usage.js'

/** `INPUT_NAME=value` lines of .env.example, commented-out ones included, by input name. */
function envExampleInputs(): Map<string, string> {
  const text = readFileSync(new URL('.env.example', ROOT), 'utf8')
  return new Map(
    [...text.matchAll(/^#? ?INPUT_([A-Z0-9-]+)=(.*)$/gm)].map(([, name, value]) => [name.toLowerCase(), value])
  )
}

describe('.env.example', () => {
  const inputs = envExampleInputs()

  it('names only inputs of action.yml, as the runner spells them (upper case, hyphens kept)', () => {
    expect(inputs.size).toBeGreaterThan(5)
    expect([...inputs.keys()].filter(name => !(name in action.inputs))).toEqual([])
  })

  it("polls at action.yml's default, as the README says", () => {
    expect(inputs.get('poll-interval-seconds')).toBe(action.inputs['poll-interval-seconds'].default)
  })

  it('says where the test plan id is as the README does', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
    const text = readFileSync(new URL('.env.example', ROOT), 'utf8')
    for (const words of ['CI/CD Integrations', 'executionId', 'REST API call to start Test Plan']) {
      expect({ words, readme: readme.includes(words), envExample: text.includes(words) }).toEqual({
        words,
        readme: true,
        envExample: true
      })
    }
  })
})

describe('npm run demo', () => {
  const demo = (...args: string[]) =>
    promisify(execFile)(fileURLToPath(new URL('node_modules/.bin/tsx', ROOT)), ['scripts/demo.ts', ...args], {
      cwd: fileURLToPath(ROOT)
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error
    )

  it('refuses a scenario it does not know, listing the ones it knows, before starting anything', async () => {
    const { code, stdout, stderr } = await demo('timeout')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('Unknown scenario "timeout". Known scenarios: fail, pass, rerun, mobile.')
    expect(stderr).toMatch(/^ {2}fail .*exits 1.*\(the default\)$/m)
  })

  it('refuses two scenarios at once', async () => {
    const { code, stderr } = await demo('pass', 'rerun')
    expect(code).toBe(2)
    expect(stderr).toContain('One scenario at a time, not "pass rerun".')
  })
})
