import { describe, expect, it } from '@jest/globals'
import {
  bundleComposition,
  factoryOffsets,
  packageOf,
  StatsModule,
  withoutPackage
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

// The shape ncc emits: a table of CommonJS factories, the module cache and require, then the ES modules.
const FACTORY_A = '12:(e,A,t)=>{e.exports={a:"x"}}'
const FACTORY_B = '34:e=>{e.exports=t(12)}'
const TABLE = `import{createRequire as e}from"module";var A={${FACTORY_A},${FACTORY_B}};`
const REST = 'var t={};function __nccwpck_require__(e){return 1}var s=1;console.log(s)'
const BUNDLE = TABLE + REST

const MODULES: StatsModule[] = [
  {
    id: 12,
    name: './node_modules/undici/index.js',
    size: 400,
    reasons: [{ resolvedModule: './node_modules/@actions/http-client/lib/index.js' }]
  },
  { id: 34, name: './node_modules/tunnel/index.js', size: 100 },
  {
    id: 99,
    name: './src/index.ts + 2 modules',
    size: 300,
    modules: [
      { name: './src/index.ts', size: 100 },
      { name: './node_modules/@actions/http-client/lib/index.js', size: 300 }
    ]
  },
  // Listed again on their own, without an id: must not count twice.
  { id: null, name: './src/index.ts', size: 100 },
  { id: '', name: 'webpack/runtime/make namespace object', size: 100 }
]

describe('factoryOffsets', () => {
  it('finds where each factory starts', () => {
    const offsets = factoryOffsets(BUNDLE, ['12', '34'])
    expect(offsets?.get('12')).toBe(BUNDLE.indexOf('{12:'))
    expect(offsets?.get('34')).toBe(BUNDLE.indexOf(',34:e=>'))
  })

  it('gives up when an id is missing', () => {
    expect(factoryOffsets(BUNDLE, ['12', '56'])).toBeUndefined()
  })

  it('gives up when an id is found twice (say, in a string that looks like a factory)', () => {
    const decoy = BUNDLE.replace('{a:"x"}', '{a:"{,34:(e)=>{"}')
    expect(factoryOffsets(decoy, ['12', '34'])).toBeUndefined()
  })
})

describe('bundleComposition', () => {
  const composition = bundleComposition(BUNDLE, MODULES)
  const share = (name: string) => composition.packages.find(entry => entry.name === name)

  it('measures CommonJS factories exactly, from one start to the next', () => {
    expect(share('undici')).toMatchObject({ bytes: FACTORY_A.length + 1, exact: true })
    expect(share('tunnel')).toMatchObject({ bytes: FACTORY_B.length + 1, exact: true })
  })

  it('shares the rest among concatenated modules and the runtime by source size', () => {
    const rest = BUNDLE.length - (FACTORY_A.length + 1) - (FACTORY_B.length + 1)
    expect(share('@actions/http-client')).toMatchObject({ bytes: Math.round((rest * 300) / 500), exact: false })
    expect(share('this action (src/)')?.bytes).toBe(Math.round((rest * 100) / 500))
    expect(share('bundler runtime')?.bytes).toBe(Math.round((rest * 100) / 500))
  })

  it('adds up to the whole bundle, largest first', () => {
    const total = composition.packages.reduce((sum, entry) => sum + entry.bytes, 0)
    expect(Math.abs(total - BUNDLE.length)).toBeLessThanOrEqual(composition.packages.length)
    expect(composition.packages[0].name).toBe('@actions/http-client')
  })

  it('says which package pulls another in', () => {
    expect(share('undici')?.pulledInBy).toEqual(['@actions/http-client'])
  })

  it('estimates everything when the factory table is not what it expects', () => {
    const estimate = bundleComposition(BUNDLE.replace('{12:', '{ 12:'), MODULES)
    expect(estimate.factoriesFound).toBe(false)
    expect(estimate.packages.every(entry => !entry.exact)).toBe(true)
  })
})

describe('withoutPackage', () => {
  it("replaces the package's factories with empty ones and keeps everything else", () => {
    const stubbed = withoutPackage(BUNDLE, MODULES, 'undici')
    expect(stubbed).toBe(BUNDLE.replace(FACTORY_A, '12:e=>{e.exports={}}'))
  })

  it('gives up when the factory table cannot be read', () => {
    expect(withoutPackage(BUNDLE.replace('{12:', '{ 12:'), MODULES, 'undici')).toBeUndefined()
  })
})
