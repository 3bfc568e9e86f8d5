/**
 * The decisions of `npm run release`: the next version, the tags, the CHANGELOG section move, and when the
 * repository is not fit to release from. The CHANGELOG it writes must stay as Prettier formats it (`.ci/run` checks).
 */
import { readFileSync } from 'node:fs'
import * as prettier from 'prettier'
import {
  moveUnreleased,
  nextVersion,
  NO_RELEASE_YET,
  refusals,
  releasedVersions,
  releaseNotes,
  releaseTags,
  RepositoryState
} from '../scripts/release-plan.js'
import { ROOT } from './helpers/action-usage.js'

describe('releasedVersions', () => {
  it('keeps the vX.Y.Z tags, highest first, and leaves out major tags, pre-releases and other names', () => {
    expect(releasedVersions(['v1', 'v1.2.0', 'v1.10.0', 'v1.9.3', 'v2.0.0-rc.1', 'nightly', 'v01.0.0', ''])).toEqual([
      '1.10.0',
      '1.9.3',
      '1.2.0'
    ])
  })
})

describe('nextVersion', () => {
  it.each([
    ['patch', '1.2.3', '1.2.4'],
    ['minor', '1.2.3', '1.3.0'],
    ['major', '1.2.3', '2.0.0'],
    ['1.3.0', '1.2.3', '1.3.0'],
    ['v2.0.0', '1.2.3', '2.0.0'],
    ['1.0.0', undefined, '1.0.0'],
    ['0.9.0', undefined, '0.9.0']
  ])('%s after %s is %s', (request, latest, expected) => {
    expect(nextVersion(request, latest)).toBe(expected)
  })

  it('asks for the first version by its number, since a bump has nothing to count from', () => {
    expect(() => nextVersion('minor', undefined)).toThrow(
      'No version is released yet (no vX.Y.Z tag), so "minor" has nothing to count from: give the first version, ' +
        'e.g. `npm run release -- 1.0.0`.'
    )
  })

  it('refuses what is not X.Y.Z: a pre-release, a partial version, a word', () => {
    for (const request of ['1.2', '1.2.3-rc.1', '01.2.3', 'next', '']) {
      expect(() => nextVersion(request, '1.2.3')).toThrow(`"${request}" is not a version to release`)
    }
  })

  it('refuses a version that is not the next patch, minor or major one, naming those', () => {
    const next = 'the next is 1.2.4 (patch), 1.3.0 (minor) or 2.0.0 (major).'
    expect(() => nextVersion('1.2.3', '1.2.3')).toThrow(`1.2.3 does not follow the latest release, 1.2.3: ${next}`)
    expect(() => nextVersion('1.1.0', '1.2.3')).toThrow(next)
    expect(() => nextVersion('1.5.0', '1.2.3')).toThrow(next)
  })
})

describe('releaseTags', () => {
  it('tags vX.Y.Z and moves the major tag vX', () => {
    expect(releaseTags('1.4.2')).toEqual({ tag: 'v1.4.2', major: 'v1' })
    expect(releaseTags('2.0.0')).toEqual({ tag: 'v2.0.0', major: 'v2' })
  })
})

const REPO = 'https://github.com/testsigma-action/run-test-plan'
const FIRST = [
  '# Changelog',
  '',
  'Intro.',
  '',
  '## [Unreleased]',
  '',
  '### Added',
  '',
  '- Run a test plan.',
  '',
  '### Fixed',
  '',
  '- A step without an app build.',
  '',
  `[Unreleased]: ${REPO}/commits/main`,
  ''
].join('\n')

