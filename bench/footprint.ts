/**
 * The benchmark's measuring instruments for memory and bytes: peak RSS of the bundle's process, the
 * bundle's composition (from a fresh `ncc build --stats-out`), and what each part of the bundle costs to
 * evaluate at start-up (from an instrumented copy of dist/index.js).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { BUNDLE, BundleOptions, BundleRun, startBundle } from '../sim/run-bundle.js'
import type { StatsModule } from './bundle-composition.js'

export const REPO = path.resolve(path.dirname(BUNDLE), '..')
const GNU_TIME = '/usr/bin/time'
const BASH = '/bin/bash'

/** Starts the bundle and reports its peak resident set size (KiB) once it exits. */
export interface RssProbe {
  method: string
  start(options: BundleOptions): Promise<{ run: BundleRun; peakKib: Promise<number | undefined> }>
}

/**
 * GNU time (Debian's `time` package) when installed: it reads the kernel's own high-water mark of the
 * exited process (wait4's ru_maxrss), exact whatever the process does. Otherwise polls /proc/<pid>/status
 * for VmHWM (the kernel's high-water mark, so a late poll still sees the peak) until the process exits.
 */
export async function rssProbe(node: string, scratch: string): Promise<RssProbe> {
  const version = spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' })
  if (version.status === 0 && /GNU/.test(`${version.stdout}${version.stderr}`) && existsSync(BASH)) {
    // bash, not sh: dash drops variables whose names are not identifiers, such as INPUT_API-KEY.
    const wrapper = path.join(scratch, 'node-under-gnu-time.sh')
    await writeFile(wrapper, `#!${BASH}\nexec ${GNU_TIME} -f '%M' -o "$BENCH_RSS_FILE" "$BENCH_NODE" "$@"\n`, {
      mode: 0o755
    })
    let runs = 0
    return {
      method: "GNU time -f %M (the kernel's ru_maxrss of the exited process)",
      async start(options) {
        const file = path.join(scratch, `rss-${(runs += 1)}.txt`)
        const run = await startBundle({
          ...options,
          node: wrapper,
          env: { ...options.env, BENCH_RSS_FILE: file, BENCH_NODE: node }
        })
        const peakKib = run.result.then(async () => lastNumber(await readFile(file, 'utf8')))
        return { run, peakKib }
      }
    }
  }
  return {
    method: '/proc/<pid>/status VmHWM, polled every 10 ms',
    async start(options) {
      const run = await startBundle({ ...options, node })
      let peak: number | undefined
      const poll = setInterval(() => {
        readFile(`/proc/${run.child.pid}/status`, 'utf8').then(
          status => {
            const hwm = /VmHWM:\s*(\d+)\s*kB/.exec(status)
            if (hwm) peak = Math.max(peak ?? 0, Number(hwm[1]))
          },
          () => undefined
        )
      }, 10)
      const peakKib = run.result.finally(() => clearInterval(poll)).then(() => peak)
      return { run, peakKib }
    }
  }
}

/** GNU time writes "Command exited with non-zero status 1" before the figure when the command fails. */
function lastNumber(text: string): number | undefined {
  const numbers = text.split('\n').filter(line => /^\d+$/.test(line.trim()))
  return numbers.length === 0 ? undefined : Number(numbers[numbers.length - 1])
}

export interface BundleBuild {
  modules: StatsModule[]
  /** The fresh build is byte for byte the committed dist/index.js (else the composition describes src/, not dist/). */
  sameAsDist: boolean
  buildMs: number
}

/** `ncc build` as `npm run bundle` does it, into a scratch directory, with webpack's stats. */
export async function buildWithStats(scratch: string): Promise<BundleBuild> {
  const out = path.join(scratch, 'ncc')
  const stats = path.join(out, 'stats.json')
  const started = performance.now()
  await exec(path.join(REPO, 'node_modules', '.bin', 'ncc'), [
    'build',
    'src/index.ts',
    '-o',
    out,
    '--minify',
    '--stats-out',
    stats,
    '-q'
  ])
  const buildMs = performance.now() - started
  const [fresh, committed, json] = await Promise.all([
    readFile(path.join(out, 'index.js')),
    readFile(BUNDLE),
    readFile(stats, 'utf8')
  ])
  return {
    modules: (JSON.parse(json) as { modules: StatsModule[] }).modules,
    sameAsDist: fresh.equals(committed),
    buildMs
  }
}

export interface EvaluationSample {
  /** performance.now() at the bundle's first statement: node's bootstrap plus reading and compiling the bundle. */
  firstStatementMs: number
  /** performance.now() once the bundle's top level has run (the entry's synchronous part included). */
  evaluatedMs: number
  /** Inclusive time of each CommonJS module required from the top level, by module id. */
  topLevelRequires: Array<{ id: string; ms: number }>
}

/**
 * Runs an instrumented copy of dist/index.js (in a scratch directory, with no inputs, so it stops at the
 * input check) that times each CommonJS module the top level requires. undefined when ncc's require
 * function is not where this expects it.
 */
export async function measureEvaluation(node: string, scratch: string): Promise<EvaluationSample | undefined> {
  const out = path.join(scratch, 'evaluation.json')
  const bundle = await readFile(BUNDLE, 'latin1')
  const factoryCall = /([\w$]+)\[([\w$]+)\]\(([\w$]+),\3\.exports,__nccwpck_require__\)/
  if (!factoryCall.test(bundle)) return undefined
  const prelude = [
    "import { writeFileSync as __benchWrite } from 'node:fs'",
    'const __bench = { firstStatementMs: performance.now(), evaluatedMs: 0, topLevelRequires: [], depth: 0 }',
    'globalThis.__benchTime = (id, factory) => {',
    '  const start = performance.now(); __bench.depth += 1',
    '  try { return factory() } finally {',
    '    __bench.depth -= 1',
    '    if (__bench.depth === 0) __bench.topLevelRequires.push({ id: String(id), ms: performance.now() - start })',
    '  }',
    '}',
    `process.on('exit', () => __benchWrite(${JSON.stringify(out)}, JSON.stringify(__bench)))`,
    ''
  ].join('\n')
  const instrumented = bundle.replace(factoryCall, '__benchTime($2,()=>$1[$2]($3,$3.exports,__nccwpck_require__))')
  const copy = await writeBundleCopy(
    scratch,
    'instrumented',
    `${prelude}${instrumented}\n;__bench.evaluatedMs = performance.now()\n`
  )
  await exec(node, [copy], { allowFailure: true, env: { PATH: process.env.PATH ?? '' } })
  const sample = JSON.parse(await readFile(out, 'utf8')) as EvaluationSample
  return {
    firstStatementMs: sample.firstStatementMs,
    evaluatedMs: sample.evaluatedMs,
    topLevelRequires: sample.topLevelRequires
  }
}

/** Writes an altered copy of the bundle where it runs as dist/index.js does (an ES module package). */
export async function writeBundleCopy(scratch: string, name: string, text: string): Promise<string> {
  const dir = path.join(scratch, name)
  await mkdir(dir, { recursive: true })
  await copyFile(path.join(path.dirname(BUNDLE), 'package.json'), path.join(dir, 'package.json'))
  const file = path.join(dir, 'index.js')
  await writeFile(file, text, 'latin1')
  return file
}

export async function scratchDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'testsigma-bench-'))
}

async function exec(
  command: string,
  args: string[],
  options: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO,
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', code => {
      if (code === 0 || options.allowFailure === true) resolve()
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`))
    })
  })
}
