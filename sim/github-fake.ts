/**
 * A fake of the GitHub REST calls the pull-request comment uses, on loopback: list the comments of an
 * issue (paginated with a Link header, as GitHub does), create one, update one, and `GET /user` (who the
 * token is: a person's or bot account's token answers, an app installation token such as GITHUB_TOKEN gets
 * 403, as on GitHub). Comments have authors: people (`type: User`) and apps' bots (`type: Bot`, with
 * `performed_via_github_app`). A real node:http
 * server, so octokit runs unmodified against it. Mounted under `basePath` ('/api/v3' plays a GitHub
 * Enterprise Server) to show GITHUB_API_URL is honoured. Not in the bundle.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { closeServer, listenOnLoopback, readAll } from './loopback-server.js'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { scratchDir } from './scratch.js'
import type { FakeAnnotation, FakeJob } from './github-checks.js'

export { annotationsFromLog } from './github-checks.js'
export type { FakeAnnotation, FakeJob } from './github-checks.js'

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: 'Bot' | 'User' }
  /** Set for comments an app's installation token wrote (GITHUB_TOKEN's are by `github-actions`). */
  performed_via_github_app: { slug: string; name: string } | null
  html_url: string
  created_at: string
  updated_at: string
}

export interface GitHubRequest {
  method: string
  /** Path below `basePath`, without the query. */
  path: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  json?: unknown
}

export interface GitHubFakeOptions {
  /** The token every request must carry as `authorization: token <token>`. */
  token: string
  /** '' for github.com's layout, '/api/v3' for a GitHub Enterprise Server's. */
  basePath?: string
  /** GitHub's cap on `per_page` is 100; a smaller one makes pagination happen with few comments. */
  maxPerPage?: number
  /**
   * The account of a person's (or bot account's) token: `GET /user` answers with it, and comments created
   * through the API are by it. Absent: the token is an app installation token (GITHUB_TOKEN), `GET /user`
   * is refused, and comments are by `login` through the app.
   */
  tokenUser?: { login: string; type: 'User' | 'Bot' }
  /** The app's bot that writes comments when `tokenUser` is absent; default `github-actions[bot]`. */
  login?: string
}

export class GitHubFake {
  readonly requests: GitHubRequest[] = []
  /** Comments by `owner/repo#number`. */
  private readonly comments = new Map<string, FakeComment[]>()
  /** Jobs by `owner/repo` and run id, and each job's check-run annotations by its id (a job's id is its check run's). */
  private readonly jobs = new Map<string, FakeJob[]>()
  private readonly annotations = new Map<number, FakeAnnotation[]>()
  private nextJobId = 50_001
  private readonly refusals: Array<{ status: number; message: string; method?: string }> = []
  private nextId = 9001
  private hangs = 0
  private server?: Server
  /** What GITHUB_API_URL should be. */
  apiUrl = ''

  private constructor(private readonly options: GitHubFakeOptions) {}

  static async start(options: GitHubFakeOptions): Promise<GitHubFake> {
    const fake = new GitHubFake(options)
    await fake.listen()
    return fake
  }

  /**
   * A comment already on the pull request: a person's (`octocat` by default), or, for a login ending in
   * `[bot]`, an app's bot's through that app (an earlier run's, with GITHUB_TOKEN: `github-actions[bot]`).
   */
  addComment(repo: string, issue: number, body: string, login = 'octocat'): FakeComment {
    const comment = this.newComment(repo, issue, body, login)
    this.commentsOf(repo, issue).push(comment)
    return comment
  }

