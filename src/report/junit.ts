import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Writes the run's JUnit XML, creating the folders on the way. */
export async function writeJunitReport(absolutePath: string, xml: string): Promise<void> {
  await mkdir(path.dirname(absolutePath), { recursive: true })
  await writeFile(absolutePath, xml, 'utf8')
}
