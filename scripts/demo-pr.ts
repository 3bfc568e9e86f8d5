/**
 * `npm run demo:pr`: runs the bundled action (dist/index.js) on a pull_request event against the Testsigma
 * simulator and the GitHub fake, twice (the second run updates the comment), and prints the log with its
 * annotations, the job summary and the pull-request comment as GitHub would store them. The plan fails (7 of 8
 * tests, on two browsers), so the action exits 1 both times, on purpose: that is what a red required check does.
 */
import { failedTestsPlan } from '../sim/failing-tests.js'
import { GitHubFake, pullRequestRunEnv } from '../sim/github-fake.js'
import { runBundle } from '../sim/run-bundle.js'
import { removeScratchDirs } from '../sim/scratch.js'
import { TestsigmaSimulator } from '../sim/simulator.js'

const API_KEY = 'demo-api-key'
const TOKEN = 'ghs_demoToken'
const plan = failedTestsPlan({ id: '2048', tests: 8, failures: 7 })
const simulator = await TestsigmaSimulator.start({ apiKey: API_KEY, plans: [plan] })
const github = await GitHubFake.start({ token: TOKEN })
const env = pullRequestRunEnv({ headSha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', apiUrl: github.apiUrl })

const runOnce = () =>
  runBundle({
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': plan.id,
      'base-url': simulator.url,
      'poll-interval-seconds': '1',
      'junit-report': 'reports/testsigma-junit.xml',
      'pr-comment': 'true',
      'github-token': TOKEN
    },
    env
  })

console.log('A pull_request run of a plan whose tests fail (7 of 8, on two browsers), twice: the first run writes the')
console.log(
  'comment on pull request 42, the second updates it. The action exits 1 both times, on purpose (a red step).\n'
)
console.log('── action log (first run) ─────────────────────────────')
const first = await runOnce()
process.stdout.write(first.stdout)
console.log(`── exit code: ${first.exitCode}; GitHub requests: ${github.requestLines().join(', ')}`)
github.requests.length = 0
const second = await runOnce()
console.log(`── second run: exit code ${second.exitCode}; GitHub requests: ${github.requestLines().join(', ')}`)
await simulator.close()
await github.close()
// The runs' workspaces (where the log says the JUnit report was written) are temporary folders.
removeScratchDirs()
console.log("── the runs' workspaces, with their JUnit files, were temporary folders and are removed")

console.log('── job summary (markdown) ─────────────────────────────')
console.log(second.summary)
console.log('── pull-request comment (markdown) ────────────────────')
for (const comment of github.commentsOn('octo/shop', 42)) console.log(comment.body)
