/**
 * End to end: words from the server that the action does not know (issue 17). A result of "constructor" or
 * "__proto__" crashed the reporting ("e.replace is not a function"): no summary, and a red step where
 * `fail-on-failure: false` keeps it green. A result written as markdown became a tracking image, a phishing link and
 * a live mention in the summary. dist/index.js as the runner runs it; the summary rendered as GitHub renders it.
 */
import { renderGfm } from '../../sim/gfm.js'
import { runBundle } from '../../sim/run-bundle.js'
import { HOSTILE_TEXTS } from '../../sim/soak/hostile-text.js'
import { foreignMarkup } from '../../sim/soak/markup-invariant.js'
import { FINISHED, TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-server-words'
let sim: TestsigmaSimulator

afterEach(async () => sim?.close())

/** A run seen once in progress with `status`, then finished with `result` and no test counts. */
async function finishWith(result: string, status = 'STATUS_IN_PROGRESS'): Promise<void> {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [
      {
        id: '2048',
        name: 'Checkout flow',
        frames: [
          { status, result: 'QUEUED', counts: { total: 0 } },
          { status: FINISHED, result, counts: { total: 0 } }
        ]
      }
    ]
  })
}

function run() {
  return runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '2048',
      'base-url': sim.url,
      'poll-interval-seconds': '1',
      'fail-on-failure': 'false'
    },
    killAfterMs: 45_000
  })
}

describe('a result the action does not know, with fail-on-failure: false', () => {
  it.each(['constructor', '__proto__'])('%s: green, with a summary that quotes it', async word => {
    await finishWith(word, 'toString')
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain('failed unexpectedly')
    expect(result.stdout).toContain('"toString", no tests counted yet')
    expect(result.stdout).toMatch(/^::warning title=.*fail-on-failure%3A false/m)
    const heading = renderGfm(result.summary).match(/<h3>(.*)<\/h3>/)?.[1]
    expect(heading).toBe(`❌ Testsigma: Checkout flow ended with result &quot;${word}&quot;`)
  })

  it('written as markdown: shown as text, no image, link, HTML or mention in the summary', async () => {
    await finishWith(HOSTILE_TEXTS[0])
    const result = await run()
    expect(result.exitCode).toBe(0)
    const html = renderGfm(result.summary)
    expect(foreignMarkup(html, [`${sim.url}/`])).toEqual([])
    expect(html).toContain('Ended with result &quot;FAILURE** ![pixel](')
  })
})
