/**
 * Which packages take the bytes of each file of dist/ (pure: the files' text and webpack's stats in,
 * bytes per package out). Every module is counted in the file it is in (webpack's `chunks` of each module),
 * never in another's.
 *
 * - dist/index.js (minified): ncc writes CommonJS modules, and ES modules shared with a chunk, as factories
 *   in one table, `{<id>:(e,t,n)=>{…},<id>:…}`: measured exactly, from one factory's start to the next.
 *   The ES modules webpack concatenated into the entry's scope and the bundler's runtime are the rest of
 *   the file: that total is exact, and it is shared among them by source size, an estimate (marked ≈).
 * - chunks (`<id>.index.js`, which ncc leaves unminified): `/***\/ <id>:` starts each module, and inside a
 *   concatenated one `;// CONCATENATED MODULE: <path>` starts each part: all measured exactly. The chunk's
 *   wrapper counts as the bundler's runtime.
 */

/** The part of a webpack stats module this reads (webpack's stats, as scripts/bundle.ts writes them). */
export interface StatsModule {
  id?: string | number | null
  name: string
  /** Source size in bytes, before minification. */
  size: number
  /** Ids of the chunks the module is in; empty for a module listed again inside its concatenation. */
  chunks?: Array<string | number>
  /** Set on a concatenated module: the modules it is made of. */
  modules?: StatsModule[]
  issuerName?: string | null
  reasons?: Array<{ resolvedModule?: string | null; moduleName?: string | null }>
}

export interface PackageBytes {
  /** npm package name, `this action (src/)`, `node built-ins` or `bundler runtime`. */
  name: string
  bytes: number
  /** False when some of the bytes are a share of the entry's concatenated ES modules (≈). */
  exact: boolean
  modules: number
  /** Packages (or this action) whose code imports this one. */
  pulledInBy: string[]
}

export interface FileComposition {
  file: string
  /** Read as latin1, so one character is one byte. */
  bytes: number
  /** Largest first; adds up to `bytes`. */
  packages: PackageBytes[]
  /** False when the module table was not what this expects and every share is an estimate. */
  tableFound: boolean
}

export const ACTION_SOURCE = 'this action (src/)'
export const RUNTIME = 'bundler runtime'

/** `./node_modules/@actions/core/lib/core.js` → `@actions/core`; the innermost node_modules wins. */
export function packageOf(moduleName: string): string {
  const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(moduleName)
  if (inPackage) return inPackage[1]
  if (moduleName.startsWith('external ')) return 'node built-ins'
  if (moduleName.startsWith('webpack/runtime')) return RUNTIME
  if (moduleName.startsWith('./src/')) return ACTION_SOURCE
  return moduleName
}

/** A run of bytes that belongs to one module. */
interface Piece {
  module: StatsModule
  bytes: number
  exact: boolean
}

/** The modules webpack put in chunk `chunkId`. */
export function modulesOfChunk(modules: StatsModule[], chunkId: string | number): StatsModule[] {
  return modules.filter(module => (module.chunks ?? []).map(String).includes(String(chunkId)))
}

/** The entry file (dist/index.js), minified: a factory table, then the runtime and the concatenated entry. */
export function entryComposition(file: string, text: string, modules: StatsModule[]): FileComposition {
  const own = modules.filter(hasId)
  const offsets = factoryOffsets(text, own.map(idOf))
  const inFactories = offsets === undefined ? [] : own.filter(module => offsets.has(idOf(module)))
  const tableEnd = offsets === undefined ? -1 : endOfFactoryTable(text, Math.max(...offsets.values()))
  const pieces: Piece[] = []
  if (offsets !== undefined && tableEnd !== -1) {
    const ordered = [...inFactories].sort((a, b) => at(offsets, a) - at(offsets, b))
    ordered.forEach((module, i) => {
      const end = i + 1 < ordered.length ? at(offsets, ordered[i + 1]) : tableEnd
      pieces.push({ module, bytes: end - at(offsets, module), exact: true })
    })
  }
  const tableFound = pieces.length > 0
  // The rest: the concatenated entry's parts and the runtime, by source size.
  const measured = pieces.reduce((sum, piece) => sum + piece.bytes, 0)
  const rest = (tableFound ? modules.filter(module => !inFactories.includes(module)) : modules).flatMap(partsOf)
  const restSource = rest.reduce((sum, module) => sum + module.size, 0)
  for (const module of rest) {
    const bytes = restSource === 0 ? 0 : ((text.length - measured) * module.size) / restSource
    pieces.push({ module, bytes, exact: false })
  }
  return { file, bytes: text.length, packages: byPackage(pieces), tableFound }
}