  /**
   * A job of attempt `attempt` of workflow run `runId`, with the annotations its check run got: `annotationsFromLog`
   * turns a step's output into them, as the runner does.
   */
  addJob(
    repo: string,
    runId: number,
    attempt: number,
    job: {
      name: string
      conclusion: FakeJob['conclusion']
      headSha: string
      startedAt: Date
      completedAt: Date
      annotations?: FakeAnnotation[]
    }
  ): FakeJob {
    const id = this.nextJobId++
    const fake: FakeJob = {
      id,
      run_id: runId,
      run_attempt: attempt,
      name: job.name,
      status: 'completed',
      conclusion: job.conclusion,
      head_sha: job.headSha,
      started_at: job.startedAt.toISOString(),
      completed_at: job.completedAt.toISOString(),
      check_run_url: `${this.apiUrl}/repos/${repo}/check-runs/${id}`,
      html_url: `https://github.example/${repo}/actions/runs/${runId}/job/${id}`,
      labels: ['ubuntu-latest']
    }
    const key = `${repo}#${runId}`
    this.jobs.set(key, [...(this.jobs.get(key) ?? []), fake])
    this.annotations.set(id, job.annotations ?? [])
    return fake
  }

  commentsOn(repo: string, issue: number): FakeComment[] {
    return this.commentsOf(repo, issue)
  }

  /**
   * The next `times` requests (of `method`, when given) are answered with this status and GitHub's error
   * body: 403 is what a token without `pull-requests: write` gets.
   */
  refuse(status: number, options: { message?: string; method?: string; times?: number } = {}): void {
    const message = options.message ?? 'Resource not accessible by integration'
    for (let i = 0; i < (options.times ?? 1); i++) this.refusals.push({ status, message, method: options.method })
  }

  /** The next request is never answered (until the fake closes). */
  hang(): void {
    this.hangs += 1
  }

  /** "GET /repos/o/r/issues/7/comments" for each request, for exact assertions. */
  requestLines(): string[] {
    return this.requests.map(request => `${request.method} ${request.path}`)
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    await closeServer(server)
  }

