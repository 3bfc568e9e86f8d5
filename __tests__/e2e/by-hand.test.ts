/**
 * CONTRIBUTING's "Run `dist/index.js` by hand", run as written: its first block starts the simulator (on a free port
 * instead of 8090, so that tests never collide), its second runs the bundle with `env` and prints the exit code and
 * the job summary. Only the port changes; the shell gets nothing of this process's environment but PATH and HOME, so
 * a GITHUB_OUTPUT of the CI job running this test is never written to.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const HEADING = '## Run `dist/index.js` by hand'

/** The ```bash blocks of one `## ` section of CONTRIBUTING.md, in order. */
function bashBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`CONTRIBUTING.md has no section "${heading}"`)
  const end = markdown.indexOf('\n## ', start + heading.length + 2)
  const section = markdown.slice(start, end < 0 ? undefined : end)
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map(match => match[1])
}

/** PATH with the Node that runs the bundle in this test run (ACTION_NODE: Node 24 in .ci/run) first. */
function pathWithActionNode(): string {
  const node = process.env.ACTION_NODE ?? process.execPath
  return `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`
}

const [simulatorBlock, runBlock] = bashBlocks(readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8'), HEADING)
const env = { PATH: pathWithActionNode(), HOME: process.env.HOME ?? '/tmp' }
let simulator: ChildProcess | undefined

afterEach(() => {
  // The shell and the simulator under it are one process group (detached), ended together.
  if (simulator?.pid !== undefined && simulator.exitCode === null) process.kill(-simulator.pid, 'SIGTERM')
})

/** Starts the documented simulator command on a free port; resolves with the URL it prints. */
function startSimulator(command: string): Promise<string> {
  simulator = spawn('bash', ['-c', command], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const child = simulator
  return new Promise((resolve, reject) => {
    let printed = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      printed += chunk
      const url = /listening at (http:\/\/\S+)/.exec(printed)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk))
    child.once('exit', code => reject(new Error(`the simulator exited (${code}) before it listened:\n${printed}`)))
  })
}

it('CONTRIBUTING shows two commands: the simulator, then the bundle run with env', () => {
  expect(simulatorBlock.trim()).toMatch(/^npx tsx sim\/cli\.ts fail --port 8090$/)
  expect(runBlock).toContain("env 'INPUT_API-KEY=sim-api-key' 'INPUT_TEST-PLAN-ID=2048'")
  expect(runBlock).toContain('http://127.0.0.1:8090')
  expect(runBlock).toContain('node dist/index.js')
})

it('the documented commands run the bundle against the simulator: a red run, its log, outputs and summary', async () => {
  const url = await startSimulator(simulatorBlock.replace('--port 8090', '--port 0'))
  const port = new URL(url).port
  const { stdout, stderr } = await promisify(execFile)('bash', ['-c', runBlock.replaceAll(':8090', `:${port}`)], {
    cwd: ROOT,
    env,
    timeout: 60_000
  })
  expect(stderr).toBe('')
  expect(stdout).toContain(`::set-output name=result::FAILURE`)
  expect(stdout).toContain(`::error::Test plan "Checkout flow" run 337 FAILURE: 3 passed, 1 failed, 1 aborted of 5`)
  expect(stdout).toContain('exit code: 1\n')
  expect(stdout).toContain('### ❌ Testsigma: Checkout flow failed')
})
