/**
 * Which packages take the bytes of dist/index.js (pure: bundle text and webpack stats in, shares out).
 *
 * ncc emits CommonJS modules as factories in one table, `{<id>:(e,A,t)=>{…},<id>:…}`, so their minified
 * bytes are measured exactly, from one factory's start to the next. ES modules are concatenated into one
 * scope (webpack's module concatenation) with the bundler's runtime; those bytes are shared out by each
 * module's source size, an estimate, and marked as such.
 */

/** The part of a webpack stats module this reads (`ncc build --stats-out`). */
export interface StatsModule {
  id?: string | number | null
  name: string
  /** Source size in bytes, before minification. */
  size: number
  /** Set on a concatenated module: the modules it is made of. */
  modules?: StatsModule[]
  issuerName?: string | null
  reasons?: Array<{ resolvedModule?: string | null; moduleName?: string | null }>
}

export interface PackageShare {
  /** npm package name, `this action (src/)`, `node built-ins` or `bundler runtime`. */
  name: string
  /** Minified bytes in the bundle (exact, or estimated when `exact` is false). */
  bytes: number
  exact: boolean
  sourceBytes: number
  modules: number
  /** Other packages whose code imports this one. */
  pulledInBy: string[]
}

export interface Composition {
  /** Read as latin1, so one character is one byte. */
  totalBytes: number
  packages: PackageShare[]
  /** The largest CommonJS modules, measured exactly. */
  largestModules: Array<{ name: string; bytes: number }>
  /** False when the factory table could not be read and every share is an estimate. */
  factoriesFound: boolean
}

export const ACTION_SOURCE = 'this action (src/)'

/** `./node_modules/@actions/core/lib/core.js` → `@actions/core`; the innermost node_modules wins. */
export function packageOf(moduleName: string): string {
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(moduleName)
  if (inPackage) return inPackage[1]
  if (moduleName.startsWith('external ')) return 'node built-ins'
  if (moduleName.startsWith('webpack/runtime')) return 'bundler runtime'
  if (moduleName.startsWith('./src/')) return ACTION_SOURCE
  return moduleName
}

/**
 * Start offset of each CommonJS factory in the bundle, by module id; undefined unless every id is found
 * exactly once (then the table is not what this expects and nothing is guessed).
 */
