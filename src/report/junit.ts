import type { X2jOptions } from 'fast-xml-parser'
import { clip } from '../text.js'
import { checkJunitLimits } from './junit-limits.js'

/**
 * How one test case ended, in JUnit's terms: `failed` has a `<failure>` (an assertion did not hold),
 * `error` an `<error>` (the test could not run to its end), `skipped` a `<skipped>`. `not-passed` is a case of a
 * Testsigma-written report, which gives every case that did not pass the same `<failure>` whether it failed, was
 * aborted, stopped or not executed (docs/testsigma-api.md §6.3), so the report cannot say which.
 */
export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped' | 'not-passed'

/** One `<testcase>` of the run's JUnit report. */
export interface TestCaseResult {
  /** The test device: the `<testsuite>` name, without the "<plan name> || " Testsigma puts before it. */
  device: string
  name: string
  outcome: TestOutcome
  /**
   * The `message` of `<failure>`/`<error>`, else its text; for Testsigma's failure text, only the message in it
   * (no boilerplate, no link). Absent when nothing is said (Testsigma writes a missing message as "null").
   */
  failureMessage?: string
  /** The `time` attribute, when it is a number. */
  timeSeconds?: number
  /** The device's own `time` (its `<testsuite>`'s), when it is a number: Testsigma's device duration. */
  deviceTimeSeconds?: number
}

export interface JunitOptions {
  /** The test plan's name, to take "<plan name> || " off Testsigma's suite names. */
  planName?: string
}

/** The JUnit XML is not well-formed, or not JUnit at all. */
export class JunitFormatError extends Error {
  constructor(problem: string) {
    super(`The JUnit report ${problem}`)
    this.name = 'JunitFormatError'
  }
}

// These may appear once or many times; the parser is told to make them lists always.
const LIST_ELEMENTS = new Set([
  'testsuites',
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped',
  'properties',
  'property'
])

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  // Names like "1.10" or "007" stay text.
  parseTagValue: false,
  parseAttributeValue: false,
  // Numeric character references (`&#10;` in a multi-line failure message) are only decoded with this on;
  // it also decodes HTML's named entities, which do no harm in a message.
  htmlEntities: true,
  isArray: name => LIST_ELEMENTS.has(name)
}

type XmlNode = Record<string, unknown>

let parserModule: Promise<typeof import('fast-xml-parser')> | undefined

/**
 * The XML parser, loaded once. ncc puts it in a chunk of its own, so start-up does not pay for it; in the bundle only
 * the worker thread that reads the report loads it (junit-reader.ts). A chunk that cannot be loaded rejects, and
 * the report is then said to be unreadable, like a bad report.
 */
export function loadJunitParser(): Promise<typeof import('fast-xml-parser')> {
  // Through an async function: the CommonJS bundle loads a chunk with `require`, whose failure would otherwise
  // be thrown here rather than rejected.
  parserModule ??= (async () => import('fast-xml-parser'))()
  return parserModule
}

// What Testsigma writes for every case that is not SUCCESS (O-junit): `Test failed with message:"<message>".please
// visit below URL for more details.` then a newline, a space and the run's link. Read with plain string searches,
// each a single pass, so no failure text can make the reading slow (a pattern once took seconds per case).
const FAILURE_OPENING = 'test failed with message:"'
const FAILURE_CLOSING = /"\.please visit below URL for more details\./gi
// What is kept of a test's or a device's name, and of a message: more than any summary, annotation or comment shows.
const NAME_LIMIT = 1000
const MESSAGE_LIMIT = 4000
// The property Testsigma puts first in every suite (O-junit).
const TESTSIGMA_PROPERTY = 'Testsigma reports URL'
// Between the plan's name and the device's in Testsigma's suite names.
const PLAN_DEVICE_SEPARATOR = ' || '

