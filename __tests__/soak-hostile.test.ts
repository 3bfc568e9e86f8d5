/**
 * The soak's hostile server text (issue 17): the markup invariant must be able to fail, and the generators must put
 * the hostile text where they say, with every hostile report one that the action refuses or reads quickly.
 */
import fc from 'fast-check'
import { parseJunitReport } from '../src/report/junit.js'
import { planScript, soakCaseArbitrary } from '../sim/soak/case.js'
import { HostileReport, withHostileFaults, withHostility } from '../sim/soak/hostile-case.js'
import { HOSTILE_TEXTS } from '../sim/soak/hostile-text.js'
import { markupFromServer } from '../sim/soak/markup-invariant.js'

const BASE_URL = 'http://127.0.0.1:9'
const OWN = `[Open run 337 in Testsigma](${BASE_URL}/ui/td/runs/337)`

describe('markupFromServer', () => {
  it('passes the action’s own links and a bare address', () => {
    const summary = `### ✅ Testsigma: Plan passed\n\n**Passed** · ${OWN}\n\n- see https://docs.example.com/x\n`
    expect(markupFromServer({ baseUrl: BASE_URL, stdout: '', summary, commentBodies: [summary] })).toEqual({
      invariant: 'markup',
      ok: true
    })
  })

  it.each([
    ['an image in the summary', '![x](https://evil.example/t.png)', [], 'summary: an HTML tag <img>'],
    ['HTML in the summary', '<b>bold</b>', [], 'summary: an HTML tag <b>'],
    [
      'a link named like the action’s own',
      '',
      ['[Open run 101 in Testsigma](https://evil.example/101)'],
      'pull-request comment: a link to https://evil.example/101 named "Open run 101 in Testsigma"'
    ],
    ['a mention in the comment', '', ['cc @octocat'], 'pull-request comment: a mention @octocat'],
    ['a block closed early', '</details>', [], 'summary: <details> opened -1 more times than closed']
  ])('fails on %s', (_, summary, commentBodies, detail) => {
    expect(markupFromServer({ baseUrl: BASE_URL, stdout: '', summary, commentBodies })).toEqual({
      invariant: 'markup',
      ok: false,
      detail
    })
  })

  it('fails when the rendering crashed and left no summary', () => {
    const stdout = 'Run 337 started\n::error::The action failed unexpectedly: e.replace is not a function'
    expect(markupFromServer({ baseUrl: BASE_URL, stdout, summary: '', commentBodies: [] })).toEqual({
      invariant: 'markup',
      ok: false,
      detail: 'no summary: ::error::The action failed unexpectedly: e.replace is not a function'
    })
  })

  it('lets the comment’s own marker, its hidden first line, pass', () => {
    const body = `<!-- testsigma-test-plan-action:plan=2048 -->\n### ✅ Testsigma: Plan passed`
    expect(markupFromServer({ baseUrl: BASE_URL, stdout: '', summary: '', commentBodies: [body] }).ok).toBe(true)
  })
})

describe('the hostile soak cases', () => {
  const [soakCase] = fc.sample(soakCaseArbitrary, { seed: 17, numRuns: 1 })
  const plan = planScript({ ...soakCase, shape: 're-runs' }, 'k')
  const text = HOSTILE_TEXTS[1]

  it('put the text in the plan’s name, every finished result, or every status before that', () => {
    expect(withHostility(plan, { text: { field: 'plan name', index: 1 } }).name).toContain(text)
    const results = withHostility(plan, { text: { field: 'result', index: 1 } })
    expect([results.frames.at(-1)?.result, results.reRuns?.[0].frames.at(-1)?.result]).toEqual([text, text])
    const statuses = withHostility(plan, { text: { field: 'status', index: 1 } })
    expect(statuses.frames.map(frame => frame.status)).toEqual([text, 'STATUS_COMPLETED'])
  })

  it.each(['test names', 'devices', 'failure texts'] as const)(
    'put the text in the %s of every run’s report',
    async field => {
      const hostile = withHostility(plan, { text: { field, index: 1 } })
      expect(hostile.reRuns?.[0].junit).toEqual(hostile.junit)
      const cases = await parseJunitReport(hostile.junit?.body ?? '')
      expect(
        cases.map(c => (field === 'devices' ? c.device : field === 'test names' ? c.name : c.failureMessage))
      ).toContainEqual(expect.stringContaining(text))
    }
  )

  it.each(['trigger error', 'stop error', 'report error'] as const)('end a %s schedule with the text', field => {
    const faults = withHostileFaults({ trigger: [], status: [], stop: [], junit: [] }, { text: { field, index: 1 } })
    const refusal = Object.values(faults).flat()
    expect(refusal).toEqual([expect.objectContaining({ type: 'status', status: 400 })])
    expect(JSON.parse((refusal[0] as { body: string }).body)).toMatchObject({ message: text })
  })

  it.each<[HostileReport, RegExp]>([
    ['deep nesting', /nests elements more than 64 deep/],
    ['many attributes', /more than 100 attributes/],
    ['many elements', /more than 500,000 elements/],
    ['many cases', /more than 50,000 test cases/],
    ['entities', /declares entities/]
  ])('serve a report with %s, refused before it is parsed', async (report, refusal) => {
    await expect(parseJunitReport(withHostility(plan, { report }).junit?.body ?? '')).rejects.toThrow(refusal)
  })

  it.each<HostileReport>(['long white space', 'huge counts'])('serve a report with %s, read as it is', async report => {
    const cases = await parseJunitReport(withHostility(plan, { report }).junit?.body ?? '')
    expect(cases.length).toBeGreaterThan(0)
    expect(cases.every(c => c.timeSeconds === undefined || Number.isFinite(c.timeSeconds))).toBe(true)
    expect(cases.every(c => c.deviceTimeSeconds === undefined || Number.isFinite(c.deviceTimeSeconds))).toBe(true)
  })
})
