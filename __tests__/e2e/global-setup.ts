import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The end-to-end tests run dist/index.js: refuse to run them on a bundle that is not of the current src/.
 * The check is a script (run by tsx, as `npm run bundle` runs it to record a fresh bundle), because jest
 * loads this file with node's own loader, which does not map the scripts' `.js` imports to `.ts`.
 */
export default function globalSetup(): void {
  try {
    execFileSync(`${ROOT}node_modules/.bin/tsx`, ['scripts/bundle-check.ts'], { cwd: ROOT, stdio: 'inherit' })
  } catch {
    throw new Error('The end-to-end tests did not run: dist/ is not the bundle of src/ (see above).')
  }
}
