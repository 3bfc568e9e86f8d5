/**
 * `app-file` with a `*` in its file name: the pattern's rules (pure) and the one file it finds in a real folder,
 * refusing none or several with their names, and any folder that leads out of the workspace.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { isPattern, matchesPattern, wildcardProblem } from '../src/upload/app-file-pattern.js'
import { inspectAppBuild, resolveAppFile } from '../src/upload/find-app-file.js'
import { closeAppFile } from '../src/upload/app-file.js'
import { parseAppInputs } from '../src/upload/app-inputs.js'
import { InputError } from '../src/inputs.js'
import { InputFileError } from '../src/workspace.js'
import { writeAppArchive } from '../sim/app-archive.js'
import { scratchDir } from '../sim/scratch.js'

describe('the app-file pattern', () => {
  it.each<[string, string, boolean]>([
    ['*.apk', 'app-release.apk', true],
    ['*.apk', 'app-release-unsigned.apk', true],
    ['app-release*.apk', 'app-release-unsigned.apk', true],
    ['app-*-release*.apk', 'app-free-release-unsigned.apk', true],
    ['app-*-release*.apk', 'app-release.apk', false],
    ['*', 'anything', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*.apk', 'app.apk.idsig', false],
    ['*.apk', 'APP.APK', false],
    ['*.apk', '.hidden.apk', false],
    ['.*.apk', '.hidden.apk', true],
    ['app-?.apk', 'app-1.apk', false],
    ['app-?.apk', 'app-?.apk', true],
    ['app-[1].apk', 'app-[1].apk', true]
  ])('%s against %s: %s', (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected)
  })

  it('answers a name built to make a backtracking matcher run for ever (the test would time out)', () => {
    expect(matchesPattern(`${'a*'.repeat(100)}b`, 'a'.repeat(100_000))).toBe(false)
    expect(matchesPattern(`${'a*'.repeat(100)}a`, 'a'.repeat(100_000))).toBe(true)
  })

  it('allows a * only in the file name', () => {
    expect(isPattern('app/build/outputs/apk/release/*.apk')).toBe(true)
    expect(isPattern('app/build/*/app-release.apk')).toBe(false)
    expect(wildcardProblem('app/build/outputs/apk/release/*.apk')).toBeUndefined()
    expect(wildcardProblem('app/build/outputs/apk/*/app-release.apk')).toBe(
      'has a * in a folder ("*"): a * may stand only in the file name, the last part of the path, so name the ' +
        'folder the build writes to'
    )
    expect(wildcardProblem('app\\**\\app.apk')).toMatch(/^has a \* in a folder \("\*\*"\)/)
  })

  it('is refused in a folder when the inputs are read, before anything is sent', () => {
    const inputs: Record<string, string> = {
      'app-file': 'app/build/outputs/**/app-release.apk',
      'app-upload': 'Shop Android',
      'app-devices': '101'
    }
    const read = () => parseAppInputs(name => inputs[name] ?? '', '/work/space', {})
    expect(read).toThrow(InputError)
    expect(read).toThrow(
      'Input "app-file" has a * in a folder ("**"): a * may stand only in the file name, the last part of the ' +
        'path, so name the folder the build writes to. Example: app-file: app/build/outputs/apk/release/*.apk'
    )
    inputs['app-file'] = 'app/build/outputs/apk/release/*.apk'
    expect(read()?.file.path).toBe('app/build/outputs/apk/release/*.apk')
  })
})

describe('resolveAppFile', () => {
  const FOLDER = 'app/build/outputs/apk/release'
  let workspace: string
  beforeEach(() => {
    workspace = scratchDir('find-app-file')
    mkdirSync(path.join(workspace, FOLDER), { recursive: true })
  })
  const target = (file: string) => ({ path: file, absolutePath: path.join(workspace, file), workspace })
  const refusal = async (file: string): Promise<InputFileError> => {
    const error = await resolveAppFile(target(file)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InputFileError)
    return error as InputFileError
  }

  it('leaves a path without * alone, without reading anything', async () => {
    expect(await resolveAppFile(target('no/such/app.apk'))).toEqual(target('no/such/app.apk'))
  })

  it('finds the one APK Gradle wrote without a signing config, and checks it as any app-file', async () => {
    await writeAppArchive(path.join(workspace, FOLDER, 'app-release-unsigned.apk'), 'apk', 4096)
    writeFileSync(path.join(workspace, FOLDER, 'output-metadata.json'), '{}')
    const archive = await inspectAppBuild(target(`${FOLDER}/*.apk`))
    expect(archive).toMatchObject({
      path: `${FOLDER}/app-release-unsigned.apk`,
      fileName: 'app-release-unsigned.apk',
      kind: 'APK'
    })
    // Opened once by the check, for the upload to stream from (issue 17): closed here, as the step closes it.
    await closeAppFile(archive)
  })

  it('finds a file in the workspace itself', async () => {
    await writeAppArchive(path.join(workspace, 'Shop.ipa'), 'ipa', 4096)
    expect((await resolveAppFile(target('*.ipa'))).path).toBe('Shop.ipa')
  })

  it('refuses a pattern that matches nothing, saying what the folder holds', async () => {
    writeFileSync(path.join(workspace, FOLDER, 'output-metadata.json'), '{}')
    mkdirSync(path.join(workspace, FOLDER, 'x.apk'))
    const error = await refusal(`${FOLDER}/*.apk`)
    expect(error.message).toBe(
      `app-file "${FOLDER}/*.apk" matches no file in "${FOLDER}" (it holds "output-metadata.json", "x.apk"). A * ` +
        'stands for any characters in the file name; check the name the build step gives the file'
    )
  })

  it('refuses a pattern whose folder does not exist, or is empty', async () => {
    expect((await refusal('app/build/outputs/apk/debug/*.apk')).message).toMatch(
      /^app-file "app\/build\/outputs\/apk\/debug\/\*\.apk" matches no file: its folder "app\/build\/outputs\/apk\/debug" does not exist/
    )
    expect((await refusal(`${FOLDER}/*.apk`)).message).toContain('(it is empty)')
  })

  it('refuses a pattern that matches several files, naming them, at most ten', async () => {
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(workspace, FOLDER, `app-${String(i).padStart(2, '0')}.apk`), 'x')
    const error = await refusal(`${FOLDER}/app-*.apk`)
    expect(error.message).toBe(
      `app-file "${FOLDER}/app-*.apk" matches 12 files in "${FOLDER}" ("app-00.apk", "app-01.apk", "app-02.apk", ` +
        '"app-03.apk", "app-04.apk", "app-05.apk", "app-06.apk", "app-07.apk", "app-08.apk", "app-09.apk" and 2 ' +
        'more), and one build is uploaded: name the file, or make the pattern narrower'
    )
  })

  it('never reads a folder that a link leads out of the workspace', async () => {
    const outside = scratchDir('find-app-file-outside')
    writeFileSync(path.join(outside, 'secret-name.apk'), 'x')
    symlinkSync(outside, path.join(workspace, 'out'))
    const error = await refusal('out/*.apk')
    expect(error.message).toMatch(/^app-file "out\/\*\.apk": its folder is really .*, outside the workspace /)
    expect(error.message).not.toContain('secret-name')
  })
})
