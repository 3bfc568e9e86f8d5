import packageJson from '../package.json' with { type: 'json' }

/** Sent in the User-Agent, from package.json so a release changes it in one place. */
export const ACTION_NAME: string = packageJson.name
export const ACTION_VERSION: string = packageJson.version
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`
