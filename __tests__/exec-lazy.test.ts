/**
 * src/exec-lazy.ts, what the bundle gets for `import … from '@actions/exec'`: `getExecOutput` loads the real
 * @actions/exec on first call and answers as it does.
 */
import { describe, expect, it } from '@jest/globals'
import { getExecOutput } from '../src/exec-lazy.js'

describe('getExecOutput', () => {
  it('runs the command through the real @actions/exec and returns what it printed', async () => {
    const result = await getExecOutput(process.execPath, ['-e', 'process.stdout.write("hello")'], { silent: true })
    expect(result).toEqual({ exitCode: 0, stdout: 'hello', stderr: '' })
  })
})
