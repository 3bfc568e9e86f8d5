/** The reports' endpoint (docs/testsigma-api.md §6): a run's JUnit XML. */
import type { Connection } from './connection.js'
import { TestsigmaError } from './errors.js'
import { serverText } from './server-text.js'

/**
 * The run's JUnit XML. The server can answer 200 with a plain-text error, so a body that is not XML
 * is an error here, never a report.
 */
export async function getJunitReport(connection: Connection, runId: string, signal?: AbortSignal): Promise<string> {
  const what = `the JUnit report request for run ${runId}`
  const answer = await connection.send('GET', `/api/v1/reports/junit/${runId}`, what, signal, {
    accept: 'application/xml'
  })
  if (answer.statusCode === 401 || answer.statusCode === 403) {
    // The key just read the run, so this is the plan's edition, not the key: no advice to check the secret.
    const text = serverText(answer.body)
    throw new TestsigmaError(
      `Testsigma refused ${what} (HTTP ${answer.statusCode}${text ? `: ${text}` : ''}); ` +
        'on some plans the JUnit report is an Enterprise feature',
      { kind: 'http', statusCode: answer.statusCode },
      text
    )
  }
  if (answer.statusCode !== 200) throw connection.refusal(what, answer)
  if (!looksLikeXml(answer.body)) {
    // Not a transient fault: the same request gets the same text, so it is not retried.
    throw new TestsigmaError(
      `Testsigma answered ${what} with text that is not XML: ${serverText(answer.body) || '(empty body)'}`,
      { kind: 'http', statusCode: 200 },
      serverText(answer.body)
    )
  }
  return answer.body
}

export function looksLikeXml(body: string): boolean {
  return /^\uFEFF?\s*<(\?xml|testsuites?[\s>/])/.test(body)
}
