/**
 * `npm run local-action` as CONTRIBUTING describes it, checked: the simulator on loopback, a .env made from
 * .env.example with the simulator's key and plan, and @github/local-action running src/main.ts. The tool
 * exits 0 even when the action fails, so this reads what it printed: the verdict line and no error.
 *
 *   npm run local-action:check
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { passingPlan, TestsigmaSimulator } from '../sim/simulator.js'

const API_KEY = 'sim-api-key'
const scratch = mkdtempSync(path.join(tmpdir(), 'local-action-check-'))
const sim = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [passingPlan('2048')] })
try {
  const env = readFileSync('.env.example', 'utf8')
    .replace(/^INPUT_API-KEY=.*$/m, `INPUT_API-KEY=${API_KEY}`)
    .replace(/^INPUT_TEST-PLAN-ID=.*$/m, 'INPUT_TEST-PLAN-ID=2048')
    .replace(/^INPUT_BASE-URL=.*$/m, `INPUT_BASE-URL=${sim.url}`)
    .replace(/^INPUT_POLL-INTERVAL-SECONDS=.*$/m, 'INPUT_POLL-INTERVAL-SECONDS=1')
    .replace(/^GITHUB_WORKSPACE=.*$/m, `GITHUB_WORKSPACE=${scratch}`)
  const envFile = path.join(scratch, '.env')
  writeFileSync(envFile, env)
  // Not spawnSync: the simulator in this process must answer while the tool runs.
  const { stdout, stderr } = await promisify(execFile)('npx', ['local-action', '.', 'src/main.ts', envFile], {
    timeout: 120_000
  })
  const printed = `${stdout}${stderr}`
  const verdict = `Test plan "Checkout flow" run 337 SUCCESS: 5 passed of 5 — ${sim.url}/ui/td/runs/337`
  const problems = [
    ...(printed.includes(verdict) ? [] : [`no verdict line "${verdict}"`]),
    ...(printed.includes('::error') ? ['an ::error line'] : []),
    ...(sim.requestsTo('trigger').length === 1 ? [] : [`${sim.requestsTo('trigger').length} triggers, not 1`])
  ]
  if (problems.length > 0) {
    console.error(printed)
    console.error(`npm run local-action does not work as CONTRIBUTING says: ${problems.join('; ')}`)
    process.exitCode = 1
  } else {
    console.log(`npm run local-action works: ${verdict}`)
  }
} finally {
  await sim.close()
  rmSync(scratch, { recursive: true, force: true })
}
