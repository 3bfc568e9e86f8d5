/**
 * How much of a JUnit report the action reads: the caps, and one linear pass over the XML that refuses a report
 * over them before the parser runs. The parser's time and memory grow with what it builds (one element with
 * 3.2 million attributes took 28 s and 2.5 GiB; 327,000 failing cases 10 s and 766 MiB), so a report past these
 * caps is not read at all: one warning, and the failed tests are not listed. The caps are far above any real
 * report (Testsigma writes two elements and five attributes per test case, on one level under its suites).
 */

export const JUNIT_LIMITS = {
  /** `<testcase>` elements. */
  testCases: 50_000,
  /** Elements of any kind. */
  elements: 500_000,
  /** Attributes on one element (a `<testcase>` has a handful). */
  attributesPerElement: 100,
  /** Attributes in all. */
  attributes: 1_000_000,
  /** Elements inside elements (suites nest a few levels; the parser itself stops at 100). */
  depth: 64
} as const

/** The report is over one of `JUNIT_LIMITS`: not read, whatever it holds. */
export class JunitLimitError extends Error {
  constructor(problem: string) {
    super(`The JUnit report ${problem}`)
    this.name = 'JunitLimitError'
  }
}

const LT = 0x3c // <
const GT = 0x3e // >
const SLASH = 0x2f
const EQUALS = 0x3d
const QUOTE = 0x22
const APOSTROPHE = 0x27

/**
 * Throws `JunitLimitError` when `xml` is over a cap, or declares entities (a JUnit report has no use for them, and
 * they are how a small report becomes a huge one). One pass, each character looked at once or skipped by
 * `indexOf`; it stops at the first cap passed. It counts what the parser would build, not whether the XML is
 * well-formed: that is the parser's job, within these caps.
 */
export function checkJunitLimits(xml: string): void {
  const limits = JUNIT_LIMITS
  let elements = 0
  let testCases = 0
  let attributes = 0
  let depth = 0
  let at = xml.indexOf('<')
  while (at !== -1 && at < xml.length) {
    const next = xml.charCodeAt(at + 1)
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', at)) at = after(xml, '-->', at + 4)
      else if (xml.startsWith('<![CDATA[', at)) at = after(xml, ']]>', at + 9)
      else {
        // `<!DOCTYPE name [ … ]>`: entities are declared in the brackets, before the first `>`.
        const end = after(xml, '>', at + 2)
        if (xml.startsWith('<!DOCTYPE', at) && xml.slice(at, end === -1 ? undefined : end).includes('[')) {
          throw new JunitLimitError('declares entities in its DOCTYPE, which no JUnit report needs')
        }
        at = end
      }
    } else if (next === 0x3f /* ? */) {
      at = after(xml, '?>', at + 2)
    } else if (next === SLASH) {
      depth -= 1
      at = after(xml, '>', at + 2)
    } else {
      elements += 1
      if (elements > limits.elements) throw over(limits.elements, 'elements')
      if (isTestCaseTag(xml, at + 1)) {
        testCases += 1
        if (testCases > limits.testCases) throw over(limits.testCases, 'test cases')
      }
      // The tag to its `>`: every name after white space or a quoted value is one attribute (with a value or
      // without, well-formed or not: the parser reads them all before it refuses any).
      let own = 0
      let i = at + 1
      let selfClosing = false
      let boundary = false
      for (; i < xml.length; i++) {
        const code = xml.charCodeAt(i)
        const space = code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
        if (code === QUOTE || code === APOSTROPHE) {
          const close = xml.indexOf(code === QUOTE ? '"' : "'", i + 1)
          if (close === -1) return
          i = close
          boundary = true
          continue
        }
        if (boundary && !space && code !== EQUALS && code !== SLASH && code !== GT && code !== LT) {
          own += 1
          if (own > limits.attributesPerElement) {
            throw pastCap(`has an element with more than ${format(limits.attributesPerElement)} attributes`)
          }
        }
        boundary = space
        if (code === GT) {
          selfClosing = xml.charCodeAt(i - 1) === SLASH
          break
        } else if (code === LT) {
          // A `<` inside a tag: not well-formed (the parser says so); it is counted as the next tag.
          i -= 1
          break
        }
      }
      attributes += own
      if (attributes > limits.attributes) throw over(limits.attributes, 'attributes')
      if (!selfClosing) {
        depth += 1
        if (depth > limits.depth) {
          throw pastCap(`nests elements more than ${limits.depth} deep`)
        }
      }
      at = i + 1
    }
    at = at === -1 ? -1 : xml.indexOf('<', at)
  }
}

/** Where the text after the next `end` at or after `from` starts; -1 when there is none. */
function after(xml: string, end: string, from: number): number {
  const found = xml.indexOf(end, from)
  return found === -1 ? -1 : found + end.length
}

function isTestCaseTag(xml: string, nameAt: number): boolean {
  if (!xml.startsWith('testcase', nameAt)) return false
  const follows = xml.charCodeAt(nameAt + 8)
  // A space, tab, line break, `/` or `>` ends the name (`<testcases>` is another element).
  return (
    follows === 0x20 || follows === 0x09 || follows === 0x0a || follows === 0x0d || follows === SLASH || follows === GT
  )
}

function over(limit: number, what: string): JunitLimitError {
  return pastCap(`has more than ${format(limit)} ${what}`)
}

function pastCap(problem: string): JunitLimitError {
  return new JunitLimitError(`${problem}, past what this action reads`)
}

function format(n: number): string {
  return n.toLocaleString('en-US')
}