/** A chunk file (unminified): `/***\/ <id>:` per module, `// CONCATENATED MODULE:` per part. */
export function chunkComposition(file: string, text: string, modules: StatsModule[]): FileComposition {
  const byId = new Map(modules.filter(hasId).map(module => [idOf(module), module]))
  const starts = [...text.matchAll(/^\/\*{3}\/ (\d+):$/gm)].map(match => ({ id: match[1], at: match.index }))
  const tableEnd = text.lastIndexOf('\n};')
  const found =
    starts.length > 0 && starts.every(start => byId.has(start.id)) && tableEnd > starts[starts.length - 1].at
  if (!found) {
    const pieces = modules.flatMap(partsOf).map(module => ({ module, bytes: 0, exact: false }))
    const source = pieces.reduce((sum, piece) => sum + piece.module.size, 0)
    for (const piece of pieces) piece.bytes = source === 0 ? 0 : (text.length * piece.module.size) / source
    return { file, bytes: text.length, packages: byPackage(pieces), tableFound: false }
  }
  const pieces: Piece[] = []
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].at : tableEnd
    pieces.push(...concatenatedPieces(byId.get(start.id) as StatsModule, text.slice(start.at, end)))
  })
  const inModules = pieces.reduce((sum, piece) => sum + piece.bytes, 0)
  pieces.push({
    module: { name: 'webpack/runtime (chunk wrapper)', size: 0 },
    bytes: text.length - inModules,
    exact: true
  })
  return { file, bytes: text.length, packages: byPackage(pieces), tableFound: true }
}

/** One module's text, split at `;// CONCATENATED MODULE: <path>` when it is a concatenation. */
function concatenatedPieces(module: StatsModule, text: string): Piece[] {
  const parts = module.modules ?? []
  const marks = [...text.matchAll(/^;\/\/ CONCATENATED MODULE: (.+)$/gm)]
  if (parts.length === 0 || marks.length === 0) return [{ module, bytes: text.length, exact: true }]
  const partByName = new Map(parts.map(part => [part.name, part]))
  // What precedes the first part (exports, interop) is the concatenation's own: its root module's package.
  const root = { name: module.name.replace(/ \+ \d+ modules?$/, ''), size: 0 }
  const pieces: Piece[] = [{ module: root, bytes: marks[0].index, exact: true }]
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].index : text.length
    pieces.push({ module: partByName.get(mark[1]) ?? { name: mark[1], size: 0 }, bytes: end - mark.index, exact: true })
  })
  return pieces
}

/**
 * Start offset of each CommonJS factory in a minified table, by module id, for the ids found there; undefined
 * when an id is found more than once (then the table is not what this expects and nothing is guessed).
 */
export function factoryOffsets(text: string, ids: string[]): Map<string, number> | undefined {
  const wanted = new Set(ids)
  const found = new Map<string, number[]>()
  const factory = /[{,](\d+):(?:\([\w$]*(?:,[\w$]+)*\)|[\w$]+)=>\{|[{,](\d+):function\(/g
  for (let match = factory.exec(text); match !== null; match = factory.exec(text)) {
    const id = match[1] ?? match[2]
    if (!wanted.has(id)) continue
    found.set(id, [...(found.get(id) ?? []), match.index])
  }
  if ([...found.values()].some(offsets => offsets.length !== 1) || found.size === 0) return undefined
  return new Map([...found].map(([id, offsets]) => [id, offsets[0]]))
}

/** Index just past the last factory's closing brace: the table is followed by the module cache and require. */
function endOfFactoryTable(text: string, lastFactory: number): number {
  const end = /\}\};var [\w$]+=\{\};function __nccwpck_require__/g
  end.lastIndex = lastFactory
  const match = end.exec(text)
  return match === null ? -1 : match.index + 1
}

function hasId(module: StatsModule): boolean {
  return module.id !== undefined && module.id !== null && module.id !== ''
}

function idOf(module: StatsModule): string {
  return String(module.id)
}

function at(offsets: Map<string, number>, module: StatsModule): number {
  return offsets.get(idOf(module)) as number
}

/** A concatenation's parts, or the module itself. */
function partsOf(module: StatsModule): StatsModule[] {
  return module.modules ?? [module]
}

function byPackage(pieces: Piece[]): PackageBytes[] {
  const shares = new Map<string, PackageBytes>()
  for (const { module, bytes, exact } of pieces) {
    const name = packageOf(module.name)
    const share = shares.get(name) ?? { name, bytes: 0, exact: true, modules: 0, pulledInBy: [] }
    share.bytes += bytes
    share.exact &&= exact
    share.modules += module.size > 0 || bytes > 0 ? 1 : 0
    for (const importer of importersOf(module)) {
      const by = packageOf(importer)
      if (by !== name && !share.pulledInBy.includes(by)) share.pulledInBy.push(by)
    }
    shares.set(name, share)
  }
  return [...shares.values()]
    .map(share => ({ ...share, bytes: Math.round(share.bytes) }))
    .sort((a, b) => b.bytes - a.bytes)
}

function importersOf(module: StatsModule): string[] {
  const names = (module.reasons ?? []).map(reason => reason.resolvedModule ?? reason.moduleName ?? '')
  if (module.issuerName) names.push(module.issuerName)
  return names.filter(name => name !== '' && !name.includes(' + '))
}
