import type { StepDeps } from '../../src/step.js'
import type { Config } from '../../src/config.js'
import { TestsigmaClient } from '../../src/testsigma/client.js'
import type { TestsigmaSimulator } from '../../sim/simulator.js'
import { FakeClock } from './fake-clock.js'
import { RecordingLog } from './log.js'

/** A step's config against the simulator, defaults as action.yml has them. */
export function stepConfig(sim: TestsigmaSimulator, apiKey: string, overrides: Partial<Config> = {}): Config {
  return {
    apiKey,
    testPlanId: '2048',
    baseUrl: sim.url,
    wait: true,
    pollIntervalMs: 15_000,
    timeoutMs: 180 * 60_000,
    failOnFailure: true,
    stopOnCancel: true,
    ...overrides
  }
}

/** The real client against the simulator, a fake clock (no real waiting) and a recording log. */
export function stepDeps(sim: TestsigmaSimulator, apiKey: string, overrides: Partial<StepDeps> = {}) {
  const log = new RecordingLog()
  const clock = new FakeClock()
  const deps: StepDeps = {
    client: new TestsigmaClient({ baseUrl: sim.url, apiKey, userAgent: 'test', requestTimeoutMs: 2000 }),
    clock,
    log,
    signal: new AbortController().signal,
    random: () => 1,
    ...overrides
  }
  return { deps, log, clock }
}

/** Somebody else's run of `planId` on the simulator, started outside the step: a stop must leave it running. */
export function triggerElsewhere(sim: TestsigmaSimulator, apiKey: string, planId: string) {
  return new TestsigmaClient({ baseUrl: sim.url, apiKey, userAgent: 'test', requestTimeoutMs: 2000 }).triggerRun(
    { testPlanId: planId },
    'cloud'
  )
}
