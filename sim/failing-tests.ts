/**
 * Test plans for the simulator whose JUnit report names failed tests on several devices, in standard JUnit
 * (`<failure message=…>`, as other tools write it), so that standard reports stay covered. Testsigma's own shape,
 * with its neutral "did not pass", is `junitXml` in simulator.ts. Used by the end-to-end tests and `npm run demo:pr`.
 */
import { FINISHED, PlanScript, SimStep, SimTestCase } from './simulator.js'

export interface FailedTestsScenario {
  id: string
  name?: string
  devices?: string[]
  /** Test cases per device. */
  tests?: number
  /** Of those, how many fail on each device. */
  failures?: number
}

const STEPS = [
  'Element "Pay now" (#pay-button) was not found within 30 s',
  'Expected text "Order confirmed" but found "Payment declined"',
  'Assertion failed: cart total is 118.00 EUR, expected 108.00 EUR',
  'Page "Checkout" did not load: net::ERR_CONNECTION_RESET'
]

// What the failing step of each test did (Testsigma's NLP step text), beside the messages of STEPS.
const ACTIONS = [
  'Click on Pay now button',
  'Verify that the current page displays text Order confirmed',
  'Verify that the Cart total contains 108.00 EUR',
  'Navigate to https://shop.example.com/checkout'
]

/**
 * A FAILURE run of `devices × tests` test cases, `failures` of them failed on each device; its JSON results
 * (`testCases`) say the same as its JUnit report, with the failing step: step N, what it did, and the message.
 */
export function failedTestsPlan(scenario: FailedTestsScenario): PlanScript {
  const devices = scenario.devices ?? ['Chrome 120 on Windows 11', 'Safari 17 on macOS 14']
  const tests = scenario.tests ?? 6
  const failures = Math.min(scenario.failures ?? 2, tests)
  const name = scenario.name ?? 'Checkout flow'
  const suites = devices.map((device, d) => {
    const cases: string[] = []
    for (let t = 1; t <= tests; t++) {
      const open = `    <testcase name="TC-${100 + t} ${caseName(t)}" classname="${escapeXml(name)}" time="${(t * 1.75).toFixed(2)}">`
      if (t > tests - failures) {
        const step = STEPS[(t + d) % STEPS.length]
        cases.push(
          `${open}<failure message="Step ${(t % 5) + 2}: ${escapeXml(step)}">${escapeXml(step)}&#10;  at step ${(t % 5) + 2} of TC-${100 + t}</failure></testcase>`
        )
      } else {
        cases.push(`${open}</testcase>`)
      }
    }
    return [
      `  <testsuite name="${escapeXml(device)}" tests="${tests}" failures="${failures}">`,
      ...cases,
      '  </testsuite>'
    ].join('\n')
  })
  const testCases: SimTestCase[] = devices.flatMap((device, d) =>
    Array.from({ length: tests }, (_, i): SimTestCase => {
      const t = i + 1
      const named = `TC-${100 + t} ${caseName(t)}`
      if (t <= tests - failures) return { name: named, device, result: 'SUCCESS', suite: name }
      const at = (t + d) % STEPS.length
      const before: SimStep[] = Array.from({ length: (t % 5) + 1 }, (__, s) => ({
        action: `Step ${s + 1} of ${named}`,
        result: 'SUCCESS',
        message: 'Step executed successfully'
      }))
      const failing: SimStep = { action: ACTIONS[at], result: 'FAILURE', message: STEPS[at], errorType: 'ASSERT_ERROR' }
      return { name: named, device, result: 'FAILURE', suite: name, steps: [...before, failing] }
    })
  )
  const total = devices.length * tests
  const failed = devices.length * failures
  return {
    id: scenario.id,
    name,
    durationMs: 312_000,
    frames: [
      { status: 'STATUS_IN_PROGRESS', result: 'QUEUED', counts: { total, passed: 0 } },
      {
        status: FINISHED,
        result: failed > 0 ? 'FAILURE' : 'SUCCESS',
        counts: { total, passed: total - failed, failed, aborted: 0, stopped: 0, notExecuted: 0 }
      }
    ],
    testCases,
    junit: {
      body: [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="${escapeXml(name)}" tests="${total}" failures="${failed}">`,
        ...suites,
        '</testsuites>',
        ''
      ].join('\n')
    }
  }
}

const NAMES = ['Log in', 'Search product', 'Add to cart', 'Apply coupon', 'Pay with card', 'Track order']

function caseName(t: number): string {
  return NAMES[(t - 1) % NAMES.length]
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
