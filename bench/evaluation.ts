/**
 * In the bundle: where dist/index.js's start-up goes, from an instrumented copy (run with no inputs, so it
 * stops at the input check): the time to its first statement (node's bootstrap, the module loader,
 * reading and compiling the file), each CommonJS module its top level requires (inclusive), and the whole
 * top level.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE } from '../sim/run-bundle.js'
import { BenchContext, progress, Section } from './context.js'
import { exec, writeBundleCopy } from './processes.js'
import { renderTable, spread } from './stats.js'

const tenths = (value: number): string => `${value.toFixed(1)} ms`

export interface EvaluationSample {
  /** performance.now() at the bundle's first statement. */
  firstStatementMs: number
  /** performance.now() once the bundle's top level has run (the entry's synchronous part included). */
  evaluatedMs: number
  /** Inclusive time of each CommonJS module required from the top level, by module id. */
  topLevelRequires: Array<{ id: string; ms: number }>
}

/**
 * How ncc's require calls a module's factory: `t[e].call(n.exports,n,n.exports,__nccwpck_require__)` in ncc
 * 0.45, `t[e](n,n.exports,__nccwpck_require__)` in older versions.
 */
const FACTORY_CALLS = [
  /([\w$]+)\[([\w$]+)\]\.call\(([\w$]+)\.exports,\3,\3\.exports,__nccwpck_require__\)/,
  /([\w$]+)\[([\w$]+)\]\(([\w$]+),\3\.exports,__nccwpck_require__\)/
]

/** The bundle with each factory call timed, or undefined when no form of the call is found. */
export function instrument(bundle: string, out: string): string | undefined {
  const call = FACTORY_CALLS.find(form => form.test(bundle))
  if (call === undefined) return undefined
  const prelude = [
    // The bundle is CommonJS (scripts/bundle.ts).
    "const { writeFileSync: __benchWrite } = require('node:fs')",
    'const __bench = { firstStatementMs: performance.now(), evaluatedMs: 0, topLevelRequires: [], depth: 0 }',
    'globalThis.__benchTime = (id, factory) => {',
    '  const start = performance.now(); __bench.depth += 1',
    '  try { return factory() } finally {',
    '    __bench.depth -= 1',
    '    if (__bench.depth === 0) __bench.topLevelRequires.push({ id: String(id), ms: performance.now() - start })',
    '  }',
    '}',
    `process.on('exit', () => __benchWrite(${JSON.stringify(out)}, JSON.stringify(__bench)))`,
    ''
  ].join('\n')
  const timed = bundle.replace(call, match => `__benchTime(${call.exec(match)?.[2]},()=>${match})`)
  // The bundle starts with a parenthesis (an IIFE): the semicolon keeps it from calling the line before.
  return `${prelude};${timed}\n;__bench.evaluatedMs = performance.now()\n`
}

/** Module id → `built-in "http"` for the factories that only require a node built-in (named without stats). */
export function builtinNames(bundle: string): Map<string, string> {
  // `e.exports=require("http")` in a CommonJS bundle, `e.exports=t(import.meta.url)("http")` in an ES module one.
  const external =
    /[{,](\d+):[\w$]+=>\{(?:"use strict";)?[\w$]+\.exports=(?:require|[\w$]+\(import\.meta\.url\))\("([^"]+)"\)\}/g
  return new Map([...bundle.matchAll(external)].map(match => [match[1], `built-in "${match[2]}"`]))
}

export interface EvaluationFigures {
  runs: number
  firstStatementMs: number
  topLevelMs: number
  topLevelRequires: Array<{ module: string; ms: number }>
}

/**
 * IN THE BUNDLE. `moduleNames` (from the composition's build) names modules by id; without it, only the
 * built-ins are named, the others are "module <id>".
 */
export async function evaluationFigure(context: BenchContext, moduleNames: Map<string, string>): Promise<Section> {
  const runs = context.settings.evaluationRuns
  progress(`in the bundle: ${runs} instrumented runs`)
  const out = path.join(context.scratch, 'evaluation.json')
  const bundle = await readFile(BUNDLE, 'latin1')
  const names = new Map([...builtinNames(bundle), ...moduleNames])
  const instrumented = instrument(bundle, out)
  if (instrumented === undefined) {
    const problem = "in the bundle: ncc's factory call (__nccwpck_require__) is in no form bench/evaluation.ts knows"
    return {
      key: 'evaluation',
      lines: ['IN THE BUNDLE: not measured', problem],
      figures: undefined,
      targets: [],
      problems: [problem]
    }
  }
  const copy = await writeBundleCopy(context.scratch, 'instrumented', instrumented)
  const samples: EvaluationSample[] = []
  for (let i = 0; i < runs; i++) {
    await exec(context.node, [copy], { allowFailure: true, env: { PATH: process.env.PATH ?? '' } })
    samples.push(JSON.parse(await readFile(out, 'utf8')) as EvaluationSample)
  }
  const median = (values: number[]): number => spread(values).median
  const ids = samples[0].topLevelRequires.map(entry => entry.id)
  const figures: EvaluationFigures = {
    runs,
    firstStatementMs: median(samples.map(sample => sample.firstStatementMs)),
    topLevelMs: median(samples.map(sample => sample.evaluatedMs - sample.firstStatementMs)),
    topLevelRequires: ids.map(id => ({
      module: names.get(id) ?? `module ${id}`,
      ms: median(samples.map(sample => sample.topLevelRequires.find(entry => entry.id === id)?.ms ?? 0))
    }))
  }
  const problems = figures.topLevelRequires.length === 0 ? ['in the bundle: no top-level require was timed'] : []
  const lines = [
    `IN THE BUNDLE: where dist/index.js's start-up goes (instrumented copy, no inputs; median of ${runs} runs)`,
    renderTable(
      ['part', 'ms'],
      [
        [
          'process start → first statement (node, its module loader, reading and compiling the bundle)',
          tenths(figures.firstStatementMs)
        ],
        ...figures.topLevelRequires.map(entry => [
          `evaluating ${entry.module} (required at top level)`,
          tenths(entry.ms)
        ]),
        ['whole top level (first statement → end)', tenths(figures.topLevelMs)]
      ]
    )
  ]
  return { key: 'evaluation', lines, figures, targets: [], problems }
}
