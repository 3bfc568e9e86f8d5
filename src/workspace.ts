import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Writes a file the user asked for (the JUnit report), creating the folders on the way. */
export async function writeReportFile(absolutePath: string, text: string): Promise<void> {
  await mkdir(path.dirname(absolutePath), { recursive: true })
  await writeFile(absolutePath, text, 'utf8')
}