describe('moveUnreleased', () => {
  const first = moveUnreleased(FIRST, '1.0.0', '2026-12-06')

  it('moves the entries under the version and its date, leaves an empty [Unreleased] on top', () => {
    expect(first).toBe(
      [
        '# Changelog',
        '',
        'Intro.',
        '',
        '## [Unreleased]',
        '',
        '## [1.0.0] - 2026-12-06',
        '',
        '### Added',
        '',
        '- Run a test plan.',
        '',
        '### Fixed',
        '',
        '- A step without an app build.',
        '',
        `[Unreleased]: ${REPO}/compare/v1.0.0...HEAD`,
        `[1.0.0]: ${REPO}/releases/tag/v1.0.0`,
        ''
      ].join('\n')
    )
  })

  it('links a later version as the comparison with the one before, above the older links', () => {
    const next = moveUnreleased(
      first.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- The timeout message.\n'),
      '1.0.1',
      '2027-01-15'
    )
    expect(next).toContain(
      '## [Unreleased]\n\n## [1.0.1] - 2027-01-15\n\n### Fixed\n\n- The timeout message.\n\n## [1.0.0] - 2026-12-06\n'
    )
    expect(next.split('\n').filter(line => line.startsWith('['))).toEqual([
      `[Unreleased]: ${REPO}/compare/v1.0.1...HEAD`,
      `[1.0.1]: ${REPO}/compare/v1.0.0...v1.0.1`,
      `[1.0.0]: ${REPO}/releases/tag/v1.0.0`
    ])
  })

  it('refuses when there is nothing to release, or the version has a section already', () => {
    expect(() => moveUnreleased(first, '1.0.1', '2027-01-15')).toThrow(
      'CHANGELOG.md lists nothing under [Unreleased]: write down what changed before releasing.'
    )
    const again = first.replace('## [Unreleased]\n', '## [Unreleased]\n\n- More.\n')
    expect(() => moveUnreleased(again, '1.0.0', '2027-01-15')).toThrow('already has a section for 1.0.0')
  })

  it('refuses a CHANGELOG without the heading or the link that gives the repository', () => {
    expect(() => moveUnreleased(FIRST.replace('## [Unreleased]', '## Next'), '1.0.0', 'd')).toThrow(
      'CHANGELOG.md has no "## [Unreleased]" heading'
    )
    expect(() => moveUnreleased(FIRST.replace(`[Unreleased]: ${REPO}/commits/main`, ''), '1.0.0', 'd')).toThrow(
      'no link definitions'
    )
    expect(() => moveUnreleased(FIRST.replace('commits/main', 'wiki'), '1.0.0', 'd')).toThrow(
      'needs an "[Unreleased]: https://github.com/OWNER/REPO/compare/…"'
    )
  })

  it('writes the project CHANGELOG as Prettier formats it', async () => {
    const changelog = readFileSync(new URL('CHANGELOG.md', ROOT), 'utf8')
    const options = { ...(await prettier.resolveConfig(new URL('CHANGELOG.md', ROOT))), parser: 'markdown' }
    // Right after a release, [Unreleased] is empty: an entry of a later change stands in for what comes next.
    const later = changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- A later change.\n')
    const released = moveUnreleased(later, '99.0.0', '2099-12-06')
    expect(await prettier.format(released, options)).toBe(released)
    expect(releaseNotes(released, '99.0.0')).toMatch(/^### Fixed\n\n- A later change\./m)
  })
})

describe('releaseNotes', () => {
  it("is the version's section without its heading, for the tag and the GitHub release", () => {
    const twice = moveUnreleased(
      moveUnreleased(FIRST, '1.0.0', '2026-12-06').replace('## [Unreleased]\n', '## [Unreleased]\n\n- Later.\n'),
      '1.1.0',
      '2027-02-01'
    )
    expect(releaseNotes(twice, '1.1.0')).toBe('- Later.')
    expect(releaseNotes(twice, '1.0.0')).toBe(
      '### Added\n\n- Run a test plan.\n\n### Fixed\n\n- A step without an app build.'
    )
    expect(() => releaseNotes(twice, '0.9.0')).toThrow('CHANGELOG.md has no section for 0.9.0.')
  })
})

describe('refusals', () => {
  const HEAD = '0123456789abcdef0123456789abcdef01234567'
  const fit: RepositoryState = {
    branch: 'main',
    changes: [],
    upstream: 'even',
    head: HEAD,
    ciPassedOn: HEAD,
    distFresh: true,
    tagExists: false,
    readmeSaysNoRelease: false
  }

  it('has none for a clean main, even with origin, with a fresh dist/ and a .ci/run pass on HEAD', () => {
    expect(refusals(fit, 'v1.0.0')).toEqual([])
    expect(refusals({ ...fit, upstream: 'none' }, 'v1.0.0')).toEqual([])
  })

  it('names each problem with what to do', () => {
    expect(
      refusals(
        {
          branch: 'issue-21',
          changes: [' M README.md', '?? notes.txt'],
          upstream: 'behind',
          head: HEAD,
          ciPassedOn: 'fedcba9876543210fedcba9876543210fedcba98',
          distFresh: 'dist/ is not the bundle of src/ as it stands. Run `npm run bundle`.',
          tagExists: true,
          readmeSaysNoRelease: true
        },
        'v1.0.0'
      )
    ).toEqual([
      'HEAD is on issue-21, not main: releases are tagged from main (git switch main && git pull).',
      'There are uncommitted changes (git status shows 2): commit or stash them.',
      'main is behind origin/main: git pull, then run .ci/run again.',
      'dist/ is not the bundle of src/ as it stands. Run `npm run bundle`.',
      '.ci/run last passed on fedcba9, not on HEAD (0123456): run bash .ci/run again.',
      'The tag v1.0.0 exists already: choose the next version.',
      'README.md still says "No release is tagged yet" (in "In 30 seconds" and "Versions"): say that v1.0.0 is the ' +
        'first release, through a pull request, before tagging it.'
    ])
  })

  it('refuses commits origin/main has not seen, and a clone where .ci/run never passed', () => {
    expect(refusals({ ...fit, upstream: 'ahead', ciPassedOn: undefined }, 'v1.0.0')).toEqual([
      'main has commits that origin/main has not: merge them through a pull request, whose CI checks them, first.',
      '.ci/run has not passed in this clone: run bash .ci/run on 0123456 (it records its pass), then release.'
    ])
    expect(refusals({ ...fit, upstream: 'diverged' }, 'v1.0.0')).toEqual([
      'main and origin/main have diverged: make main what origin/main is, then run .ci/run again.'
    ])
  })
})

describe('the project now', () => {
  // The other way round is the first release's pull request: the README says v1.0.0 is out just before it is tagged.
  it('says in the README that no release is tagged only while the CHANGELOG has no version section', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
    const changelog = readFileSync(new URL('CHANGELOG.md', ROOT), 'utf8')
    const released = /^## \[\d+\.\d+\.\d+\]/m.test(changelog)
    expect({ released, readmeSaysNoRelease: readme.includes(NO_RELEASE_YET) }).not.toEqual({
      released: true,
      readmeSaysNoRelease: true
    })
  })
})
