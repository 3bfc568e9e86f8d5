/**
 * Footprint: the peak resident set size of the action's process (measured on the verdict-lag, fault and
 * timeout runs, through `processes.ts`'s probe), what node reads at start (dist/index.js) and the chunks it
 * reads only on demand.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { EXEC_MARKER, UNDICI_MARKER, XML_PARSER_MARKER } from '../sim/dist-copy.js'
import { BUNDLE } from '../sim/run-bundle.js'
import type { BenchContext, Section } from './context.js'
import { kib, renderTable, spread } from './stats.js'

/** What the chunks ncc splits off for a dynamic import() hold, and when the action reads them. */
const CHUNK_CONTENTS = [
  { marker: UNDICI_MARKER, holds: 'undici', loaded: "at the pull-request comment's first request (octokit's fetch)" },
  {
    marker: XML_PARSER_MARKER,
    holds: 'fast-xml-parser',
    loaded: 'once the run finished, by the worker thread that reads the JUnit report'
  },
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
