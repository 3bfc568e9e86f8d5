/**
 * What the bundle gets for `import … from 'undici'`: tsconfig.json maps the bare specifier `undici` here
 * (`paths`, which ncc's resolver honours for every importer, node_modules included). Not imported by
 * src/ itself.
 *
 * `@actions/http-client` (both copies: 4.x of this action and `@actions/core`, 3.x of `@actions/github`)
 * imports `ProxyAgent` from undici at its top level, but builds one only in `getAgentDispatcher()`, and
 * only `@actions/github`'s proxied `fetch` uses that dispatcher. So a start-up that only talks to Testsigma
 * (through `node:http(s)` and `tunnel`) would evaluate all of undici for nothing. Here `ProxyAgent` is a
 * placeholder that keeps its options, and `fetch` loads the real undici (a chunk of its own, through a
 * dynamic import) and hands it a real `ProxyAgent` built from them, once per placeholder. Proxies keep
 * working for octokit's requests; undici is read only when the pull-request comment is written.
 *
 * Only the two names the bundled code imports from undici are here; a new importer of another name
 * shows up as ncc's "export … was not found in 'undici'" warning at `npm run bundle`.
 */
import type * as Undici from 'undici/index.js'

type RealUndici = typeof Undici

let real: Promise<RealUndici> | undefined

/** The real undici, loaded on first use. */
export function loadUndici(): Promise<RealUndici> {
  // A subpath: the bare `undici` is this module. Through an async function, so that a chunk that cannot be
  // loaded (the bundle is CommonJS: it loads chunks with `require`) rejects rather than throws.
  real ??= (async () => import('undici/index.js'))()
  return real
}

/** Stands in for undici's `ProxyAgent` until a request is sent through it. */
export class ProxyAgent {
  readonly #options: Undici.ProxyAgent.Options | string
  #agent: Promise<Undici.ProxyAgent> | undefined

  constructor(options: Undici.ProxyAgent.Options | string) {
    this.#options = options
  }

  /** The options it was built with, as undici's `ProxyAgent` will get them. */
  get proxyOptions(): Undici.ProxyAgent.Options | string {
    return this.#options
  }

  /** The real agent, made on first call and the same one after (its connection pool is kept). */
  real(): Promise<Undici.ProxyAgent> {
    this.#agent ??= loadUndici().then(undici => new undici.ProxyAgent(this.#options))
    return this.#agent
  }
}

/** What `fetch` takes: undici's options, where the dispatcher may also be a placeholder. */
export type FetchInit = Omit<Undici.RequestInit, 'dispatcher'> & { dispatcher?: Undici.Dispatcher | ProxyAgent }

/** undici's `fetch`, with a placeholder dispatcher swapped for the real `ProxyAgent`. */
export async function fetch(input: Undici.RequestInfo, init?: FetchInit): Promise<Undici.Response> {
  const undici = await loadUndici()
  const dispatcher = init?.dispatcher
  if (dispatcher instanceof ProxyAgent) return undici.fetch(input, { ...init, dispatcher: await dispatcher.real() })
  return undici.fetch(input, { ...init, dispatcher })
}
