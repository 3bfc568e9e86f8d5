/**
 * Copies of dist/ with one on-demand chunk left out, to show what a run loads and when: a run that never
 * needs the chunk behaves as with it; a run that does gets "Cannot find module …/<id>.index.js" there.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { BUNDLE } from './run-bundle.js'
import { scratchDir } from './scratch.js'

/** The chunk files ncc wrote beside dist/index.js (`<id>.index.js`, loaded by dynamic import). */
export function chunkFiles(dist = path.dirname(BUNDLE)): string[] {
  return readdirSync(dist).filter(file => /^\d+\.index\.js$/.test(file))
}

/** The one chunk whose text contains `marker`; throws unless exactly one does (ids change with every build). */
export function chunkHolding(marker: string, dist = path.dirname(BUNDLE)): string {
  const holding = chunkFiles(dist).filter(file => readFileSync(path.join(dist, file), 'utf8').includes(marker))
  if (holding.length !== 1) throw new Error(`${holding.length} chunks of ${dist} contain ${JSON.stringify(marker)}`)
  return holding[0]
}

/** dist/ copied to a scratch directory without `chunk`; returns the copy's index.js. */
export function bundleWithout(chunk: string): string {
  const dist = path.dirname(BUNDLE)
  const dir = scratchDir(`bundle-without-${chunk.replace(/\.index\.js$/, '')}`)
  for (const file of ['index.js', 'package.json', ...chunkFiles(dist).filter(file => file !== chunk)]) {
    copyFileSync(path.join(dist, file), path.join(dir, file))
  }
  return path.join(dir, 'index.js')
}

/** Text only undici's chunk has (its ProxyAgent class). */
export const UNDICI_MARKER = 'class ProxyAgent extends'
/** Text only @actions/exec's chunk has (its ToolRunner class). */
export const EXEC_MARKER = 'ToolRunner'
/** Text only fast-xml-parser's chunk has. */
export const XML_PARSER_MARKER = 'XMLValidator'
