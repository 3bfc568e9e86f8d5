/**
 * End to end behind a proxy: dist/index.js on a pull_request event with HTTPS_PROXY set to an HTTP CONNECT
 * proxy on loopback (sim/connect-proxy.ts). Testsigma and GitHub are on host names only the proxy can
 * reach (`*.proxy.test`, which no DNS resolves), over https: the proxy ends TLS with a test certificate the
 * action trusts through NODE_EXTRA_CA_CERTS, and passes each request on to the plain-http fakes.
 *
 * The two clients take different roads: the Testsigma client goes through `@actions/http-client`'s
 * `tunnel` agent (node:https over CONNECT), octokit through undici's `fetch` and `ProxyAgent`, which the
 * bundle loads only when the comment is written (src/undici-lazy.ts). Both must reach the proxy, and
 * both must skip it for a host in NO_PROXY.
 */
import { lookup } from 'node:dns/promises'
import { ConnectProxy, TEST_CA_FILE } from '../../sim/connect-proxy.js'
import { bundleWithout, chunkHolding, UNDICI_MARKER } from '../../sim/dist-copy.js'
import { failedTestsPlan } from '../../sim/failing-tests.js'
import { GitHubFake, pullRequestRunEnv } from '../../sim/github-fake.js'
import { BundleResult, runBundle } from '../../sim/run-bundle.js'
import { TestsigmaSimulator } from '../../sim/simulator.js'
import { commentMarker } from '../../src/github/pr-comment.js'

const API_KEY = 'tsk-e2e-proxy-7c31'
const TOKEN = 'ghs_e2eProxyToken0123456789'
const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
const REPO = 'octo/shop'
const TESTSIGMA = 'testsigma.proxy.test'
const GITHUB = 'github.proxy.test'

let sim: TestsigmaSimulator
let github: GitHubFake
let proxy: ConnectProxy
/** The fakes' ports, for the 0.0.0.0 addresses: reachable directly (Linux connects 0.0.0.0 to loopback). */
let simPort: string
let githubPort: string

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({
    apiKey: API_KEY,
    plans: [failedTestsPlan({ id: '4096', tests: 3, failures: 1 })]
  })
  github = await GitHubFake.start({ token: TOKEN, basePath: '/api/v3' })
  const githubOrigin = new URL(github.apiUrl).origin
  simPort = new URL(sim.url).port
  githubPort = new URL(githubOrigin).port
  proxy = await ConnectProxy.start({
    [`${TESTSIGMA}:443`]: { upstream: sim.url, tls: true },
    [`${GITHUB}:443`]: { upstream: githubOrigin, tls: true },
    [`0.0.0.0:${simPort}`]: { upstream: sim.url },
    [`0.0.0.0:${githubPort}`]: { upstream: githubOrigin }
  })
})
afterEach(async () => {
  await proxy.close()
  await sim.close()
  await github.close()
})

interface Where {
  /** base-url */
  testsigma: string
  /** GITHUB_API_URL */
  github: string
  env?: Record<string, string>
  prComment?: boolean
  bundle?: string
}

function run(where: Where): Promise<BundleResult> {
  return runBundle({
    bundle: where.bundle,
    inputs: {
      'api-key': API_KEY,
      'test-plan-id': '4096',
      'base-url': where.testsigma,
      'poll-interval-seconds': '1',
      'pr-comment': where.prComment === false ? 'false' : 'true',
      'github-token': TOKEN
    },
    env: {
      ...pullRequestRunEnv({
        headSha: SHA,
        repository: REPO,
        apiUrl: where.github,
        serverUrl: 'https://github.example'
      }),
      NODE_EXTRA_CA_CERTS: TEST_CA_FILE,
      HTTPS_PROXY: proxy.url,
      ...where.env
    }
  })
}

/** What the simulator was asked, as the proxy's lines are written: "GET /api/v1/execution_results/337". */
function testsigmaLines(): string[] {
  return sim.requests.map(request => `${request.method} ${request.path}`)
}

/** The proxy's lines as the simulator records them: paths without their query (the step pages' `?page=`). */
function pathsOf(lines: string[]): string[] {
  return lines.map(line => line.replace(/\?.*$/, ''))
}

const COMMENT_LINES = [
  'GET /api/v3/repos/octo/shop/issues/42/comments?per_page=100',
  'POST /api/v3/repos/octo/shop/issues/42/comments'
]

function commentLanded(result: BundleResult): void {
  const [comment] = github.commentsOn(REPO, 42)
  expect(comment.body.split('\n')[0]).toBe(commentMarker('4096'))
  expect(result.stdout).toContain(`Pull-request comment created: ${comment.html_url}`)
}

