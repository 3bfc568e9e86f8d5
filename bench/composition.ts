/**
 * What takes the bytes: each file of dist/ by package, from a fresh build with webpack's stats, made as
 * `npm run bundle` makes it (in a scratch directory), measured as bench/bundle-composition.ts describes.
 * Run first: the build loads the CPU for a while, which would disturb the timings.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE } from '../sim/run-bundle.js'
import {
  chunkComposition,
  entryComposition,
  FileComposition,
  modulesOfChunk,
  StatsModule
} from './bundle-composition.js'
import { BenchContext, progress, Section } from './context.js'
import { exec, REPO } from './processes.js'
import { startLoadProbe } from './load.js'
import { kib, percent, renderTable } from './stats.js'

interface StatsChunk {
  id: string | number
  files: string[]
  entry?: boolean
  initial?: boolean
}

export interface BundleBuild {
  modules: StatsModule[]
  chunks: StatsChunk[]
  /** Output file name → its text (latin1). */
  files: Map<string, string>
  /** Files of the fresh build that differ from dist/, or are missing there, or are in dist/ only. */
  staleFiles: string[]
}

/** The build `npm run bundle` makes (scripts/bundle.ts), into a scratch directory, with webpack's stats. */
export async function buildWithStats(scratch: string): Promise<BundleBuild> {
  const out = path.join(scratch, 'ncc')
  const stats = path.join(scratch, 'stats.json')
  await exec(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['scripts/bundle.ts', '--out', out, '--stats-out', stats])
  const json = JSON.parse(await readFile(stats, 'utf8')) as { modules: StatsModule[]; chunks: StatsChunk[] }
  const dist = path.dirname(BUNDLE)
  const built = (await readdir(out)).filter(file => file.endsWith('.js'))
  const committed = (await readdir(dist)).filter(file => file.endsWith('.js'))
  const files = new Map<string, string>()
  const staleFiles: string[] = committed.filter(file => !built.includes(file))
  for (const file of built) {
    const text = await readFile(path.join(out, file), 'latin1')
    files.set(file, text)
    const inDist = committed.includes(file) ? await readFile(path.join(dist, file), 'latin1') : undefined
    if (inDist !== text) staleFiles.push(file)
  }
  return { modules: json.modules, chunks: json.chunks, files, staleFiles }
}

export interface CompositionResult {
  section: Section
  /** Module id → name without ./node_modules/, for naming what "in the bundle" times. */
  moduleNames: Map<string, string>
}

/** WHAT TAKES THE BYTES, file by file. */
export async function compositionFigure(context: BenchContext): Promise<CompositionResult> {
  progress("what takes the bytes: scripts/bundle.ts with webpack's stats into a scratch directory (~20 s)")
  const load = startLoadProbe()
  const build = await buildWithStats(context.scratch)
  const files: FileComposition[] = []
  for (const chunk of [...build.chunks].sort((a, b) => Number(b.entry ?? b.initial) - Number(a.entry ?? a.initial))) {
    for (const file of chunk.files.filter(name => name.endsWith('.js'))) {
      const text = build.files.get(file)
      if (text === undefined) continue
      const modules = modulesOfChunk(build.modules, chunk.id)
      files.push(
        file === path.basename(BUNDLE) ? entryComposition(file, text, modules) : chunkComposition(file, text, modules)
      )
    }
  }
  const problems =
    build.staleFiles.length === 0
      ? []
      : [`dist/ is not the bundle of src/ (${build.staleFiles.join(', ')} differ): run \`npm run bundle\``]
  const unread = files.filter(file => !file.tableFound).map(file => file.file)
  if (unread.length > 0) problems.push(`what takes the bytes: the module table of ${unread.join(', ')} was not found`)

  const rows = files.flatMap(file => [
    [
      `dist/${file.file}${file.file === path.basename(BUNDLE) ? ' (read at start)' : ' (on demand)'}`,
      kib(file.bytes),
      '',
      ''
    ],
    ...file.packages.map(share => [
      `  ${share.name}`,
      `${share.exact ? '' : '≈ '}${kib(share.bytes)}`,
      percent(share.bytes / file.bytes),
      share.pulledInBy.join(', ')
    ])
  ])
  const lines = [
    'WHAT TAKES THE BYTES of each file of dist/ (exact per module; ≈: a share of the ES modules concatenated',
    "into dist/index.js's minified scope, by source size)",
    renderTable(['file / package', 'bytes', 'share', 'pulled in by'], rows)
  ]
  const moduleNames = new Map(
    build.modules
      .filter(module => module.id !== undefined && module.id !== null && module.id !== '')
      .map(module => [String(module.id), module.name.replace(/^\.\/node_modules\//, '')])
  )
  return {
    section: {
      key: 'composition',
      lines,
      figures: { files, staleFiles: build.staleFiles },
      load: load.stop(),
      targets: [],
      problems
    },
    moduleNames
  }
}
