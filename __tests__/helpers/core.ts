import type { AnnotationProperties } from '@actions/core'
import type { ActionCore } from '../../src/core-edge.js'
import { runnerDefaults } from '../../sim/action-yml.js'

type MessageCall<K> = K extends string ? { kind: K; message: string } : never
type AnnotationCall<K> = K extends string ? { kind: K; message: string; title?: string } : never

export type CoreCall =
  | MessageCall<'setSecret' | 'setFailed' | 'debug' | 'info' | 'startGroup'>
  | { kind: 'endGroup' }
  | { kind: 'setOutput'; name: string; value: string }
  | AnnotationCall<'error' | 'warning' | 'notice'>
  | { kind: 'summary'; markdown: string }

/**
 * A recorder shaped like the part of `@actions/core` that `main.ts` uses: inputs come from a map over
 * action.yml's defaults (the runner sets those whether the step gives them or not), and every call is kept in
 * order, so a test reads exactly what the step would have told the runner.
 */
export class RecordingCore implements ActionCore {
  readonly calls: CoreCall[] = []
  private readonly inputs: Record<string, string>
  constructor(inputs: Record<string, string>) {
    this.inputs = { ...runnerDefaults('ghs_jobToken'), ...inputs }
  }

  getInput(name: string): string {
    return (this.inputs[name] ?? '').trim()
  }
  setSecret(message: string): void {
    this.calls.push({ kind: 'setSecret', message })
  }
  setOutput(name: string, value: string): void {
    this.calls.push({ kind: 'setOutput', name, value })
  }
  setFailed(message: string): void {
    this.calls.push({ kind: 'setFailed', message })
  }
  debug(message: string): void {
    this.calls.push({ kind: 'debug', message })
  }
  info(message: string): void {
    this.calls.push({ kind: 'info', message })
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.calls.push({ kind: 'warning', message, title: properties?.title })
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.calls.push({ kind: 'error', message, title: properties?.title })
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.calls.push({ kind: 'notice', message, title: properties?.title })
  }
  startGroup(message: string): void {
    this.calls.push({ kind: 'startGroup', message })
  }
  endGroup(): void {
    this.calls.push({ kind: 'endGroup' })
  }
  readonly summary = {
    addRaw: (markdown: string) => ({
      write: async () => {
        this.calls.push({ kind: 'summary', markdown })
      }
    })
  }

  /** The step's outputs, the last value of each name winning, as the runner reads them. */
  outputs(): Record<string, string> {
    const outputs: Record<string, string> = {}
    for (const call of this.calls) if (call.kind === 'setOutput') outputs[call.name] = call.value
    return outputs
  }

  of<K extends CoreCall['kind']>(kind: K): Array<Extract<CoreCall, { kind: K }>> {
    return this.calls.filter((call): call is Extract<CoreCall, { kind: K }> => call.kind === kind)
  }
}