/**
 * Maps the run's JUnit XML to one `TestCaseResult` per `<testcase>`, in document order. Accepts a
 * `<testsuites>` root or a lone `<testsuite>`, and suites nested in suites (the innermost names the
 * device). Rejects with `JunitFormatError` for XML that is not well-formed (a truncated body) or has neither root.
 *
 * A report Testsigma wrote (its failure text or its reports-URL property, and none of what it never writes:
 * `<error>`, `<skipped>`, attributes on `<failure>`) gets `not-passed` instead of `failed`, since its `<failure>`
 * stands for any result but SUCCESS. Standard JUnit reads as JUnit says.
 *
 * A report over `JUNIT_LIMITS` is refused with `JunitLimitError` before it is parsed. Names and messages are clipped
 * (a message keeps its first 4,000 characters), so what comes back is bounded by the number of cases.
 */
export async function parseJunitReport(xml: string, options: JunitOptions = {}): Promise<TestCaseResult[]> {
  // Before the parser, whose time and memory grow with what it builds.
  checkJunitLimits(xml)
  const { XMLParser, XMLValidator } = await loadJunitParser()
  // The parser is lenient: without this a truncated report would read as a shorter, wrong one.
  const validation = XMLValidator.validate(xml)
  if (validation !== true) {
    const { msg, line } = validation.err
    throw new JunitFormatError(`is not well-formed XML (line ${line}: ${msg.replace(/\s+/g, ' ')})`)
  }
  const document = new XMLParser(PARSER_OPTIONS).parse(xml) as XmlNode
  if (document.testsuites === undefined && document.testsuite === undefined) {
    throw new JunitFormatError('has neither <testsuites> nor <testsuite> at its root')
  }
  const roots = [...asNodes(document.testsuites), { testsuite: document.testsuite }]
  const suites: XmlNode[] = []
  for (const root of roots) {
    for (const suite of asNodes(root.testsuite)) collectSuites(suite, suites)
  }
  const testsigma = isTestsigmaReport(suites)
  const devices = deviceNames(
    suites.map(suite => text(suite.name) ?? text(suite.hostname) ?? ''),
    options.planName,
    testsigma
  )
  const cases: TestCaseResult[] = []
  suites.forEach((suite, at) => {
    const deviceTime = seconds(suite.time)
    for (const testCase of asNodes(suite.testcase)) {
      const result = toTestCase(testCase, devices[at], testsigma)
      if (deviceTime !== undefined) result.deviceTimeSeconds = deviceTime
      cases.push(result)
    }
  })
  return cases
}

/** Every suite with its nested ones after it, in document order. */
function collectSuites(suite: XmlNode, into: XmlNode[]): void {
  into.push(suite)
  for (const nested of asNodes(suite.testsuite)) collectSuites(nested, into)
}

function isTestsigmaReport(suites: readonly XmlNode[]): boolean {
  let marked = false
  for (const suite of suites) {
    for (const properties of asNodes(suite.properties)) {
      if (asNodes(properties.property).some(property => text(property.name) === TESTSIGMA_PROPERTY)) marked = true
    }
    for (const testCase of asNodes(suite.testcase)) {
      if (testCase.error !== undefined || testCase.skipped !== undefined) return false
      for (const failure of asNodes(testCase.failure)) {
        if (Object.keys(failure).some(key => key !== '#text')) return false
        if (testsigmaMessage(text(failure['#text']) ?? '') !== undefined) marked = true
      }
    }
  }
  return marked
}

/**
 * Device names from suite names: "<plan name> || " taken off. With the plan's name unknown (the open-source
 * server's answer has none), a Testsigma report's prefix is what all its suite names share up to their last
 * " || " in common, or for a single suite, up to its first.
 */
