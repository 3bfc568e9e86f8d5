import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { X2jOptions } from 'fast-xml-parser'

/** Writes the run's JUnit XML, creating the folders on the way. */
export async function writeJunitReport(absolutePath: string, xml: string): Promise<void> {
  await mkdir(path.dirname(absolutePath), { recursive: true })
  await writeFile(absolutePath, xml, 'utf8')
}

/**
 * How one test case ended, in JUnit's terms: `failed` has a `<failure>` (an assertion did not hold),
 * `error` an `<error>` (the test could not run to its end), `skipped` a `<skipped>`.
 */
export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped'

/** One `<testcase>` of the run's JUnit report. */
export interface TestCaseResult {
  /** The `<testsuite>` name: Testsigma writes one suite per test device ("Chrome 120 on Windows 11"). */
  device: string
  name: string
  outcome: TestOutcome
  /** The `message` of `<failure>`/`<error>`, else its text; absent when neither says anything. */
  failureMessage?: string
  /** The `time` attribute, when it is a number. */
  timeSeconds?: number
}

/** The counts of one device's test cases, in the report's order of devices. */
export interface DeviceCounts {
  device: string
  total: number
  passed: number
  failed: number
  error: number
  skipped: number
  timeSeconds: number
}

/** The JUnit XML is not well-formed, or not JUnit at all. */
export class JunitFormatError extends Error {
  constructor(problem: string) {
    super(`The JUnit report ${problem}`)
    this.name = 'JunitFormatError'
  }
}

// These may appear once or many times; the parser is told to make them lists always.
const LIST_ELEMENTS = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped'])

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

/**
 * Maps the run's JUnit XML to one `TestCaseResult` per `<testcase>`, in document order. Accepts a
 * `<testsuites>` root or a lone `<testsuite>`, and suites nested in suites (the innermost names the
 * device). Rejects with `JunitFormatError` for XML that is not well-formed (a truncated body) or has neither root.
 */
export async function parseJunitReport(xml: string): Promise<TestCaseResult[]> {
  // Loaded here, once the run has finished: ncc puts the parser in a chunk of its own, off the start-up path.
  const { XMLParser, XMLValidator } = await import('fast-xml-parser')
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
  const cases: TestCaseResult[] = []
  for (const root of roots) {
    for (const suite of asNodes(root.testsuite)) collectSuite(suite, cases)
  }
  return cases
}

function collectSuite(suite: XmlNode, into: TestCaseResult[]): void {
  const device = text(suite.name) ?? text(suite.hostname) ?? ''
  for (const testCase of asNodes(suite.testcase)) into.push(toTestCase(testCase, device))
  for (const nested of asNodes(suite.testsuite)) collectSuite(nested, into)
}

function toTestCase(node: XmlNode, device: string): TestCaseResult {
  const failure = asNodes(node.failure)[0]
  const error = asNodes(node.error)[0]
  const problem = failure ?? error
  const outcome: TestOutcome =
    failure !== undefined ? 'failed' : error !== undefined ? 'error' : node.skipped !== undefined ? 'skipped' : 'passed'
  const result: TestCaseResult = {
    device,
    name: text(node.name) ?? text(node.classname) ?? '(unnamed test case)',
    outcome
  }
  if (problem !== undefined) {
    const message = text(problem.message) ?? text(problem['#text']) ?? text(problem.type)
    if (message !== undefined) result.failureMessage = message
  }
  const time = text(node.time)
  if (time !== undefined && /^\d+(\.\d+)?$/.test(time)) result.timeSeconds = Number(time)
  return result
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

export function isFailedTest(testCase: TestCaseResult): boolean {
  return testCase.outcome === 'failed' || testCase.outcome === 'error'
}

/** Counts per device (one `<testsuite>` each), devices in the order the report names them. */
export function countByDevice(cases: readonly TestCaseResult[]): DeviceCounts[] {
  const byDevice = new Map<string, DeviceCounts>()
  for (const testCase of cases) {
    let counts = byDevice.get(testCase.device)
    if (counts === undefined) {
      counts = { device: testCase.device, total: 0, passed: 0, failed: 0, error: 0, skipped: 0, timeSeconds: 0 }
      byDevice.set(testCase.device, counts)
    }
    counts.total += 1
    counts[testCase.outcome] += 1
    counts.timeSeconds += testCase.timeSeconds ?? 0
  }
  return [...byDevice.values()]
}
