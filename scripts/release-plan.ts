/**
 * The decisions of `npm run release` (scripts/release.ts), as pure functions of plain values: which version comes
 * next, the tags it gets, the CHANGELOG with its `[Unreleased]` entries moved under the new version, and whether
 * the repository is in a state to release from. Versions are semver's `X.Y.Z` (the `semver` package parses and
 * compares them); tags are `vX.Y.Z`, and the moving major tag `vX` that `uses: …@v1` follows.
 */
import semver from 'semver'

export class ReleaseError extends Error {}

const BUMPS = ['major', 'minor', 'patch'] as const
type Bump = (typeof BUMPS)[number]

/** The released versions among the repository's tags (`vX.Y.Z` only; `v1`, `v1.2.0-rc.1` are not), highest first. */
export function releasedVersions(tags: string[]): string[] {
  return tags
    .filter(tag => /^v\d+\.\d+\.\d+$/.test(tag) && semver.valid(tag) !== null)
    .map(tag => tag.slice(1))
    .sort(semver.rcompare)
}

/**
 * The version to release, from what was asked (`1.2.0`, `v1.2.0`, or `major`, `minor`, `patch`) and the latest
 * release (undefined before the first). After a release, only the next patch, minor or major version is taken,
 * so that a typo cannot skip versions.
 */
export function nextVersion(request: string, latest: string | undefined): string {
  if ((BUMPS as readonly string[]).includes(request)) {
    if (latest === undefined) {
      throw new ReleaseError(
        `No version is released yet (no vX.Y.Z tag), so "${request}" has nothing to count from: give the first ` +
          'version, e.g. `npm run release -- 1.0.0`.'
      )
    }
    return semver.inc(latest, request as Bump) ?? ''
  }
  const version = request.replace(/^v/, '')
  if (!/^\d+\.\d+\.\d+$/.test(version) || semver.valid(version) === null) {
    throw new ReleaseError(
      `"${request}" is not a version to release: give X.Y.Z (e.g. 1.2.0), or major, minor or patch.`
    )
  }
  if (latest === undefined) return version
  const next = BUMPS.map(bump => semver.inc(latest, bump) ?? '')
  if (!next.includes(version)) {
    throw new ReleaseError(
      `${version} does not follow the latest release, ${latest}: the next is ${next[2]} (patch), ${next[1]} ` +
        `(minor) or ${next[0]} (major).`
    )
  }
  return version
}

/** The release's tag and the major tag that moves to it. */
export function releaseTags(version: string): { tag: string; major: string } {
  return { tag: `v${version}`, major: `v${semver.major(version)}` }
}

const UNRELEASED = '## [Unreleased]'
const SECTION = /^## \[(\d+\.\d+\.\d+)\]/
const LINK_DEFINITION = /^\[[^\]]+\]: \S+/

/** Where each part of a Keep a Changelog file is, by line. */
function changelogParts(lines: string[]): { unreleased: number; bodyEnd: number; links: number } {
  const unreleased = lines.indexOf(UNRELEASED)
  if (unreleased < 0) throw new ReleaseError(`CHANGELOG.md has no "${UNRELEASED}" heading to release from.`)
  const links = lines.findIndex((line, at) => at > unreleased && LINK_DEFINITION.test(line))
  const nextSection = lines.findIndex((line, at) => at > unreleased && line.startsWith('## '))
  const ends = [links, nextSection].filter(at => at >= 0)
  return { unreleased, bodyEnd: ends.length > 0 ? Math.min(...ends) : lines.length, links }
}

/**
 * The CHANGELOG with the `[Unreleased]` entries moved under `## [version] - date` (an empty `[Unreleased]` stays on
 * top), and its link definitions at the end updated: `[Unreleased]` compares the new tag with HEAD, and
 * `[version]` compares the previous release's tag with the new one (or links the new tag, for the first release).
 * Refused when there is nothing to release, or the version already has a section.
 */
