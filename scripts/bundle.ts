/**
 * `npm run bundle`: src/ → dist/ with ncc, as CommonJS. The sources and their dependencies are ES modules (the
 * package is `"type": "module"`), and ncc's command line would bundle them into an ES module too; but Node starts
 * an ES module entry through its ES module loader, which costs about 5 ms more than a CommonJS one at every step
 * (`npm run bench`, start-up). webpack turns the modules into one CommonJS program just as well, so this calls
 * ncc's API with `esm: false` and writes what it returns: `index.js`, the chunks it loads on demand
 * (`<id>.index.js`, through `require`), and a `package.json` that tells Node these files are CommonJS (the
 * repository's own says `module`).
 *
 *   tsx scripts/bundle.ts [--out <dir>] [--stats-out <file>]   (default dist/; the benchmark builds elsewhere with
 *                                                              webpack's stats, as ncc's --stats-out writes them)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import ncc from '@vercel/ncc'

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'dist' }, 'stats-out': { type: 'string' } }
})
const DIST = values.out
const statsOut = values['stats-out']

const { code, assets, stats } = await ncc(path.resolve('src/index.ts'), {
  esm: false,
  minify: true,
  filename: 'index.js',
  // The build cache lives outside the repository and could outlive a dependency change.
  cache: false,
  quiet: true
})
rmSync(DIST, { recursive: true, force: true })
mkdirSync(DIST, { recursive: true })
const files: Record<string, string | Buffer> = { 'index.js': code, 'package.json': '{"type":"commonjs"}\n' }
for (const [name, asset] of Object.entries(assets)) files[name] = asset.source
for (const [name, source] of Object.entries(files)) {
  writeFileSync(path.join(DIST, name), source)
  console.log(`${(Buffer.byteLength(source) / 1024).toFixed(1).padStart(7)} KiB  ${path.join(DIST, name)}`)
}
if (statsOut !== undefined) writeFileSync(statsOut, JSON.stringify(stats.toJson()))
