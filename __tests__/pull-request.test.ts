import { commentTargetOf } from '../src/github/pull-request.js'

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const payload = {
  pull_request: { number: 42, head: { sha: SHA } },
  repository: { name: 'shop', owner: { login: 'octo' } }
}

describe('commentTargetOf', () => {
  it.each(['pull_request', 'pull_request_target'])('finds the pull request and its head commit on %s', event => {
    expect(commentTargetOf(event, payload, 'octo/shop')).toEqual({
      kind: 'pull-request',
      pullRequest: { owner: 'octo', repo: 'shop', number: 42, headSha: SHA }
    })
  })

  it('falls back to the payload for the repository', () => {
    expect(commentTargetOf('pull_request', payload, undefined)).toMatchObject({
      pullRequest: { owner: 'octo', repo: 'shop' }
    })
  })

  it.each(['push', 'workflow_dispatch', 'schedule', undefined])(
    'writes no comment on a %s event, and says so',
    event => {
      const target = commentTargetOf(event, payload, 'octo/shop')
      expect(target.kind).toBe('none')
      expect(target.kind === 'none' ? target.reason : '').toContain('not pull_request or pull_request_target')
    }
  )

  it.each([
    ['no pull request', {}],
    ['no number', { pull_request: { head: { sha: SHA } } }],
    ['no head sha', { pull_request: { number: 42, head: {} } }],
    ['a head sha that is not one', { pull_request: { number: 42, head: { sha: 'main; rm -rf' } } }]
  ])('writes no comment for a payload with %s', (_, body) => {
    expect(commentTargetOf('pull_request', body, 'octo/shop').kind).toBe('none')
  })
})
