/** How the time past timeout-minutes is shared out (issue 17), and the edge that never throws an output at the step. */
import { guardedCore } from '../src/core-edge.js'
import { commentLimitMs, PAST_TIMEOUT_MS, stopLimitMs } from '../src/step-bounds.js'
import { RecordingCore } from './helpers/core.js'

describe('the margin past timeout-minutes', () => {
  const deadline = 1_000_000

  it('gives the stop its 3 s before the deadline (a cancelled job), 2 s at it, never less than 0.5 s', () => {
    expect(stopLimitMs(deadline, deadline - 60_000)).toBe(3000)
    expect(stopLimitMs(deadline, deadline)).toBe(2000)
    expect(stopLimitMs(deadline, deadline + 1900)).toBe(500)
  })

  it('ends the comment 3 s past the deadline, and gives it nothing once that is spent', () => {
    expect(commentLimitMs(deadline, deadline - 600_000, 30_000)).toBe(30_000)
    expect(commentLimitMs(deadline, deadline, 30_000)).toBe(3000)
    // A stop that took its whole 2 s leaves the comment 1 s.
    expect(commentLimitMs(deadline, deadline + stopLimitMs(deadline, deadline), 30_000)).toBe(1000)
    expect(commentLimitMs(deadline, deadline + 3000, 30_000)).toBeLessThanOrEqual(0)
  })

  it('leaves room within the stated margin for the verdict and the exit after both', () => {
    const stopEnds = deadline + stopLimitMs(deadline, deadline)
    const commentEnds = stopEnds + commentLimitMs(deadline, stopEnds, 30_000)
    expect(commentEnds - deadline).toBeLessThanOrEqual(PAST_TIMEOUT_MS - 2000)
  })
})

describe('guardedCore and outputs the runner refuses', () => {
  it('never throws: the first refusal is a warning, and every refused output is told', () => {
    const recorder = new RecordingCore({})
    recorder.setOutput = () => {
      throw new Error("EISDIR: illegal operation on a directory, open '/'")
    }
    const core = guardedCore(recorder, ['k3y'])
    expect(() => core.setOutput('run-id', '337')).not.toThrow()
    core.setOutput('run-url', 'https://x/ui/td/runs/337')
    expect(core.unpublished()).toEqual({
      names: ['run-id', 'run-url'],
      reason: "EISDIR: illegal operation on a directory, open '/'"
    })
    expect(recorder.calls).toEqual([
      {
        kind: 'warning',
        message:
          "The step's output run-id could not be written (EISDIR: illegal operation on a directory, open '/'); the step goes on",
        title: undefined
      }
    ])
  })

  it('tells nothing when every output was written', () => {
    const core = guardedCore(new RecordingCore({}), [])
    core.setOutput('run-id', '337')
    expect(core.unpublished()).toEqual({ names: [], reason: undefined })
  })
})