  private async listen(): Promise<void> {
    const { server, url } = await listenOnLoopback((request, response) => this.handle(request, response))
    this.server = server
    this.apiUrl = `${url}${this.options.basePath ?? ''}`
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request)
    const url = new URL(request.url ?? '/', 'http://fake')
    const basePath = this.options.basePath ?? ''
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname
    let json: unknown
    try {
      json = body === '' ? undefined : JSON.parse(body)
    } catch {
      json = undefined
    }
    const method = request.method ?? 'GET'
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: request.headers, json })

    if (this.hangs > 0) {
      this.hangs -= 1
      return
    }
    if (request.headers.authorization !== `token ${this.options.token}`) {
      return sendJson(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    }
    const at = this.refusals.findIndex(refusal => refusal.method === undefined || refusal.method === method)
    const refusal = at === -1 ? undefined : this.refusals.splice(at, 1)[0]
    if (refusal !== undefined) {
      return sendJson(response, refusal.status, {
        message: refusal.message,
        documentation_url: 'https://docs.github.com/rest/issues/comments',
        status: String(refusal.status)
      })
    }

    if (path === '/user' && method === 'GET') return this.user(response)
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path)
    if (list !== null && method === 'GET') return this.list(`${list[1]}/${list[2]}`, Number(list[3]), url, response)
    if (list !== null && method === 'POST') return this.create(`${list[1]}/${list[2]}`, Number(list[3]), json, response)
    const jobs = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/.exec(path)
    if (jobs !== null && method === 'GET') {
      return this.listJobs(`${jobs[1]}/${jobs[2]}`, Number(jobs[3]), Number(jobs[4]), url, response)
    }
    const checkRun = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)\/annotations$/.exec(path)
    if (checkRun !== null && method === 'GET') return this.listAnnotations(Number(checkRun[3]), url, response)
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path)
    if (one !== null && method === 'PATCH') return this.update(`${one[1]}/${one[2]}`, Number(one[3]), json, response)
    sendJson(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
  }

  private list(repo: string, issue: number, url: URL, response: ServerResponse): void {
    const { items, headers } = this.page(this.commentsOf(repo, issue), url)
    sendJson(response, 200, items, headers)
  }

  /** `{total_count, jobs}`, paginated like every list (GitHub answers 404 for a run or attempt it does not have). */
  private listJobs(repo: string, runId: number, attempt: number, url: URL, response: ServerResponse): void {
    const all = this.jobs.get(`${repo}#${runId}`)
    const ofAttempt = (all ?? []).filter(job => job.run_attempt === attempt)
    if (all === undefined || ofAttempt.length === 0) return sendJson(response, 404, NOT_FOUND)
    const { items, headers } = this.page(ofAttempt, url)
    sendJson(response, 200, { total_count: ofAttempt.length, jobs: items }, headers)
  }

  private listAnnotations(checkRunId: number, url: URL, response: ServerResponse): void {
    const all = this.annotations.get(checkRunId)
    if (all === undefined) return sendJson(response, 404, NOT_FOUND)
    const { items, headers } = this.page(all, url)
    sendJson(response, 200, items, headers)
  }

  /** One page of `all` by `per_page` and `page`, with GitHub's Link header when more follow. */
  private page<T>(all: T[], url: URL): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.options.maxPerPage ?? 100)
    const page = Number(url.searchParams.get('page') ?? 1)
    const pages = Math.max(1, Math.ceil(all.length / perPage))
    const headers: Record<string, string> = {}
    if (page < pages) {
      const next = new URL(url.toString().replace('http://fake', this.origin()))
      next.searchParams.set('per_page', String(perPage))
      next.searchParams.set('page', String(page + 1))
      const last = new URL(next)
      last.searchParams.set('page', String(pages))
      headers.link = `<${next.toString()}>; rel="next", <${last.toString()}>; rel="last"`
    }
    return { items: all.slice((page - 1) * perPage, page * perPage), headers }
  }

  private user(response: ServerResponse): void {
    const user = this.options.tokenUser
    if (user === undefined) {
      return sendJson(response, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        status: '403'
      })
    }
    sendJson(response, 200, { login: user.login, id: 1, type: user.type })
  }

  private create(repo: string, issue: number, json: unknown, response: ServerResponse): void {
    const body = (json as { body?: unknown } | undefined)?.body
    if (typeof body !== 'string') return sendJson(response, 422, { message: 'Validation Failed' })
    const author = this.options.tokenUser?.login ?? this.options.login ?? 'github-actions[bot]'
    const comment = this.newComment(repo, issue, body, author, this.options.tokenUser?.type)
    this.commentsOf(repo, issue).push(comment)
    sendJson(response, 201, comment)
  }

  private update(repo: string, id: number, json: unknown, response: ServerResponse): void {
    const body = (json as { body?: unknown } | undefined)?.body
    const comment = [...this.comments.entries()]
      .filter(([key]) => key.startsWith(`${repo}#`))
      .flatMap(([, comments]) => comments)
      .find(candidate => candidate.id === id)
    if (comment === undefined) return sendJson(response, 404, { message: 'Not Found' })
    if (typeof body !== 'string') return sendJson(response, 422, { message: 'Validation Failed' })
    comment.body = body
    comment.updated_at = new Date().toISOString()
    sendJson(response, 200, comment)
  }

  private newComment(
    repo: string,
    issue: number,
    body: string,
    login: string,
    accountType?: 'User' | 'Bot'
  ): FakeComment {
    const id = this.nextId++
    const now = new Date().toISOString()
    // An app's bot writes through its app; an account (a person's, or a bot account's token) does not.
    const viaApp = accountType === undefined && login.endsWith('[bot]')
    const slug = login.replace(/\[bot\]$/, '')
    return {
      id,
      body,
      user: { login, type: accountType ?? (login.endsWith('[bot]') ? 'Bot' : 'User') },
      performed_via_github_app: viaApp ? { slug, name: slug } : null,
      html_url: `https://github.example/${repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now,
      updated_at: now
    }
  }

  private commentsOf(repo: string, issue: number): FakeComment[] {
    const key = `${repo}#${issue}`
    let comments = this.comments.get(key)
    if (comments === undefined) {
      comments = []
      this.comments.set(key, comments)
    }
    return comments
  }

  private origin(): string {
    return new URL(this.apiUrl).origin
  }
}

const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers
  })
  response.end(text)
}

export interface PullRequestRun {
  /** The pull request's number; default 42. */
  number?: number
  /** Its head commit (`pull_request.head.sha`). */
  headSha: string
  /** `owner/repo`; default octo/shop. */
  repository?: string
  /** GITHUB_API_URL: the fake's address (`GitHubFake.apiUrl`), or a proxy's. */
  apiUrl: string
  /** GITHUB_SERVER_URL; default https://github.com. */
  serverUrl?: string
  /** GITHUB_RUN_ID, for the comment's link to the workflow run; default 4711. */
  runId?: string
}

