import { describe, expect, it } from '@jest/globals'
import {
  chunkComposition,
  entryComposition,
  factoryOffsets,
  FileComposition,
  modulesOfChunk,
  packageOf,
  StatsModule
} from '../../bench/bundle-composition.js'

describe('packageOf', () => {
  it('names the innermost package, scoped or not', () => {
    expect(packageOf('./node_modules/@actions/core/lib/core.js')).toBe('@actions/core')
    expect(packageOf('./node_modules/a/node_modules/undici/lib/web/fetch/index.js')).toBe('undici')
  })

  it('groups the action, node built-ins and the bundler runtime', () => {
    expect(packageOf('./src/wait.ts')).toBe('this action (src/)')
    expect(packageOf('external "http"')).toBe('node built-ins')
    expect(packageOf('webpack/runtime/define property getters')).toBe('bundler runtime')
  })
})

// dist/index.js as ncc 0.45 writes it: a table of CommonJS factories, the module cache and require, then
// the runtime and the entry's concatenated ES modules.
const FACTORY_A = '12:(e,t,n)=>{e.exports={a:"x"}}'
const FACTORY_B = '34:e=>{e.exports=n(12)}'
const TABLE = `import{createRequire as e}from"module";var t={${FACTORY_A},${FACTORY_B}};`
const REST = 'var n={};function __nccwpck_require__(e){return 1}var s=1;console.log(s)'
const ENTRY = TABLE + REST

// A chunk as ncc leaves it (unminified): one CommonJS module and one concatenation of two ES modules.
const CHUNK_HEAD = 'export const id = 413;\nexport const ids = [413];\nexport const modules = {\n\n'
const CHUNK_CJS = '/***/ 56:\n/***/ ((module) => {\nmodule.exports = 1\n/***/ }),\n\n'
const CONCAT_HEAD = '/***/ 78:\n/***/ ((m, e, r) => {\nr.d(e, {})\n'
const PART_ONE = ';// CONCATENATED MODULE: ./node_modules/@octokit/core/index.js\nconst core = 1\n'
const PART_TWO =
  ';// CONCATENATED MODULE: ./node_modules/@actions/github/lib/github.js\nconst github = core\n/***/ })\n'
const CHUNK_TAIL = '\n};\n'
const CHUNK = CHUNK_HEAD + CHUNK_CJS + CONCAT_HEAD + PART_ONE + PART_TWO + CHUNK_TAIL

const MODULES: StatsModule[] = [
  {
    id: 12,
    name: './node_modules/undici/index.js',
    size: 400,
    chunks: [792],
    reasons: [{ resolvedModule: './node_modules/@actions/http-client/lib/index.js' }]
  },
  { id: 34, name: './node_modules/tunnel/index.js', size: 100, chunks: [792] },
  {
    id: 99,
    name: './src/index.ts + 1 modules',
    size: 300,
    chunks: [792],
    modules: [
      { name: './src/index.ts', size: 100 },
      { name: './node_modules/@actions/http-client/lib/index.js', size: 300 }
    ]
  },
  // Listed again on their own, in no chunk: must not count twice.
  { id: null, name: './src/index.ts', size: 100, chunks: [] },
  { id: '', name: 'webpack/runtime/make namespace object', size: 100, chunks: [792] },
  // The chunk's: must not count in dist/index.js.
  { id: 56, name: './node_modules/before-after-hook/index.js', size: 50, chunks: [413] },
  {
    id: 78,
    name: './node_modules/@actions/github/lib/github.js + 1 modules',
    size: 900,
    chunks: [413],
    modules: [
      { name: './node_modules/@octokit/core/index.js', size: 600 },
      { name: './node_modules/@actions/github/lib/github.js', size: 300 }
    ]
  }
]

function share(composition: FileComposition, name: string) {
  return composition.packages.find(entry => entry.name === name)
}

function total(composition: FileComposition): number {
  return composition.packages.reduce((sum, entry) => sum + entry.bytes, 0)
}

