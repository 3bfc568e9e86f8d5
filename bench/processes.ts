/**
 * The benchmark's processes: where the repository is, the bundle started under a peak-RSS probe, altered copies
 * of the bundle, and tools run to their end. Every figure uses these; they use no figure.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE, BundleOptions, BundleRun, startBundle } from '../sim/run-bundle.js'

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

/** Writes an altered copy of the bundle where it runs as dist/index.js does (beside dist/package.json). */
export async function writeBundleCopy(scratch: string, name: string, text: string): Promise<string> {
  const dir = path.join(scratch, name)
  await mkdir(dir, { recursive: true })
  await copyFile(path.join(path.dirname(BUNDLE), 'package.json'), path.join(dir, 'package.json'))
  const file = path.join(dir, 'index.js')
  await writeFile(file, text, 'latin1')
  return file
}

export async function exec(
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
