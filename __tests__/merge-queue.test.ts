import {
  describeMergeQueueEntry,
  mergeQueueBuildNumber,
  mergeQueueEntryOf,
  noCommentInMergeQueue
} from '../src/github/merge-queue.js'
import { mergeGroupPayload } from '../sim/github-fake.js'

const HEAD = '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d'
const BASE = '380387fbc80638b734a49e1be1c4dfec1c01b33c'
const REF_SHA = '929f8209d40f77f4abc622a499c93a83babdbe64'

/** A `merge_group` payload as GitHub sends it, for pull request 104 into main. */
const payload = (): Record<string, unknown> =>
  mergeGroupPayload({
    number: 104,
    headSha: HEAD,
    baseSha: BASE,
    refSha: REF_SHA,
    repository: 'octo-org/octo-repo',
    apiUrl: 'https://api.github.com'
  })

/** The payload with `merge_group`'s fields changed (undefined removes one). */
function withGroup(fields: Record<string, unknown>): Record<string, unknown> {
  const event = payload()
  const group = { ...(event.merge_group as Record<string, unknown>), ...fields }
  for (const [name, value] of Object.entries(fields)) if (value === undefined) delete group[name]
  return { ...event, merge_group: group }
}

describe('mergeQueueEntryOf', () => {
  it('reads the pull request, the base branch and the tested commit, with links, from the payload', () => {
    expect(mergeQueueEntryOf('merge_group', payload())).toEqual({
      pullRequest: 104,
      baseBranch: 'main',
      headSha: HEAD,
      pullRequestUrl: 'https://github.com/octo-org/octo-repo/pull/104',
      commitUrl: `https://github.com/octo-org/octo-repo/commit/${HEAD}`
    })
  })

  it('keeps slashes in the base branch, and takes it from the ref when base_ref is missing', () => {
    const ref = `refs/heads/gh-readonly-queue/release/2.0/pr-7-${REF_SHA}`
    expect(
      mergeQueueEntryOf('merge_group', withGroup({ head_ref: ref, base_ref: 'refs/heads/release/2.0' }))
    ).toMatchObject({ pullRequest: 7, baseBranch: 'release/2.0' })
    expect(mergeQueueEntryOf('merge_group', withGroup({ head_ref: ref, base_ref: undefined }))).toMatchObject({
      pullRequest: 7,
      baseBranch: 'release/2.0'
    })
  })

  it('takes the head commit when head_sha is missing, and a ref without refs/heads/', () => {
    expect(
      mergeQueueEntryOf(
        'merge_group',
        withGroup({ head_sha: undefined, head_ref: `gh-readonly-queue/main/pr-5-${REF_SHA}` })
      )
    ).toMatchObject({ pullRequest: 5, headSha: HEAD })
  })

  it('gives no links when the repository address is missing or could break out of a markdown link', () => {
    for (const html_url of [undefined, 'javascript:alert(1)', 'https://github.com/o/r) [x](https://evil.example']) {
      const entry = mergeQueueEntryOf('merge_group', { ...payload(), repository: { html_url } })
      expect(entry).toEqual({ pullRequest: 104, baseBranch: 'main', headSha: HEAD })
    }
  })

  it.each([
    ['another event', 'push', payload()],
    ['no payload', 'merge_group', undefined],
    ['a payload that is not an object', 'merge_group', 'merge_group'],
    ['no merge_group', 'merge_group', { action: 'checks_requested' }],
    ['a merge_group that is not an object', 'merge_group', { merge_group: [HEAD] }],
    ['a head_ref that is no queue ref', 'merge_group', withGroup({ head_ref: 'refs/heads/feature/pr-104-x' })],
    ['pull request 0', 'merge_group', withGroup({ head_ref: `refs/heads/gh-readonly-queue/main/pr-0-${REF_SHA}` })],
    [
      'a pull request number of 17 digits',
      'merge_group',
      withGroup({ head_ref: `refs/heads/gh-readonly-queue/main/pr-99999999999999999-${REF_SHA}` })
    ],
    ['no head commit at all', 'merge_group', withGroup({ head_sha: undefined, head_commit: null })],
    ['a head_sha that is not one', 'merge_group', withGroup({ head_sha: 'main; rm -rf /', head_commit: null })],
    ['a base branch with a line break', 'merge_group', withGroup({ base_ref: 'refs/heads/main\n::error::x' })]
  ])('names no entry for %s (the run is then just not named)', (_, event, body) => {
    expect(mergeQueueEntryOf(event, body)).toBeUndefined()
  })
})

describe('what the action says about the entry', () => {
  const entry = { pullRequest: 104, baseBranch: 'main', headSha: HEAD }

  it('names the build "merge-queue #<pull request> <short sha>"', () => {
    expect(mergeQueueBuildNumber(entry)).toBe('merge-queue #104 2ffea6d')
  })

  it('logs the entry, and the build number when it gave one', () => {
    expect(describeMergeQueueEntry(entry)).toBe('Merge queue: pull request #104 into main at 2ffea6d')
    expect(describeMergeQueueEntry(entry, 'merge-queue #104 2ffea6d')).toBe(
      'Merge queue: pull request #104 into main at 2ffea6d; build-number is empty, so the run is named "merge-queue #104 2ffea6d"'
    )
  })

  it('says in one line why there is no comment, with or without the entry', () => {
    const said = noCommentInMergeQueue(entry)
    expect(said).toBe(
      'pr-comment is on, but this is a merge_group event: no comment. The merge queue tests pull request #104 merged ' +
        "into main after the entries ahead of it (2ffea6d), not the pull request's head, so the pull request keeps " +
        "the comment of its own run; this run's result is in the job summary"
    )
    expect(noCommentInMergeQueue(undefined)).toMatch(
      /^pr-comment is on, but this is a merge_group event: no comment\. The merge queue tests a merge of queued pull requests, not/
    )
    expect(`${said}${noCommentInMergeQueue(undefined)}`).not.toMatch(/[\r\n]/)
  })
})
