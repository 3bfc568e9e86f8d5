/** The pull-request comment's inputs: `github-token` (required valid when `pr-comment` is true). Pure. */
import { InputError, isUnexpandedExpression, quote } from '../inputs.js'

export function parseGithubToken(text: string): string | undefined {
  if (text === '') return undefined
  if (isUnexpandedExpression(text)) {
    throw new InputError(
      'github-token',
      `is the expression ${quote(text)}, which GitHub Actions expands but nothing did here (outside a runner, ` +
        'set the token itself, e.g. INPUT_GITHUB-TOKEN in .env for npm run local-action)',
      '${{ github.token }}'
    )
  }
  // eslint-disable-next-line no-control-regex -- finding control characters in the token is this check's purpose
  if (/[\s\x00-\x1f\x7f]/.test(text)) {
    // Never quoted back: it is a secret even when malformed.
    throw new InputError(
      'github-token',
      'contains white space or control characters, so it cannot be a GitHub token',
      '${{ github.token }}'
    )
  }
  return text
}

/** `github-token` for reading only ("Re-run failed jobs"): a value that is no token is no token, not an error. */
export function optionalGithubToken(text: string): string | undefined {
  try {
    return parseGithubToken(text)
  } catch (error) {
    if (error instanceof InputError) return undefined
    throw error
  }
}
