import type { AnnotationProperties } from '@actions/core'
import { logLine, oneLine, scrubSecrets } from './text.js'

/** The part of `@actions/core` the action uses; tests pass a recorder of the same shape. */
export interface ActionCore {
  getInput(name: string): string
  setSecret(secret: string): void
  setOutput(name: string, value: string): void
  setFailed(message: string): void
  debug(message: string): void
  info(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
  notice(message: string, properties?: AnnotationProperties): void
  startGroup(name: string): void
  endGroup(): void
  summary: { addRaw(text: string): { write(): Promise<unknown> } }
}

/** The guarded core, which also tells what it could not publish. */
export interface GuardedCore extends ActionCore {
  /** The outputs the runner refused (its GITHUB_OUTPUT file could not be written), and why; empty when none. */
  unpublished(): { names: string[]; reason?: string }
}

/**
 * The core object as the rest of the action sees it: the one place where what the action says meets the
 * runner. Every message, group name and annotation title goes through `logLine` (secrets scrubbed, one
 * line, no workflow command); outputs and the job summary are scrubbed of the secrets. Masking the secrets
 * with the runner is the caller's first act, with the unwrapped object.
 *
 * An output the runner refuses (an unwritable GITHUB_OUTPUT) never throws into the step: a run that started
 * must still be followed or stopped. The first refusal is a warning at once; `unpublished` says which, so the
 * verdict can say it too.
 */
export function guardedCore(core: ActionCore, secrets: readonly string[]): GuardedCore {
  const known = secrets.filter(secret => secret !== '')
  const line = (message: string): string => logLine(message, known)
  const annotation = (properties?: AnnotationProperties): AnnotationProperties | undefined =>
    properties?.title === undefined ? properties : { ...properties, title: line(properties.title) }
  const refused: string[] = []
  let reason: string | undefined
  return {
    unpublished: () => ({ names: [...refused], reason }),
    getInput: name => core.getInput(name),
    setSecret: secret => core.setSecret(secret),
    setOutput: (name, value) => {
      try {
        core.setOutput(name, oneLine(scrubSecrets(value, known)))
      } catch (error) {
        if (reason === undefined) {
          reason = oneLine(error instanceof Error ? error.message : String(error))
          core.warning(line(`The step's output ${name} could not be written (${reason}); the step goes on`))
        }
        refused.push(name)
      }
    },
    setFailed: message => core.setFailed(line(message)),
    debug: message => core.debug(line(message)),
    info: message => core.info(line(message)),
    warning: (message, properties) => core.warning(line(message), annotation(properties)),
    error: (message, properties) => core.error(line(message), annotation(properties)),
    notice: (message, properties) => core.notice(line(message), annotation(properties)),
    startGroup: name => core.startGroup(line(name)),
    endGroup: () => core.endGroup(),
    summary: { addRaw: text => core.summary.addRaw(scrubSecrets(text, known)) }
  }
}
