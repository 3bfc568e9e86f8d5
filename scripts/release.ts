/**
 * `npm run release -- <X.Y.Z | major | minor | patch> [--dry-run] [--push]`: makes a release from main, as
 * CONTRIBUTING's "Releasing" describes. It refuses unless HEAD is a clean main, even with origin/main, whose dist/ is
 * the bundle of src/ and on which `.ci/run` passed in this clone (it records the commit it passed on). Then it sets
 * the version in package.json and package-lock.json (`npm version`), moves the CHANGELOG's [Unreleased] entries
 * under the new version, rebuilds dist/ (the User-Agent carries the version), commits "Release vX.Y.Z", tags it
 * `vX.Y.Z` (annotated, with the changelog entries) and moves the major tag `vX` to it. Nothing leaves the machine
 * without --push; it prints the push commands instead. --dry-run checks and shows the changelog section, and
 * changes nothing. The decisions are in release-plan.ts.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { assertBundleFresh } from './bundle-check.js'
import {
  moveUnreleased,
  nextVersion,
  NO_RELEASE_YET,
  refusals,
  ReleaseError,
  releasedVersions,
  releaseNotes,
  releaseTags,
  RepositoryState
} from './release-plan.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Written by .ci/run when it passed on a clean work tree: the commit it checked. */
const CI_PASS_FILE = path.join(ROOT, 'node_modules', '.cache', 'testsigma-action', 'ci-passed')
const CHANGELOG = path.join(ROOT, 'CHANGELOG.md')
/** The only files a release commit changes. */
const RELEASE_FILES = ['package.json', 'package-lock.json', 'CHANGELOG.md', 'dist']
const USAGE = 'usage: npm run release -- <X.Y.Z | major | minor | patch> [--dry-run] [--push]'

// trimEnd, not trim: `git status --porcelain` lines start with a space for a change not staged.
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trimEnd()
const lines = (text: string): string[] => text.split('\n').filter(line => line !== '')

function upstream(): RepositoryState['upstream'] {
  try {
    git('remote', 'get-url', 'origin')
  } catch {
    return 'none'
  }
  try {
    git('fetch', '--quiet', '--tags', 'origin', 'main')
  } catch (error) {
    throw new ReleaseError(`Could not fetch main from origin, to compare: ${(error as Error).message.trim()}`)
  }
  const [ahead, behind] = git('rev-list', '--left-right', '--count', 'HEAD...origin/main').split(/\s+/).map(Number)
  if (ahead > 0 && behind > 0) return 'diverged'
  return ahead > 0 ? 'ahead' : behind > 0 ? 'behind' : 'even'
}

function distFresh(): true | string {
  try {
    assertBundleFresh(line => console.log(line))
    return true
  } catch (error) {
    return (error as Error).message
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, push: { type: 'boolean', default: false } }
  })
  if (positionals.length !== 1) throw new ReleaseError(USAGE)
  const remote = upstream()
  const latest = releasedVersions(lines(git('tag', '--list', 'v*')))[0]
  const version = nextVersion(positionals[0], latest)
  const { tag, major } = releaseTags(version)
  console.log(`Release ${tag} (latest release: ${latest === undefined ? 'none' : `v${latest}`}), major tag ${major}`)
  const today = new Date().toISOString().slice(0, 10)
  const changelog = moveUnreleased(readFileSync(CHANGELOG, 'utf8'), version, today)

  const state: RepositoryState = {
    branch: git('rev-parse', '--abbrev-ref', 'HEAD'),
    changes: lines(git('status', '--porcelain')),
    upstream: remote,
    head: git('rev-parse', 'HEAD'),
    ciPassedOn: existsSync(CI_PASS_FILE) ? readFileSync(CI_PASS_FILE, 'utf8').trim() : undefined,
    distFresh: distFresh(),
    tagExists: git('tag', '--list', tag) !== '',
    readmeSaysNoRelease: readFileSync(path.join(ROOT, 'README.md'), 'utf8').includes(NO_RELEASE_YET)
  }
  const problems = refusals(state, tag)
  if (problems.length > 0) throw new ReleaseError(`Not released:\n${problems.map(line => `- ${line}`).join('\n')}`)
  if (remote === 'none') console.log('No origin remote: nothing to compare main with, and nothing to push to.')

  const notes = releaseNotes(changelog, version)
  console.log(`\n## [${version}] - ${today}\n\n${notes}\n`)
  if (values['dry-run']) {
    console.log('--dry-run: nothing changed.')
    return
  }

  execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  writeFileSync(CHANGELOG, changelog)
  execFileSync('npm', ['run', 'bundle'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  const unexpected = lines(git('status', '--porcelain')).filter(
    line => !RELEASE_FILES.some(file => line.slice(3) === file || line.slice(3).startsWith(`${file}/`))
  )
  if (unexpected.length > 0) {
    throw new ReleaseError(
      `The release changed files it should not have (${unexpected.join(', ')}); nothing is committed. ` +
        'Undo with git checkout -- . and look at why.'
    )
  }
  git('add', '--', ...RELEASE_FILES)
  git('commit', '--quiet', '-m', `Release ${tag}`)
  git('tag', '--annotate', tag, '-m', `${tag}\n\n${notes}`)
  git('tag', '--force', '--annotate', major, '-m', `${major} → ${tag}`, `${tag}^{commit}`)
  console.log(`Committed "Release ${tag}" (${git('rev-parse', '--short', 'HEAD')}), tagged ${tag}, moved ${major}.`)

  const pushes = [
    ['push', 'origin', 'main', tag],
    ['push', '--force', 'origin', major]
  ]
  if (values.push) {
    for (const args of pushes) execFileSync('git', args, { cwd: ROOT, stdio: 'inherit' })
  } else {
    console.log(`Push when ready:\n${pushes.map(args => `  git ${args.join(' ')}`).join('\n')}`)
  }
  console.log(
    `Then publish a GitHub release from ${tag} with the notes above, and tick "Publish this Action to the GitHub ` +
      'Marketplace".'
  )
}

try {
  main()
} catch (error) {
  console.error(error instanceof ReleaseError ? error.message : error)
  process.exitCode = 1
}