describe('modulesOfChunk', () => {
  it('keeps the modules webpack put in that chunk', () => {
    expect(modulesOfChunk(MODULES, 413).map(module => module.id)).toEqual([56, 78])
    expect(modulesOfChunk(MODULES, '792').map(module => module.id)).toEqual([12, 34, 99, ''])
  })
})

describe('factoryOffsets', () => {
  it('finds where each factory starts, and leaves out ids that are not in the table', () => {
    const offsets = factoryOffsets(ENTRY, ['12', '34', '99'])
    expect(offsets?.get('12')).toBe(ENTRY.indexOf('{12:'))
    expect(offsets?.get('34')).toBe(ENTRY.indexOf(',34:e=>'))
    expect(offsets?.has('99')).toBe(false)
  })

  it('gives up when an id is found twice (say, in a string that looks like a factory)', () => {
    const decoy = ENTRY.replace('{a:"x"}', '{a:"{,34:(e)=>{"}')
    expect(factoryOffsets(decoy, ['12', '34'])).toBeUndefined()
  })
})

describe('entryComposition', () => {
  const composition = entryComposition('index.js', ENTRY, modulesOfChunk(MODULES, 792))

  it('measures CommonJS factories exactly, from one start to the next', () => {
    expect(share(composition, 'undici')).toMatchObject({ bytes: FACTORY_A.length + 1, exact: true })
    expect(share(composition, 'tunnel')).toMatchObject({ bytes: FACTORY_B.length + 1, exact: true })
  })

  it("shares the rest among the entry's concatenated modules and the runtime by source size", () => {
    const rest = ENTRY.length - (FACTORY_A.length + 1) - (FACTORY_B.length + 1)
    expect(share(composition, '@actions/http-client')).toMatchObject({
      bytes: Math.round((rest * 300) / 500),
      exact: false
    })
    expect(share(composition, 'this action (src/)')?.bytes).toBe(Math.round((rest * 100) / 500))
    expect(share(composition, 'bundler runtime')?.bytes).toBe(Math.round((rest * 100) / 500))
  })

  it("counts only the file's own modules, and adds up to the whole file", () => {
    expect(share(composition, '@octokit/core')).toBeUndefined()
    expect(share(composition, 'before-after-hook')).toBeUndefined()
    expect(Math.abs(total(composition) - ENTRY.length)).toBeLessThanOrEqual(composition.packages.length)
  })

  it('says which package pulls another in', () => {
    expect(share(composition, 'undici')?.pulledInBy).toEqual(['@actions/http-client'])
  })

  it('estimates everything, and says so, when the factory table is not what it expects', () => {
    const estimate = entryComposition('index.js', ENTRY.replace('{12:', '{ 12:').replace(',34:', ', 34:'), MODULES)
    expect(estimate.tableFound).toBe(false)
    expect(estimate.packages.every(entry => !entry.exact)).toBe(true)
  })
})

describe('chunkComposition', () => {
  const composition = chunkComposition('413.index.js', CHUNK, modulesOfChunk(MODULES, 413))

  it('measures each module, and each part of a concatenation, exactly', () => {
    expect(composition.tableFound).toBe(true)
    expect(share(composition, 'before-after-hook')).toMatchObject({ bytes: CHUNK_CJS.length, exact: true })
    expect(share(composition, '@octokit/core')).toMatchObject({ bytes: PART_ONE.length, exact: true })
    // The concatenation's own head goes to its root module's package.
    expect(share(composition, '@actions/github')).toMatchObject({
      bytes: CONCAT_HEAD.length + PART_TWO.length,
      exact: true
    })
  })

  it("counts the chunk's wrapper as the bundler's, and adds up to the whole file exactly", () => {
    expect(share(composition, 'bundler runtime')?.bytes).toBe(CHUNK_HEAD.length + CHUNK_TAIL.length)
    expect(total(composition)).toBe(CHUNK.length)
  })

  it('estimates, and says so, when a module start is not one of the chunk’s modules', () => {
    const estimate = chunkComposition('413.index.js', CHUNK, modulesOfChunk(MODULES, 792))
    expect(estimate.tableFound).toBe(false)
    expect(estimate.packages.every(entry => !entry.exact)).toBe(true)
  })
})
