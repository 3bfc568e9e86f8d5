import { readFile } from 'node:fs/promises'
import { MERGE_GROUP_EVENT, mergeQueueEntryOf, MergeQueueEntry } from './merge-queue.js'

/** The event payload (GITHUB_EVENT_PATH's JSON), or undefined when there is none to read. Throws on a broken file. */
export async function readEventPayload(eventPath: string | undefined): Promise<unknown> {
  if (eventPath === undefined || eventPath === '') return undefined
  return JSON.parse(await readFile(eventPath, 'utf8')) as unknown
}

/**
 * On a `merge_group` event, the queue entry the run tests; undefined on other events, and when the payload cannot
 * be read or names none: naming the run is a help, never a reason to fail it.
 */
export async function readMergeQueueEntry(env: NodeJS.ProcessEnv): Promise<MergeQueueEntry | undefined> {
  if (env.GITHUB_EVENT_NAME !== MERGE_GROUP_EVENT) return undefined
  try {
    return mergeQueueEntryOf(env.GITHUB_EVENT_NAME, await readEventPayload(env.GITHUB_EVENT_PATH))
  } catch {
    return undefined
  }
}
