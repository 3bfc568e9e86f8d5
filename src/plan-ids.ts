/**
 * `test-plan-id`: one test plan id, or several separated by commas, spaces or new lines (`2048, 2051`). Every item
 * is digits only, so a later per-plan setting written after an id (`2051: environment-id=18`) is refused today and
 * can be added without changing what any accepted value means. Pure.
 */
import { InputError, quote, requireExactId } from './inputs.js'

/** Several plans run at once in one step; more is a matrix's or another step's job. */
export const MAX_TEST_PLANS = 20

const NAME = 'test-plan-id'
const EXAMPLE = '2048, 2051'

/** The ids in the order given: at least one, at most `MAX_TEST_PLANS`, digits only, none twice. */
export function parseTestPlanIds(text: string): string[] {
  const ids = text.split(/[\s,]+/).filter(item => item !== '')
  if (ids.length === 0) throw new InputError(NAME, 'is required and was empty', '2048')
  const example = ids.length === 1 ? '2048' : EXAMPLE
  for (const id of ids) {
    if (!/^\d+$/.test(id)) {
      const what = ids.length === 1 ? "must be the test plan's numeric id" : 'must be numeric test plan ids'
      throw new InputError(NAME, `${what}, got ${quote(id)}`, example)
    }
    requireExactId(NAME, id, example)
  }
  const seen = new Set<string>()
  for (const id of ids) {
    // "0042" and "42" name one plan.
    const key = String(Number(id))
    if (seen.has(key)) throw new InputError(NAME, `names test plan ${id} twice`, EXAMPLE)
    seen.add(key)
  }
  if (ids.length > MAX_TEST_PLANS) {
    throw new InputError(
      NAME,
      `names ${ids.length} test plans; one step runs at most ${MAX_TEST_PLANS} (split them over several steps or a matrix)`,
      EXAMPLE
    )
  }
  return ids
}
