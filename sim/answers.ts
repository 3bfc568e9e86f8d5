/** Answers every route of the simulator shares: Testsigma's error body, Spring's 404 for an unknown path, JSON. */
import type { ServerResponse } from 'node:http'
import { send } from './loopback-server.js'

/** Testsigma's error DTO (O-geh, O-err): `timeStamp` always null. */
export function errorBody(message: string, code: string | null): Record<string, unknown> {
  return { timeStamp: null, error: message, code, fieldErrors: null, objectErrors: null }
}

/** Spring Boot 2.4's default error body for a path no handler serves (docs §7): `message` blanked. */
export function springNotFound(response: ServerResponse, path: string): void {
  sendJson(response, 404, { timestamp: Date.now(), status: 404, error: 'Not Found', message: '', path })
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json')
}