export function factoryOffsets(bundle: string, ids: string[]): Map<string, number> | undefined {
  const wanted = new Set(ids)
  const found = new Map<string, number[]>()
  const factory = /[{,](\d+):(?:\([\w$]*(?:,[\w$]+)*\)|[\w$]+)=>\{|[{,](\d+):function\(/g
  for (let match = factory.exec(bundle); match !== null; match = factory.exec(bundle)) {
    const id = match[1] ?? match[2]
    if (!wanted.has(id)) continue
    found.set(id, [...(found.get(id) ?? []), match.index])
  }
  if (ids.some(id => found.get(id)?.length !== 1)) return undefined
  return new Map(ids.map(id => [id, (found.get(id) as number[])[0]]))
}

export function bundleComposition(bundle: string, modules: StatsModule[]): Composition {
  const factories = modules.filter(isFactory)
  // Stats also list each concatenated module on its own, without an id: counted once, inside its concatenation.
  const concatenated = modules.flatMap(module => module.modules ?? (module.id === '' ? [module] : []))
  const offsets = factoryOffsets(
    bundle,
    factories.map(module => String(module.id))
  )
  const tableEnd = offsets === undefined ? -1 : endOfFactoryTable(bundle, Math.max(...offsets.values()))

  const exactBytes = new Map<StatsModule, number>()
  if (offsets !== undefined && tableEnd !== -1) {
    const ordered = [...factories].sort((a, b) => offsetOf(offsets, a) - offsetOf(offsets, b))
    ordered.forEach((module, i) => {
      const end = i + 1 < ordered.length ? offsetOf(offsets, ordered[i + 1]) : tableEnd
      exactBytes.set(module, end - offsetOf(offsets, module))
    })
  }
  const estimated = exactBytes.size > 0 ? concatenated : [...factories, ...concatenated]
  const measured = [...exactBytes.values()].reduce((sum, bytes) => sum + bytes, 0)
  const estimatedSource = estimated.reduce((sum, module) => sum + module.size, 0)
  const rest = bundle.length - measured

  const shares = new Map<string, PackageShare>()
  const add = (module: StatsModule, bytes: number, exact: boolean): void => {
    const name = packageOf(module.name)
    const share = shares.get(name) ?? { name, bytes: 0, exact: true, sourceBytes: 0, modules: 0, pulledInBy: [] }
    share.bytes += bytes
    share.exact &&= exact
    share.sourceBytes += module.size
    share.modules += 1
    for (const importer of importersOf(module)) {
      const by = packageOf(importer)
      if (by !== name && !share.pulledInBy.includes(by)) share.pulledInBy.push(by)
    }
    shares.set(name, share)
  }
  for (const [module, bytes] of exactBytes) add(module, bytes, true)
  for (const module of estimated) add(module, estimatedSource === 0 ? 0 : (rest * module.size) / estimatedSource, false)

  const packages = [...shares.values()]
    .map(share => ({ ...share, bytes: Math.round(share.bytes) }))
    .sort((a, b) => b.bytes - a.bytes)
  const largestModules = [...exactBytes]
    .map(([module, bytes]) => ({ name: module.name.replace(/^\.\/node_modules\//, ''), bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8)
  return { totalBytes: bundle.length, packages, largestModules, factoriesFound: exactBytes.size > 0 }
}

/** A module in ncc's factory table: it has an id of its own and is not a concatenation. */
function isFactory(module: StatsModule): boolean {
  return module.id !== undefined && module.id !== null && module.id !== '' && module.modules === undefined
}

function offsetOf(offsets: Map<string, number>, module: StatsModule): number {
  return offsets.get(String(module.id)) as number
}

/** Index just past the last factory's closing brace: the table is followed by the module cache and require. */
function endOfFactoryTable(bundle: string, lastFactory: number): number {
  const end = /\}\};var [\w$]+=\{\};function __nccwpck_require__/g
  end.lastIndex = lastFactory
  const match = end.exec(bundle)
  return match === null ? -1 : match.index + 1
}

function importersOf(module: StatsModule): string[] {
  const names = (module.reasons ?? []).map(reason => reason.resolvedModule ?? reason.moduleName ?? '')
  if (module.issuerName) names.push(module.issuerName)
  return names.filter(name => name !== '' && !name.includes(' + '))
}

/**
 * The bundle with every CommonJS factory of `packageName` replaced by one that exports an empty object:
 * what start-up would cost without that package. Only for measuring (an importer that uses the package
 * breaks); undefined when the factory table cannot be read.
 */
export function withoutPackage(bundle: string, modules: StatsModule[], packageName: string): string | undefined {
  const factories = modules.filter(isFactory)
  const offsets = factoryOffsets(
    bundle,
    factories.map(module => String(module.id))
  )
  if (offsets === undefined) return undefined
  const tableEnd = endOfFactoryTable(bundle, Math.max(...offsets.values()))
  if (tableEnd === -1) return undefined
  const ordered = [...factories].sort((a, b) => offsetOf(offsets, a) - offsetOf(offsets, b))
  const pieces: string[] = []
  let copied = 0
  ordered.forEach((module, i) => {
    if (packageOf(module.name) !== packageName) return
    const start = offsetOf(offsets, module)
    const end = i + 1 < ordered.length ? offsetOf(offsets, ordered[i + 1]) : tableEnd
    // Keep the separator ("{" or ","), then a factory with the same id and nothing in it.
    pieces.push(bundle.slice(copied, start + 1), `${String(module.id)}:e=>{e.exports={}}`)
    copied = end
  })
  pieces.push(bundle.slice(copied))
  return pieces.join('')
}
