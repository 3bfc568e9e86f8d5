/**
 * The workflow commands the GitHub runner would obey in a step's output, read the way actions/runner reads
 * them (src/Runner.Worker/ActionCommandManager.cs and src/Runner.Common/ActionCommand.cs):
 * - each line (the runner's reader splits at \n, \r and \r\n) is trimmed of leading white space as .NET's
 *   char.IsWhiteSpace defines it, and, when it then starts with `::`, is a command `::name props::data`;
 * - otherwise a legacy command `##[name props]data` is looked for anywhere in the line;
 * - only registered command names count (case-insensitive); `::stop-commands::TOKEN` stops all processing
 *   until `::TOKEN::`.
 * Used by the end-to-end tests and the soak to check that the action's output commands are only its own.
 */

export interface RunnerCommand {
  name: string
  /** The text after the command's closing `::` or `]`, still escaped as the runner reads it. */
  data: string
  line: string
}

const REGISTERED = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'internal-set-repo-path',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
])

// .NET char.IsWhiteSpace: the Unicode Zs/Zl/Zp categories, U+0009–U+000D, U+0085 and U+00A0; and, to err on
// the side that finds more commands, U+001C–U+001F, which other readers (Java's) count as white space too.
const DOTNET_LEADING_WHITE_SPACE =
  // eslint-disable-next-line no-control-regex -- white space as .NET reads it includes these controls
  /^[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/

/** Every command the runner would act on in `output`, in order, honouring stop-commands. */
export function runnerCommands(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = []
  let stopToken: string | undefined
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command = parseLine(line, stopToken)
    if (command === undefined) continue
    if (stopToken !== undefined) {
      if (command.name === stopToken.toLowerCase()) stopToken = undefined
      continue
    }
    if (command.name === 'stop-commands') stopToken = command.data
    commands.push(command)
  }
  return commands
}

function parseLine(line: string, extra: string | undefined): RunnerCommand | undefined {
  const registered = (name: string): boolean =>
    REGISTERED.has(name.toLowerCase()) || (extra !== undefined && name.toLowerCase() === extra.toLowerCase())
  const trimmed = line.replace(DOTNET_LEADING_WHITE_SPACE, '')
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const name = info.split(' ')[0]
      if (registered(name)) return { name: name.toLowerCase(), data: trimmed.slice(end + 2), line }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix >= 0) {
    const close = line.indexOf(']', prefix)
    if (close >= 0) {
      const name = line.slice(prefix + 3, close).split(' ')[0]
      if (registered(name)) return { name: name.toLowerCase(), data: line.slice(close + 1), line }
    }
  }
  return undefined
}

/**
 * What is wrong with the commands in a step's output, given the secrets the action masks: any command the
 * action never writes (set-output, stop-commands, save-state, set-env, add-path, echo, matchers), an
 * add-mask of anything but the secrets, or a command its data cannot have come from (a `##[` legacy one).
 */
export function forgedCommands(output: string, secrets: readonly string[]): string[] {
  const own = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask'])
  const problems: string[] = []
  for (const command of runnerCommands(output)) {
    if (!own.has(command.name)) problems.push(`a ${command.name} command: ${command.line}`)
    else if (command.name === 'add-mask' && !secrets.includes(command.data))
      problems.push(`an add-mask of something else: ${command.line}`)
    else if (!command.line.replace(DOTNET_LEADING_WHITE_SPACE, '').startsWith('::'))
      problems.push(`a legacy ##[ command: ${command.line}`)
  }
  return problems
}
