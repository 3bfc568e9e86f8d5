/**
 * Footprint: the peak resident set size of the action's process (measured on the verdict-lag, fault and
 * timeout runs, through the probe below), what node reads at start (dist/index.js) and the chunks it
 * reads only on demand. Also the helpers that write altered copies of the bundle and run tools.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { EXEC_MARKER, UNDICI_MARKER, XML_PARSER_MARKER } from '../sim/dist-copy.js'
import { BUNDLE, BundleOptions, BundleRun, startBundle } from '../sim/run-bundle.js'
import type { BenchContext, Section } from './context.js'
import { kib, renderTable, spread } from './stats.js'

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

/** What the chunks ncc splits off for a dynamic import() hold, and when the action reads them. */
const CHUNK_CONTENTS = [
  { marker: UNDICI_MARKER, holds: 'undici', loaded: "at the pull-request comment's first request (octokit's fetch)" },
  { marker: XML_PARSER_MARKER, holds: 'fast-xml-parser', loaded: 'once the run finished, to read the JUnit report' },
  {
    marker: EXEC_MARKER,
    holds: '@actions/exec, @actions/io',
    loaded: "never by this action (only @actions/core's platform details use it)"
  },
  { marker: 'getOctokit', holds: '@actions/github, octokit', loaded: 'for a pull-request comment' },
  {
    marker: 'multipartLayout',
    holds: 'the app upload (src/upload/upload-app.ts)',
    loaded: 'for an app build (app-file)'
  },
  {
    marker: 'inspectAppFile',
    holds: "the app file's check (src/upload/app-file.ts)",
    loaded: 'for an app build (app-file)'
  }
]

const PEAK_RSS_TARGET_MB = 100

export interface FootprintFigures {
  peakRssMb?: { median: number; max: number; runs: number }
  rssMethod: string
  /** dist/index.js: all that node reads and compiles before the trigger. */
  loadedAtStartBytes: number
  chunks: Array<{ file: string; bytes: number; holds: string; loaded: string }>
  sourceMaps: boolean
}

/** FOOTPRINT: peak RSS of the runs that waited for a result, and what dist/ holds and when it is read. */
export async function footprintFigure(context: BenchContext, peakRssKib: number[]): Promise<Section> {
  const dist = path.dirname(BUNDLE)
  const bundleText = await readFile(BUNDLE, 'latin1')
  const chunkFiles = (await readdir(dist)).filter(file => /^\d+\.index\.js$/.test(file)).sort()
  const chunks = await Promise.all(
    chunkFiles.map(async file => {
      const text = await readFile(path.join(dist, file), 'latin1')
      const what = CHUNK_CONTENTS.find(entry => text.includes(entry.marker))
      return {
        file,
        bytes: (await stat(path.join(dist, file))).size,
        holds: what?.holds ?? '?',
        loaded: what?.loaded ?? '?'
      }
    })
  )
  const rssMb = peakRssKib.length === 0 ? undefined : spread(peakRssKib.map(value => value / 1024))
  const figures: FootprintFigures = {
    peakRssMb: rssMb && { median: rssMb.median, max: rssMb.max, runs: rssMb.n },
    rssMethod: context.rss.method,
    loadedAtStartBytes: bundleText.length,
    chunks,
    sourceMaps: /sourceMappingURL|source-map-support/.test(bundleText)
  }
  const lines = [
    'FOOTPRINT',
    renderTable(
      ['', 'value'],
      [
        [
          `peak RSS (${peakRssKib.length} runs that waited for the result; ${context.rss.method})`,
          rssMb === undefined
            ? 'not measured'
            : `median ${rssMb.median.toFixed(1)} MiB, max ${rssMb.max.toFixed(1)} MiB`
        ],
        [
          'dist/index.js: read and compiled at start',
          `${kib(figures.loadedAtStartBytes)} (${figures.loadedAtStartBytes} bytes)`
        ],
        ...chunks.map(chunk => [`dist/${chunk.file}: ${chunk.holds}, read ${chunk.loaded}`, kib(chunk.bytes)]),
        ['source maps in the bundle', figures.sourceMaps ? 'yes' : 'none']
      ]
    ),
    'ncc minifies dist/index.js only: chunks stay as webpack wrote them, so they are larger than their minified code would be.'
  ]
  return {
    key: 'footprint',
    lines,
    figures,
    targets: [
      {
        name: `peak RSS ≤ ${PEAK_RSS_TARGET_MB} MiB`,
        measured: rssMb === undefined ? 'not measured' : `${rssMb.max.toFixed(1)} MiB max`,
        met: rssMb === undefined ? undefined : rssMb.max <= PEAK_RSS_TARGET_MB
      }
    ],
    problems: []
  }
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
