/** The JUnit file write on a real file system, with symbolic links set as traps in the workspace. */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { checkReportTarget, InputFileError, ReportTarget, writeReportFile } from '../src/workspace.js'
import { scratchDir } from '../sim/scratch.js'

let workspace: string
let outside: string

beforeEach(() => {
  const root = scratchDir('workspace-test')
  workspace = path.join(root, 'workspace')
  outside = path.join(root, 'outside')
  mkdirSync(workspace)
  mkdirSync(outside)
})

function target(relative: string): ReportTarget {
  return { path: relative, absolutePath: path.resolve(workspace, relative), workspace }
}

async function refusal(promise: Promise<unknown>): Promise<InputFileError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof InputFileError) return error
    throw error
  }
  throw new Error('expected an InputFileError')
}

describe('writeReportFile', () => {
  it('writes the file, creating the folders, and leaves no temporary file', async () => {
    await writeReportFile(target('reports/deep/ts.xml'), '<testsuites/>')
    expect(readFileSync(path.join(workspace, 'reports/deep/ts.xml'), 'utf8')).toBe('<testsuites/>')
    expect(readdirSync(path.join(workspace, 'reports/deep'))).toEqual(['ts.xml'])
  })

  it('replaces an earlier report', async () => {
    writeFileSync(path.join(workspace, 'ts.xml'), 'old')
    await writeReportFile(target('ts.xml'), 'new')
    expect(readFileSync(path.join(workspace, 'ts.xml'), 'utf8')).toBe('new')
  })

  it('refuses a folder on the way that is a link out of the workspace, and writes nothing there', async () => {
    symlinkSync(outside, path.join(workspace, 'reports'))
    const error = await refusal(writeReportFile(target('reports/sub/ts.xml'), '<x/>'))
    expect(error.message).toContain('junit-report "reports/sub/ts.xml" leads outside the workspace')
    expect(readdirSync(outside)).toEqual([])
  })

  it('refuses a target that is a link to a file outside, and leaves that file alone', async () => {
    writeFileSync(path.join(outside, 'victim'), 'precious')
    symlinkSync(path.join(outside, 'victim'), path.join(workspace, 'ts.xml'))
    const error = await refusal(writeReportFile(target('ts.xml'), '<x/>'))
    expect(error.message).toContain('is a symbolic link (to ')
    expect(readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('precious')
    expect(lstatSync(path.join(workspace, 'ts.xml')).isSymbolicLink()).toBe(true)
  })

  it('refuses a link inside the workspace at the target too: never written through a link', async () => {
    writeFileSync(path.join(workspace, 'real.xml'), 'mine')
    symlinkSync(path.join(workspace, 'real.xml'), path.join(workspace, 'ts.xml'))
    await refusal(writeReportFile(target('ts.xml'), '<x/>'))
    expect(readFileSync(path.join(workspace, 'real.xml'), 'utf8')).toBe('mine')
  })

  it('refuses a dangling link, at the target or on the way', async () => {
    symlinkSync(path.join(outside, 'missing-file'), path.join(workspace, 'ts.xml'))
    expect((await refusal(writeReportFile(target('ts.xml'), '<x/>'))).message).toContain('is a symbolic link')
    symlinkSync(path.join(outside, 'missing-dir'), path.join(workspace, 'reports'))
    expect((await refusal(writeReportFile(target('reports/ts.xml'), '<x/>'))).message).toContain(
      'is a symbolic link that leads nowhere'
    )
    expect(existsSync(path.join(outside, 'missing-file'))).toBe(false)
    expect(existsSync(path.join(outside, 'missing-dir'))).toBe(false)
  })

  it('accepts a link that stays inside the workspace', async () => {
    mkdirSync(path.join(workspace, 'out'))
    symlinkSync(path.join(workspace, 'out'), path.join(workspace, 'reports'))
    await writeReportFile(target('reports/ts.xml'), '<x/>')
    expect(readFileSync(path.join(workspace, 'out/ts.xml'), 'utf8')).toBe('<x/>')
  })

  it('follows a workspace that is itself reached through a link', async () => {
    const linked = `${workspace}-link`
    symlinkSync(workspace, linked)
    await writeReportFile({ path: 'ts.xml', absolutePath: path.join(linked, 'ts.xml'), workspace: linked }, '<x/>')
    expect(readFileSync(path.join(workspace, 'ts.xml'), 'utf8')).toBe('<x/>')
  })

  it('refuses a target that is a folder', async () => {
    mkdirSync(path.join(workspace, 'ts.xml'))
    expect((await refusal(checkReportTarget(target('ts.xml')))).message).toContain('is a folder')
  })
})
