/**
 * What the bundle gets for `import … from '@actions/exec'`: tsconfig.json maps the bare specifier here.
 * `@actions/core` imports it at its top level only for `platform.getDetails()`, which this action never calls;
 * evaluating it would load `child_process` and `@actions/io` before the trigger. The real one loads on first use.
 */
import type * as Exec from '../node_modules/@actions/exec/lib/exec.js'

export const getExecOutput: typeof Exec.getExecOutput = async (...args) =>
  // A path into node_modules: the bare `@actions/exec` is this module, and the package exports no subpath.
  (await import('../node_modules/@actions/exec/lib/exec.js')).getExecOutput(...args)