describe('dist/index.js behind an HTTP CONNECT proxy', () => {
  it('uses host names that only the proxy can reach', async () => {
    await expect(lookup(TESTSIGMA)).rejects.toMatchObject({ code: 'ENOTFOUND' })
    await expect(lookup(GITHUB)).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('sends the trigger, the status reads, the JUnit request and the comment through HTTPS_PROXY', async () => {
    const result = await run({ testsigma: `https://${TESTSIGMA}`, github: `https://${GITHUB}/api/v3` })

    // The failed test came from Testsigma's JSON results, so every Testsigma request made it.
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('::error title=Failed%3A TC-103')
    expect(proxy.connects.every(authority => [`${TESTSIGMA}:443`, `${GITHUB}:443`].includes(authority))).toBe(true)
    expect(proxy.authorities()).toEqual([`${TESTSIGMA}:443`, `${GITHUB}:443`])
    expect(proxy.forwarded.every(request => request.via === 'CONNECT')).toBe(true)

    // Everything the simulator saw came through the tunnel: trigger, status reads, the results.
    const lines = pathsOf(proxy.requestLines(`${TESTSIGMA}:443`))
    expect(lines).toEqual(testsigmaLines())
    expect(lines[0]).toBe('POST /api/v1/execution_results')
    expect(lines.filter(line => line === 'GET /api/v1/execution_results/337').length).toBeGreaterThanOrEqual(2)
    expect(lines).toContain('GET /api/v1/execution_results/337/test_case_results')
    expect(lines[lines.length - 1]).toMatch(/^GET \/api\/v2\/test_runs\/337\/test_case_results\/\d+\/step_results$/)

    expect(proxy.requestLines(`${GITHUB}:443`)).toEqual(COMMENT_LINES)
    commentLanded(result)
  })

  // 0.0.0.0:<port> is a host the action would send through the proxy (it is not one of http-client's
  // loopback names) and can also reach directly, so NO_PROXY alone decides which way it goes.
  it('sends plain-http hosts through HTTP_PROXY too (the control for the NO_PROXY cases below)', async () => {
    const result = await run({
      testsigma: `http://0.0.0.0:${simPort}`,
      github: `http://0.0.0.0:${githubPort}/api/v3`,
      env: { HTTP_PROXY: proxy.url }
    })
    expect(result.exitCode).toBe(1)
    expect(proxy.authorities()).toEqual([`0.0.0.0:${simPort}`, `0.0.0.0:${githubPort}`])
    expect(pathsOf(proxy.requestLines(`0.0.0.0:${simPort}`))).toEqual(testsigmaLines())
    expect(proxy.requestLines(`0.0.0.0:${githubPort}`)).toEqual(COMMENT_LINES)
    commentLanded(result)
  })

  it('reaches a Testsigma host listed in NO_PROXY directly, and GitHub still through the proxy', async () => {
    const result = await run({
      testsigma: `http://0.0.0.0:${simPort}`,
      github: `https://${GITHUB}/api/v3`,
      env: { HTTP_PROXY: proxy.url, NO_PROXY: `example.org, 0.0.0.0:${simPort}` }
    })
    expect(result.exitCode).toBe(1)
    expect(proxy.authorities()).toEqual([`${GITHUB}:443`])
    expect(testsigmaLines()[0]).toBe('POST /api/v1/execution_results')
    expect(testsigmaLines()).toContain('GET /api/v1/execution_results/337/test_case_results')
    expect(proxy.requestLines(`${GITHUB}:443`)).toEqual(COMMENT_LINES)
    commentLanded(result)
  })

  it('reaches a GitHub host listed in NO_PROXY directly, and Testsigma still through the proxy', async () => {
    const result = await run({
      testsigma: `https://${TESTSIGMA}`,
      github: `http://0.0.0.0:${githubPort}/api/v3`,
      env: { HTTP_PROXY: proxy.url, no_proxy: `0.0.0.0:${githubPort},example.org` }
    })
    expect(result.exitCode).toBe(1)
    expect(proxy.authorities()).toEqual([`${TESTSIGMA}:443`])
    expect(pathsOf(proxy.requestLines(`${TESTSIGMA}:443`))).toEqual(testsigmaLines())
    expect(github.requestLines()).toEqual([
      'GET /repos/octo/shop/issues/42/comments',
      'POST /repos/octo/shop/issues/42/comments'
    ])
    commentLanded(result)
  })
})

describe("undici's chunk", () => {
  const bundleWithoutUndici = (): string => bundleWithout(chunkHolding(UNDICI_MARKER))

  it('is not needed to reach Testsigma through the proxy: that is node:https over a tunnel', async () => {
    const result = await run({
      testsigma: `https://${TESTSIGMA}`,
      github: `https://${GITHUB}/api/v3`,
      prComment: false,
      bundle: bundleWithoutUndici()
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(1)
    expect(pathsOf(proxy.requestLines(`${TESTSIGMA}:443`))).toEqual(testsigmaLines())
    expect(testsigmaLines()).toContain('GET /api/v1/execution_results/337/test_case_results')
  })

  it('is what sends the comment: without it, only a warning, and GitHub is never asked', async () => {
    const result = await run({
      testsigma: `https://${TESTSIGMA}`,
      github: `https://${GITHUB}/api/v3`,
      bundle: bundleWithoutUndici()
    })
    expect(result.exitCode).toBe(1)
    // octokit reports the failed import as an HTTP 500 of its own; no request left the process.
    expect(result.stdout).toMatch(
      /::warning::Could not write the pull-request comment \(HTTP 500: Cannot find module .*\/\d+\.index\.js'/
    )
    expect(proxy.authorities()).toEqual([`${TESTSIGMA}:443`])
    expect(github.requests).toEqual([])
  })
})
