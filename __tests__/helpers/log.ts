import type { Log } from '../../src/log.js'

/** Records what the action logs, by level. */
export class RecordingLog implements Log {
  readonly lines: Array<{ level: 'info' | 'warning' | 'group' | 'endgroup'; message: string }> = []
  info(message: string): void {
    this.lines.push({ level: 'info', message })
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message })
  }
  startGroup(name: string): void {
    this.lines.push({ level: 'group', message: name })
  }
  endGroup(): void {
    this.lines.push({ level: 'endgroup', message: '' })
  }
  messages(level: 'info' | 'warning'): string[] {
    return this.lines.filter(line => line.level === level).map(line => line.message)
  }
  text(): string {
    return this.lines.map(line => line.message).join('\n')
  }
}
