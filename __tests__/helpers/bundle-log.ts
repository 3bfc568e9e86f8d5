/** Reading what a run of the bundle told the runner. */
import type { BundleResult } from '../../sim/run-bundle.js'

/** The last `::error::` line: the step's verdict when it failed. */
export function lastError(result: BundleResult): string {
  return (
    result.stdout
      .split('\n')
      .filter(line => line.startsWith('::error::'))
      .at(-1) ?? ''
  )
}
