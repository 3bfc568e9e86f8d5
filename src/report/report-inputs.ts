/** The report's own inputs: where the JUnit file goes. Pure. */
import { parseWorkspacePath } from '../inputs.js'
import type { ReportTarget } from '../workspace.js'

export function parseJunitPath(text: string, workspace: string): ReportTarget | undefined {
  if (text === '') return undefined
  return parseWorkspacePath('junit-report', text, workspace, 'reports/testsigma-junit.xml')
}
