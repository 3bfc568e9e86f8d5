/**
 * Which Testsigma server the step talks to and how: `base-url` and `api-dialect` (and the warning for a key sent
 * unencrypted). Pure.
 */
import { InputError, quote } from '../inputs.js'
import { DIALECT_CHOICES, DialectChoice, inputsNotCarried, TriggerRequest } from './dialect.js'
import { DEFAULT_BASE_URL } from './links.js'
import { withoutTrailingSlashes } from '../text.js'

export function parseBaseUrl(text: string): string {
  if (text === '') return DEFAULT_BASE_URL
  const example = 'https://testsigma.example.com'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError('base-url', `must be an http(s) URL, got ${quote(text)}`, example)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('base-url', `must be an http(s) URL, got ${quote(text)} (protocol ${url.protocol})`, example)
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError('base-url', 'must not contain a user name or password (the API key authenticates)', example)
  }
  // An empty query or fragment ("…/?" or "…#") leaves url.search and url.hash empty, so the text decides.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    throw new InputError('base-url', `must not have a query or fragment, got ${quote(text)}`, example)
  }
  return withoutTrailingSlashes(url.toString())
}

/** A warning when the API key would cross the network unencrypted (plain http to a host other than this one). */
export function cleartextWarning(baseUrl: string): string | undefined {
  const url = new URL(baseUrl)
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
  if (url.protocol !== 'http:' || loopback) return undefined
  return `base-url ${baseUrl} is plain http: the API key travels to ${url.hostname} unencrypted. Use https.`
}

/**
 * `auto` (the default), `cloud` or `open-source`. The open-source server's trigger has no place for
 * `environment-id` (docs §2.2), so asking for both is refused before anything is sent.
 */
export function parseApiDialect(
  text: string,
  trigger: Pick<TriggerRequest, 'testPlanId' | 'uploadVersions' | 'environmentId'>
): DialectChoice {
  const name = 'api-dialect'
  if (text === '') return 'auto'
  const dialect = DIALECT_CHOICES.find(choice => choice === text.toLowerCase())
  if (dialect === undefined) {
    throw new InputError(name, `must be auto, cloud or open-source, got ${quote(text)}`, 'auto')
  }
  const notCarried = inputsNotCarried(dialect === 'open-source' ? 'open-source' : 'cloud', trigger)
  if (notCarried.length > 0) {
    const inputs = notCarried.join(' and ')
    throw new InputError(
      name,
      `is open-source, whose trigger cannot carry ${inputs} (the open-source server has no such field and would ` +
        `run without it). Remove ${inputs}, or use the cloud dialect`,
      'cloud'
    )
  }
  return dialect
}
