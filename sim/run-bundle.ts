/**
 * Runs the committed bundle (dist/index.js) the way the GitHub runner does: a fresh node process, inputs
 * as INPUT_<NAME> variables (hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointing at files.
 * Used by the end-to-end tests, `npm run demo` and the benchmark.
 */
import { ChildProcess, spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerDefaults } from './action-yml.js'
import { scratchDir } from './scratch.js'

/** What `${{ github.token }}` gives a step that sets no `github-token` (the runner's own token). */
export const RUNNER_GITHUB_TOKEN = 'ghs_runnerDefaultToken0000000000000000'

export const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url))

export interface BundleRun {
  child: ChildProcess
  /** Date.now() just before the spawn (to compare with the simulator's request times). */
  spawnedAt: number
  workspace: string
  outputFile: string
  summaryFile: string
  /** Resolves once the process exited, with everything it wrote. */
  result: Promise<BundleResult>
}

export interface BundleResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  workspace: string
  /** ms from spawn to exit. */
  elapsedMs: number
}

export interface BundleOptions {
  /** Action inputs by their action.yml names, e.g. { 'api-key': '…', 'test-plan-id': '2048' }. */
  inputs: Record<string, string>
  /** The bundle to run (default: the committed dist/index.js); tests and the benchmark run altered copies. */
  bundle?: string
  /** Node binary to run the bundle with (default: $ACTION_NODE, else this process's). */
  node?: string
  env?: Record<string, string>
  /** Streams the child's stdout as it comes (the demo prints the log live). */
  onStdout?: (chunk: string) => void
  /** Sets the workspace up before the bundle starts (files, symbolic links). */
  prepareWorkspace?: (workspace: string) => void | Promise<void>
  /** Kills the process (SIGKILL) if it has not exited after this long; the result then has signal SIGKILL. */
  killAfterMs?: number
}

/** Starts the bundle; the caller may signal `child` before awaiting `result`. */
export async function startBundle(options: BundleOptions): Promise<BundleRun> {
  const workspace = scratchDir('workspace')
  const outputFile = path.join(workspace, 'github-output')
  const summaryFile = path.join(workspace, 'step-summary.md')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  await options.prepareWorkspace?.(workspace)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workspace,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: workspace,
    ...options.env
  }
  // The runner sets every input that has a default in action.yml, so the bundle must cope with all of them set.
  const inputs = { ...runnerDefaults(RUNNER_GITHUB_TOKEN), ...options.inputs }
  for (const [name, value] of Object.entries(inputs)) {
    // What the runner does: upper case, spaces to underscores, hyphens kept.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const spawnedAt = Date.now()
  const started = performance.now()
  const child = spawn(options.node ?? process.env.ACTION_NODE ?? process.execPath, [options.bundle ?? BUNDLE], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    options.onStdout?.(chunk)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  if (options.killAfterMs !== undefined) {
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
    child.once('exit', () => clearTimeout(killer))
  }
  const result = new Promise<BundleResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (exitCode, signal) => {
      const elapsedMs = performance.now() - started
      void Promise.all([readFile(outputFile, 'utf8'), readFile(summaryFile, 'utf8')]).then(
        ([output, summary]) =>
          resolve({
            exitCode,
            signal,
            stdout,
            stderr,
            outputs: parseOutputFile(output),
            summary,
            workspace,
            elapsedMs
          }),
        reject
      )
    })
  })
  return { child, spawnedAt, workspace, outputFile, summaryFile, result }
}

export async function runBundle(options: BundleOptions): Promise<BundleResult> {
  return (await startBundle(options)).result
}

/**
 * Reads a GITHUB_OUTPUT file: `name<<DELIMITER`, value lines, `DELIMITER` (what @actions/core writes),
 * or `name=value`. A name set twice keeps its last value, as the runner does.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`)
      outputs[name] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      outputs[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return outputs
}
