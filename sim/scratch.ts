/**
 * Scratch folders for the tests, the demos and the benchmark: the bundle's workspaces, event payloads, folders set
 * up as traps. All of one process's go under one parent in the system's temporary folder, so one call removes them
 * all: jest calls it after each test file (__tests__/helpers/remove-scratch.ts), and scripts when they end.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

let parent: string | undefined

/** A new, empty folder named after `prefix`. */
export function scratchDir(prefix: string): string {
  parent ??= mkdtempSync(path.join(tmpdir(), 'testsigma-action-scratch-'))
  return mkdtempSync(path.join(parent, `${prefix}-`))
}

/** Removes every scratch folder made so far by this process. */
export function removeScratchDirs(): void {
  if (parent === undefined) return
  rmSync(parent, { recursive: true, force: true })
  parent = undefined
}