function deviceNames(names: readonly string[], planName: string | undefined, testsigma: boolean): string[] {
  const known = planName === undefined ? undefined : `${planName}${PLAN_DEVICE_SEPARATOR}`
  let prefix = known
  if ((prefix === undefined || !names.every(name => name.startsWith(prefix as string))) && testsigma) {
    const distinct = [...new Set(names)]
    if (distinct.length === 1) {
      const at = distinct[0].indexOf(PLAN_DEVICE_SEPARATOR)
      prefix = at < 0 ? undefined : distinct[0].slice(0, at + PLAN_DEVICE_SEPARATOR.length)
    } else {
      const common = commonPrefix(distinct)
      const at = common.lastIndexOf(PLAN_DEVICE_SEPARATOR)
      prefix = at < 0 ? undefined : common.slice(0, at + PLAN_DEVICE_SEPARATOR.length)
    }
  }
  return names.map(name =>
    clip(
      prefix !== undefined && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name,
      NAME_LIMIT
    )
  )
}

function commonPrefix(names: readonly string[]): string {
  let common = names[0] ?? ''
  for (const name of names) {
    let length = 0
    while (length < common.length && length < name.length && common[length] === name[length]) length += 1
    common = common.slice(0, length)
  }
  return common
}

function toTestCase(node: XmlNode, device: string, testsigma: boolean): TestCaseResult {
  const failure = asNodes(node.failure)[0]
  const error = asNodes(node.error)[0]
  const problem = failure ?? error
  const outcome: TestOutcome =
    failure !== undefined
      ? testsigma
        ? 'not-passed'
        : 'failed'
      : error !== undefined
        ? 'error'
        : node.skipped !== undefined
          ? 'skipped'
          : 'passed'
  const result: TestCaseResult = {
    device,
    name: clip(text(node.name) ?? text(node.classname) ?? '(unnamed test case)', NAME_LIMIT),
    outcome
  }
  if (problem !== undefined) {
    const message = failureMessage(problem)
    if (message !== undefined) result.failureMessage = clip(message, MESSAGE_LIMIT)
  }
  const time = seconds(node.time)
  if (time !== undefined) result.timeSeconds = time
  return result
}

/** The `message` attribute, else the text (Testsigma's template reduced to its message), else the `type`. */
function failureMessage(problem: XmlNode): string | undefined {
  const attribute = text(problem.message)
  if (attribute !== undefined) return attribute
  const body = text(problem['#text'])
  if (body !== undefined) {
    const template = testsigmaMessage(body)
    if (template === undefined) return body
    const message = template.trim()
    // Testsigma prints a missing message as "null".
    return message === '' || message === 'null' ? undefined : message
  }
  return text(problem.type)
}

/**
 * The message in Testsigma's failure text (trimmed `text`), or undefined when `text` is not in its words: the
 * opening, the message (which may hold quotes and newlines, so it runs to the last closing), the closing, then at
 * most one word (the run's link). Linear: one look at the opening, one pass for the closings, one for the link.
 */
export function testsigmaMessage(text: string): string | undefined {
  if (text.slice(0, FAILURE_OPENING.length).toLowerCase() !== FAILURE_OPENING) return undefined
  let closing: RegExpExecArray | undefined
  for (const found of text.matchAll(FAILURE_CLOSING)) closing = found
  if (closing === undefined || closing.index < FAILURE_OPENING.length) return undefined
  const link = text.slice(closing.index + closing[0].length).trim()
  if (/\s/.test(link)) return undefined
  return text.slice(FAILURE_OPENING.length, closing.index)
}

/** Decimal seconds; Testsigma writes `ss.SSS` with as many seconds as it takes (`141.000`, `3723.000`). */
function seconds(value: unknown): number | undefined {
  const time = text(value)
  if (time === undefined || !/^\d+(\.\d+)?$/.test(time)) return undefined
  // 400 nines are digits too, and Infinity to Number.
  const seconds = Number(time)
  return Number.isFinite(seconds) ? seconds : undefined
}

/** An element's value as nodes: `<failure/>` parses to '' and `<failure>text</failure>` to a string. */
function asNodes(value: unknown): XmlNode[] {
  if (value === undefined) return []
  const list: unknown[] = Array.isArray(value) ? value : [value]
  return list.map(item => (item !== null && typeof item === 'object' ? (item as XmlNode) : { '#text': item }))
}

/** Trimmed text, or undefined when empty or not text. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}