export function moveUnreleased(changelog: string, version: string, date: string): string {
  const lines = changelog.split('\n')
  const { unreleased, bodyEnd, links } = changelogParts(lines)
  const body = lines.slice(unreleased + 1, bodyEnd)
  if (!body.some(line => line.startsWith('- '))) {
    throw new ReleaseError('CHANGELOG.md lists nothing under [Unreleased]: write down what changed before releasing.')
  }
  if (lines.some(line => line.startsWith(`## [${version}]`))) {
    throw new ReleaseError(`CHANGELOG.md already has a section for ${version}.`)
  }
  if (links < 0) {
    throw new ReleaseError(
      'CHANGELOG.md has no link definitions at its end: add `[Unreleased]: https://github.com/OWNER/REPO/commits/main`.'
    )
  }
  const unreleasedLink = lines.findIndex(line => line.startsWith('[Unreleased]: '))
  const repository = /^\[Unreleased\]: (https:\/\/\S+?)\/(?:compare|commits)\/\S+$/.exec(lines[unreleasedLink] ?? '')
  if (repository === null) {
    throw new ReleaseError(
      'CHANGELOG.md needs an "[Unreleased]: https://github.com/OWNER/REPO/compare/…" (or …/commits/main) link ' +
        'definition, which gives the repository the version links point into.'
    )
  }
  const base = repository[1]
  const previous = lines.map(line => SECTION.exec(line)?.[1]).find(found => found !== undefined)
  const { tag } = releaseTags(version)
  const versionLink =
    previous === undefined
      ? `[${version}]: ${base}/releases/tag/${tag}`
      : `[${version}]: ${base}/compare/${releaseTags(previous).tag}...${tag}`
  const trimmed = trimBlankLines(body)
  return [
    ...lines.slice(0, unreleased + 1),
    '',
    `## [${version}] - ${date}`,
    '',
    ...trimmed,
    '',
    ...lines.slice(bodyEnd, unreleasedLink),
    `[Unreleased]: ${base}/compare/${tag}...HEAD`,
    versionLink,
    ...lines.slice(unreleasedLink + 1)
  ].join('\n')
}

function trimBlankLines(lines: string[]): string[] {
  const filled = lines.flatMap((line, at) => (line.trim() === '' ? [] : [at]))
  return filled.length === 0 ? [] : lines.slice(filled[0], filled[filled.length - 1] + 1)
}

/** The entries of one version's section: the tag's message and the GitHub release's notes. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n')
  const start = lines.findIndex(line => line.startsWith(`## [${version}]`))
  if (start < 0) throw new ReleaseError(`CHANGELOG.md has no section for ${version}.`)
  const end = lines.findIndex((line, at) => at > start && (line.startsWith('## ') || LINK_DEFINITION.test(line)))
  return trimBlankLines(lines.slice(start + 1, end < 0 ? undefined : end)).join('\n')
}

/** What `npm run release` reads of the repository before it changes anything. */
export interface RepositoryState {
  branch: string
  /** `git status --porcelain` lines. */
  changes: string[]
  /** How HEAD stands to origin/main; `none` when there is no `origin` remote. */
  upstream: 'even' | 'ahead' | 'behind' | 'diverged' | 'none'
  head: string
  /** The commit `.ci/run` last passed on, in this clone (undefined if none is recorded). */
  ciPassedOn: string | undefined
  /** true, or why dist/ is not the bundle of src/. */
  distFresh: true | string
  /** The release tag exists already. */
  tagExists: boolean
  /** README.md still says that no release is tagged (`NO_RELEASE_YET`). */
  readmeSaysNoRelease: boolean
}

/** What README.md says ("In 30 seconds", "Versions") until the first release, which needs it changed beforehand. */
export const NO_RELEASE_YET = 'No release is tagged yet'

/** Why the release cannot be made from this state, each with what to do; empty when it can. */
export function refusals(state: RepositoryState, tag: string): string[] {
  const short = state.head.slice(0, 7)
  return [
    ...(state.branch === 'main'
      ? []
      : [`HEAD is on ${state.branch}, not main: releases are tagged from main (git switch main && git pull).`]),
    ...(state.changes.length === 0
      ? []
      : [`There are uncommitted changes (git status shows ${state.changes.length}): commit or stash them.`]),
    ...(state.upstream === 'behind' ? ['main is behind origin/main: git pull, then run .ci/run again.'] : []),
    ...(state.upstream === 'diverged'
      ? ['main and origin/main have diverged: make main what origin/main is, then run .ci/run again.']
      : []),
    ...(state.upstream === 'ahead'
      ? ['main has commits that origin/main has not: merge them through a pull request, whose CI checks them, first.']
      : []),
    ...(state.distFresh === true ? [] : [state.distFresh]),
    ...(state.ciPassedOn === state.head
      ? []
      : [
          state.ciPassedOn === undefined
            ? `.ci/run has not passed in this clone: run bash .ci/run on ${short} (it records its pass), then release.`
            : `.ci/run last passed on ${state.ciPassedOn.slice(0, 7)}, not on HEAD (${short}): run bash .ci/run again.`
        ]),
    ...(state.tagExists ? [`The tag ${tag} exists already: choose the next version.`] : []),
    ...(state.readmeSaysNoRelease
      ? [
          `README.md still says "${NO_RELEASE_YET}" (in "In 30 seconds" and "Versions"): say that ${tag} is the ` +
            'first release, through a pull request, before tagging it.'
        ]
      : [])
  ]
}