/**
 * The runner's variables of a `pull_request` workflow run, with its event payload written to a scratch file: what
 * the bundle reads to find the pull request to comment on.
 */
export function pullRequestRunEnv(run: PullRequestRun): Record<string, string> {
  const number = run.number ?? 42
  const eventPath = path.join(scratchDir('pr-event'), 'event.json')
  writeFileSync(
    eventPath,
    JSON.stringify({ action: 'synchronize', number, pull_request: { number, head: { sha: run.headSha } } })
  )
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: run.repository ?? 'octo/shop',
    GITHUB_API_URL: run.apiUrl,
    GITHUB_SERVER_URL: run.serverUrl ?? 'https://github.com',
    GITHUB_RUN_ID: run.runId ?? '4711'
  }
}

export interface MergeGroupRun {
  /** The queued pull request's number; default 42. */
  number?: number
  /** The branch the queue merges into; default main. */
  baseBranch?: string
  /** The commit the queue tests (`merge_group.head_sha`, GITHUB_SHA). */
  headSha: string
  /** The merge group's parent commit (`merge_group.base_sha`). */
  baseSha: string
  /** The sha in the queue's ref name (`gh-readonly-queue/<base>/pr-<number>-<sha>`). */
  refSha: string
  /** `owner/repo`; default octo/shop. */
  repository?: string
  /** GITHUB_API_URL. */
  apiUrl: string
  /** GITHUB_SERVER_URL; default https://github.com. */
  serverUrl?: string
}

/**
 * A `merge_group` event payload in the shape GitHub sends it (action `checks_requested`, the `merge_group` object
 * with its refs, shas and head commit, the repository, the sender), with no `pull_request`.
 */
export function mergeGroupPayload(run: MergeGroupRun): Record<string, unknown> {
  const number = run.number ?? 42
  const base = run.baseBranch ?? 'main'
  const [owner, name] = (run.repository ?? 'octo/shop').split('/')
  const serverUrl = run.serverUrl ?? 'https://github.com'
  const person = { name: 'Mona Lisa', email: 'mona@example.com' }
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: run.headSha,
      head_ref: `refs/heads/gh-readonly-queue/${base}/pr-${number}-${run.refSha}`,
      base_sha: run.baseSha,
      base_ref: `refs/heads/${base}`,
      head_commit: {
        id: run.headSha,
        tree_id: 'a'.repeat(40),
        message: `Merge pull request #${number} from ${owner}/feature\n\nAdd the coupon field`,
        timestamp: '2025-05-15T15:20:30Z',
        author: person,
        committer: { name: 'GitHub', email: 'noreply@github.com' }
      }
    },
    repository: {
      id: 17273051,
      name,
      full_name: `${owner}/${name}`,
      private: true,
      owner: { login: owner, type: 'Organization' },
      html_url: `${serverUrl}/${owner}/${name}`,
      url: `${run.apiUrl}/repos/${owner}/${name}`,
      default_branch: 'main'
    },
    sender: { login: 'mona', type: 'User' }
  }
}

/** The runner's variables of a `merge_group` workflow run, with its event payload written to a scratch file. */
export function mergeGroupRunEnv(run: MergeGroupRun): Record<string, string> {
  const eventPath = path.join(scratchDir('merge-group-event'), 'event.json')
  const payload = mergeGroupPayload(run)
  writeFileSync(eventPath, JSON.stringify(payload))
  const group = payload.merge_group as { head_ref: string }
  return {
    GITHUB_EVENT_NAME: 'merge_group',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: group.head_ref,
    GITHUB_SHA: run.headSha,
    GITHUB_REPOSITORY: run.repository ?? 'octo/shop',
    GITHUB_API_URL: run.apiUrl,
    GITHUB_SERVER_URL: run.serverUrl ?? 'https://github.com',
    GITHUB_RUN_ID: '4711'
  }
}
