/**
 * What the GitHub fake (`github-fake.ts`) answers about an attempt's jobs and their check runs' annotations, in the
 * shapes of GitHub's REST API (the fields the action reads, as @octokit/openapi-types has them), and the annotations
 * the runner makes of a step's workflow commands.
 */

/** A check-run annotation as GitHub lists it (`GET /repos/{o}/{r}/check-runs/{id}/annotations`). */
export interface FakeAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column: number | null
  end_column: number | null
  annotation_level: 'notice' | 'warning' | 'failure'
  title: string | null
  message: string | null
  raw_details: string | null
  blob_href: string
}

/** A job of a workflow run's attempt, as `GET …/actions/runs/{run_id}/attempts/{n}/jobs` lists it (the fields read). */
export interface FakeJob {
  id: number
  run_id: number
  run_attempt: number
  name: string
  status: 'completed' | 'in_progress' | 'queued'
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null
  head_sha: string
  started_at: string
  completed_at: string | null
  check_run_url: string
  html_url: string
  labels: string[]
}

/**
 * The annotations the runner makes of a step's `::notice`, `::warning` and `::error` commands (title and message
 * unescaped as @actions/core escapes them): no file, so GitHub files them under `.github`.
 */
export function annotationsFromLog(stdout: string): FakeAnnotation[] {
  const levels = { notice: 'notice', warning: 'warning', error: 'failure' } as const
  const unescape = (text: string): string =>
    text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
  return stdout.split('\n').flatMap(line => {
    const command = /^::(notice|warning|error)(?: ([^:]*))?::(.*)$/.exec(line)
    if (command === null) return []
    const title = /(?:^|,)title=([^,]*)/.exec(command[2] ?? '')?.[1]
    return [
      {
        path: '.github',
        start_line: 1,
        end_line: 1,
        start_column: null,
        end_column: null,
        annotation_level: levels[command[1] as keyof typeof levels],
        title: title === undefined ? null : unescape(title),
        message: unescape(command[3]),
        raw_details: null,
        blob_href: 'https://github.example/octo/shop/blob/0a1b2c3/.github'
      }
    ]
  })
}
