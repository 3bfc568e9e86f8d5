/**
 * action.yml as GitHub Marketplace reads it. The Marketplace refuses a description over 125 characters;
 * the branding icon and colour must come from its fixed sets, which @action-validator/core's schema holds
 * (the same check `npm run lint:action` runs on the command line).
 */
import { readFileSync } from 'node:fs'
import { validateAction } from '@action-validator/core'
import { action, ROOT } from './helpers/action-usage.js'

const text = readFileSync(new URL('action.yml', ROOT), 'utf8')

describe('action.yml for the Marketplace', () => {
  it('has a name and a description of at most 125 characters', () => {
    expect(action.name.trim()).not.toBe('')
    expect(action.description.length).toBeLessThanOrEqual(125)
  })

  it('has its branding: an icon and a colour, which the Marketplace shows on its card', () => {
    const { icon, color } = action.branding ?? {}
    expect({ icon: typeof icon, color: typeof color }).toEqual({ icon: 'string', color: 'string' })
  })

  it('passes the action schema, branding included', () => {
    expect(validateAction(text).errors).toEqual([])
  })

  it('would be refused with an icon or colour outside the allowed sets', () => {
    const bad = text.replace(/icon: .*/, 'icon: testsigma-logo').replace(/color: .*/, 'color: teal')
    expect(validateAction(bad).errors.map(error => ('path' in error ? error.path : error.title))).toEqual([
      '/branding/color',
      '/branding/icon'
    ])
  })
})
