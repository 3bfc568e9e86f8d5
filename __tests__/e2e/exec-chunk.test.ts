/**
 * End to end: `@actions/core` imports `@actions/exec` at its top level, only for platform details this action never
 * asks for. tsconfig.json's `paths` sends that import to src/exec-lazy.ts, so @actions/exec, @actions/io and
 * `child_process` sit in a chunk of their own, off the start-up path: a whole run goes without it.
 */
import { bundleWithout, chunkHolding, EXEC_MARKER } from '../../sim/dist-copy.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { runBundle } from '../../sim/run-bundle.js'
import { TestsigmaSimulator } from '../../sim/simulator.js'

const API_KEY = 'tsk-e2e-exec-chunk'

it('a whole run (trigger, wait, JUnit report, summary, outputs) does without @actions/exec’s chunk', async () => {
  const sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [failedTestsPlan({ id: '4096', tests: 3, failures: 1 })]
  })
  try {
    const result = await runBundle({
      bundle: bundleWithout(chunkHolding(EXEC_MARKER)),
      inputs: {
        'api-key': API_KEY,
        'test-plan-id': '4096',
        'base-url': sim.url,
        'poll-interval-seconds': '1',
        'junit-report': 'testsigma.xml'
      }
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ result: 'FAILURE', 'failed-count': '2', 'junit-report': 'testsigma.xml' })
    expect(result.stdout).toMatch(/^::error title=Failed%3A TC-/m)
    expect(result.summary).toContain('TC-')
  } finally {
    await sim.close()
  }
})
