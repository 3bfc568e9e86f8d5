// The import rule of docs/architecture.md, checked by `npm run lint`: which part of src/ may import which, and no
// import cycles anywhere (src, sim, bench, scripts, tests). dependency-cruiser reads the TypeScript imports itself
// (type-only ones included) and names the rule a violation breaks.
/** The shared building blocks at the top of src/: they import only each other. */
const SHARED = '^src/(text|clock|log|retry|inputs|workspace|version)\\.ts$'
const sharedOr = folders => `^src/(${folders.join('|')})/|${SHARED}`

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides need into a module of its own.',
      from: {},
      to: { circular: true }
    },
    {
      name: 'shared-imports-shared',
      severity: 'error',
      comment:
        "The shared modules (text, clock, log, retry, inputs, workspace, version) know nothing of the action's parts.",
      from: { path: SHARED },
      to: { path: '^src/', pathNot: SHARED }
    },
    {
      name: 'testsigma-speaks-plain-values',
      severity: 'error',
      comment:
        "testsigma/ speaks to Testsigma in plain values and owns the API's shapes: it imports only the shared modules.",
      from: { path: '^src/testsigma/' },
      to: { path: '^src/', pathNot: sharedOr(['testsigma']) }
    },
    {
      name: 'upload-is-the-flow',
      severity: 'error',
      comment:
        'upload/ is the upload flow: it uses testsigma/ and the shared modules, never the report, GitHub or the orchestration.',
      from: { path: '^src/upload/' },
      to: { path: '^src/', pathNot: sharedOr(['upload', 'testsigma']) }
    },
    {
      name: 'report-renders-plain-data',
      severity: 'error',
      comment:
        "report/ renders plain data: it may read testsigma/'s types and words, never upload/, github/ or the orchestration.",
      from: { path: '^src/report/' },
      to: { path: '^src/', pathNot: sharedOr(['report', 'testsigma']) }
    },
    {
      name: 'github-talks-to-github',
      severity: 'error',
      comment:
        'github/ talks to GitHub: it renders through report/, and knows nothing of Testsigma requests or the upload.',
      from: { path: '^src/github/' },
      to: { path: '^src/', pathNot: sharedOr(['github', 'report', 'testsigma']) }
    },
    {
      name: 'src-stands-alone',
      severity: 'error',
      comment:
        'The action ships alone in dist/: src/ never imports the simulator, the tests, the scripts or the benchmark.',
      from: { path: '^src/' },
      to: { path: '^(sim|__tests__|scripts|bench)/' }
    }
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a type is a dependency a reader follows too.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' }
  }
}
