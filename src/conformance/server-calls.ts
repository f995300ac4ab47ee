/**
 * Plain calls to a Whop-compatible server (server mode), each answer checked against the spec's
 * contract for its operation.
 */
import { request } from 'undici'
import { ResponseContract } from '../spec/contract.js'
import { loadBundledSpec } from '../spec/load-spec.js'
import type { ServerTarget } from './known.js'

/** How long an app may take to answer any call; the bound the error-handling cases state. */
export const ANSWER_BOUND_MS = 5000

export interface ServerAnswer {
  method: string
  path: string
  status: number
  contentType: string | undefined
  body: string
  json: unknown
  /** Where the answer departs from the spec's contract for this operation; empty when it matches. */
  contractProblems: string[]
}

export interface ServerCallInit {
  /** Default: the target's key; null: no Authorization header. */
  apiKey?: string | null
  json?: unknown
}

/** The JSON in `text`, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export class ServerCalls {
  #contract: Promise<ResponseContract> | undefined

  /** Call a server operation and check the answer against the spec's contract for it. */
  async call(server: ServerTarget, operationId: string, method: string, path: string, init: ServerCallInit = {}): Promise<ServerAnswer> {
    const key = init.apiKey === undefined ? server.apiKey : init.apiKey
    const res = await request(`${server.url}${path}`, {
      method: method as 'GET',
      headers: {
        accept: 'application/json',
        ...(key !== null && { authorization: `Bearer ${key}` }),
        ...(init.json !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.json === undefined ? null : JSON.stringify(init.json),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS * 2),
    })
    const body = await res.body.text()
    const contentType = res.headers['content-type'] as string | undefined
    this.#contract ??= loadBundledSpec().then((spec) => new ResponseContract(spec))
    const contractProblems = (await this.#contract).check({ operationId, path, status: res.statusCode, contentType, body })
    return { method, path, status: res.statusCode, contentType, body, json: parseJson(body), contractProblems }
  }
}
