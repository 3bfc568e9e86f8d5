import { readFileSync } from 'node:fs'
import { ACTION_VERSION } from '../src/version.js'

it('sends the version in package.json in its User-Agent', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  expect(ACTION_VERSION).toBe(pkg.version)
})
