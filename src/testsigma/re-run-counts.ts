/**
 * The counts of a re-run the action asked for ("Re-run failed jobs", `ONLY_FAILED_TESTS`), as Testsigma's UI shows
 * its chain (docs/testsigma-api.md §4.2, §4.7): the first run's passes plus the deepest run's, the rest the deepest
 * run's, the total the first run's. The re-run is followed by its own id, so its answer holds only itself (and any
 * re-run of it): the first run comes from the previous attempt's chain. Pure.
 */
import { chainCounts, ChainRun, doneCount, RunState } from './run-state.js'

/** `reRun`'s state with the chain's counts from `firstRun` (the first run of the previous attempt's chain) on. */
export function withFirstRunCounts(firstRun: ChainRun, reRun: RunState): RunState {
  // Newer cloud answers give no reRunType per run: this one re-ran only the failed tests, as the action asked.
  const own = reRun.chain.map((run, i) => (i === 0 ? { ...run, reRunType: run.reRunType ?? 'ONLY_FAILED_TESTS' } : run))
  const counts = chainCounts([firstRun, ...own])
  // An aborted count the answers do not give is derived from the deepest run's own counts once finished (§3.5).
  const aborted = reRun.counts.aborted ?? counts.aborted
  const withAborted = { ...counts, aborted }
  return { ...reRun, counts: { ...withAborted, total: Math.max(withAborted.total, doneCount(withAborted)) } }
}
