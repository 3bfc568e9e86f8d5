/**
 * Is dist/ the bundle of src/ as it stands? The end-to-end tests run dist/index.js, so a stale bundle
 * would test old code while src/ looks green. The answer is cached by a hash of what the bundle is built
 * from, so it costs a full build only when src/, the lockfile, the config or the build script changed since the last check.
 *
 *   tsx scripts/bundle-check.ts --record   after `npm run bundle`: dist/ is fresh by construction
 *   tsx scripts/bundle-check.ts            check, building into a scratch folder when the cache cannot tell
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'testsigma-action', 'bundle-check.json')
const INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.ts']

/** Every file below `dir`, as paths relative to it, sorted. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
}

function hashFiles(dir: string, files: string[]): string {
  const hash = createHash('sha256')
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)))
      .update('\0')
  return hash.digest('hex')
}

function sourceHash(): string {
  const sources = filesBelow(path.join(ROOT, 'src')).map(file => path.join('src', file))
  return hashFiles(ROOT, [...sources, ...INPUTS])
}

/** The bundle's code: the chunks and dist/package.json (not the licence list, which ncc does not make). */
function bundleHash(dir: string): string {
  return hashFiles(
    dir,
    filesBelow(dir).filter(file => file.endsWith('.js') || file === 'package.json')
  )
}

function record(source: string, bundle: string): void {
  mkdirSync(path.dirname(CACHE), { recursive: true })
  writeFileSync(CACHE, JSON.stringify({ source, bundle }))
}

function cached(): { source: string; bundle: string } | undefined {
  if (!existsSync(CACHE)) return undefined
  return JSON.parse(readFileSync(CACHE, 'utf8')) as { source: string; bundle: string }
}

/** Throws, saying what to do, when dist/ is not what `npm run bundle` makes of the current src/. */
export function assertBundleFresh(log: (line: string) => void = () => undefined): void {
  const dist = path.join(ROOT, 'dist')
  const source = sourceHash()
  const bundle = bundleHash(dist)
  const known = cached()
  if (known?.source === source && known.bundle === bundle) return

  log('dist/ not checked against this src/ yet: building a scratch bundle to compare (about 20 s)')
  const scratch = mkdtempSync(path.join(tmpdir(), 'bundle-check-'))
  try {
    // The same build as `npm run bundle` (scripts/bundle.ts), into the scratch folder.
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/bundle.ts', '--out', scratch], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit']
    })
    if (bundleHash(scratch) !== bundle) {
      throw new Error(
        'dist/ is not the bundle of src/ as it stands, so the end-to-end tests would test old code. ' +
          'Run `npm run bundle`, then the tests again.'
      )
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  record(source, bundle)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--record')) record(sourceHash(), bundleHash(path.join(ROOT, 'dist')))
  else {
    try {
      assertBundleFresh(line => console.error(line))
    } catch (error) {
      console.error((error as Error).message)
      process.exitCode = 1
    }
  }
}
