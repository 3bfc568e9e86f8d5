import { InputError, parseConfig } from '../src/config.js'

function configOf(inputs: Record<string, string>) {
  const all: Record<string, string> = { 'api-key': 'key-123', 'test-plan-id': '2048', ...inputs }
  return parseConfig(name => all[name] ?? '', '/home/runner/work/repo/repo')
}

describe('parseConfig: pr-comment and github-token', () => {
  it('defaults to no comment and no token', () => {
    expect(configOf({})).toMatchObject({ prComment: false, githubToken: undefined })
  })

  it.each([
    ['true', true],
    ['True', true],
    ['FALSE', false]
  ])('reads pr-comment: %s', (text, value) => {
    expect(configOf({ 'pr-comment': text, 'github-token': 'ghs_abc' })).toMatchObject({
      prComment: value,
      githubToken: 'ghs_abc'
    })
  })

  it('refuses a pr-comment that is not a boolean, naming the input', () => {
    expect(() => configOf({ 'pr-comment': 'yes please' })).toThrow(
      new InputError('pr-comment', 'must be true or false, got "yes please"', 'true')
    )
  })

  it('refuses a token with a line break without quoting it', () => {
    let error: unknown
    try {
      configOf({ 'github-token': 'ghs_secret\nmore' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(/^Input "github-token" contains white space/)
    expect((error as Error).message).not.toContain('ghs_secret')
  })
})
