/**
 * The exit guard in a real node process: node exits with code 0 when its event loop empties, even while
 * the action still awaits something. A fixture leaves a promise pending on purpose.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { installExitGuard } from '../src/exit-guard.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./fixtures/exit-guard-script.ts', import.meta.url))

function runFixture(mode: string) {
  const result = spawnSync(`${ROOT}node_modules/.bin/tsx`, [SCRIPT, mode], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 30_000
  })
  return { code: result.status, stdout: result.stdout }
}

describe('the exit guard, in a real process', () => {
  it('fails a process that ends while a promise is still pending, and says why', () => {
    const { code, stdout } = runFixture('pending')
    expect(code).toBe(1)
    expect(stdout).not.toContain('never printed')
    expect(stdout).toContain(
      '::error::The action ended without a verdict: nothing was left to wait on while it still waited ' +
        '(an answer that never completed). The step fails, because it must not pass without a result.'
    )
  })

  it('fails a process.exit(0) before any verdict', () => {
    const { code, stdout } = runFixture('exit')
    expect(code).toBe(1)
    expect(stdout).toContain('::error::The action ended without a verdict: it exited with code 0 before writing one.')
  })

  it('lets a written verdict decide: green exits 0, red exits 1, with no extra line', () => {
    const passed = runFixture('passed')
    expect(passed.code).toBe(0)
    expect(passed.stdout).not.toContain('::error::')
    const failed = runFixture('failed')
    expect(failed.code).toBe(1)
    expect(failed.stdout.match(/::error::/g)).toEqual(['::error::'])
  })
})

describe('installExitGuard', () => {
  it('sets a failing exit code before anything else happens', () => {
    const proc: { exitCode?: number | string | null; on: () => void } = { on: () => undefined }
    installExitGuard(proc, () => undefined)
    expect(proc.exitCode).toBe(1)
  })
})
