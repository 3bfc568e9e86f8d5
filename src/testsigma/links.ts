/** Where people find things in Testsigma: the default server, a run's page, a test plan's page (docs §9). */

/** Testsigma's cloud; `base-url`'s default. */
export const DEFAULT_BASE_URL = 'https://app.testsigma.com'

/** The run's results page in Testsigma. */
export function runUrl(baseUrl: string, runId: string): string {
  return `${baseUrl}/ui/td/runs/${runId}`
}

/** The test plan's page in Testsigma, which lists its runs (route of the open-source UI). */
export function testPlanUrl(baseUrl: string, testPlanId: string): string {
  return `${baseUrl}/ui/td/plans/${testPlanId}/details`
}
