/**
 * Where the proxy sends a request for a Whop host: into the mock in this process (Fastify's
 * inject, no socket), or over HTTP to a mock elsewhere (a conformance run's tenant). Either way
 * the request carries the URL the client asked for in one header, which the journal records.
 */
import type { FastifyInstance } from 'fastify'
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { request } from 'undici'
import { ORIGINAL_URL_HEADER } from '../state/journal.js'

export interface ForwardedRequest {
  method: string
  /** The URL the client asked for, e.g. https://api.whop.com/v5/me?x=1. */
  originalUrl: URL
  /** End-to-end headers only; Host is set by the upstream. */
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface ForwardedResponse {
  status: number
  headers: OutgoingHttpHeaders
  body: Buffer
}

export type Upstream = (request: ForwardedRequest) => Promise<ForwardedResponse>

/** The path on the mock: Whop's path and query, under the mock's base path (a tenant's, or none). */
function mockPath(basePath: string, url: URL): string {
  return `${basePath}${url.pathname}${url.search}`
}

function headersFor(forwarded: ForwardedRequest, host: string): IncomingHttpHeaders {
  return { ...forwarded.headers, host, [ORIGINAL_URL_HEADER]: forwarded.originalUrl.href }
}

/** Into the Fastify app of this process; `host()` is the mock's own Host (known once it listens). */
export function injectUpstream(app: FastifyInstance, host: () => string, basePath = ''): Upstream {
  return async (forwarded) => {
    const response = await app.inject({
      method: forwarded.method,
      url: mockPath(basePath, forwarded.originalUrl),
      headers: headersFor(forwarded, host()),
      ...(forwarded.body.length > 0 && { payload: forwarded.body }),
    })
    return { status: response.statusCode, headers: response.headers, body: response.rawPayload }
  }
}

/** Over HTTP to the mock (or tenant) at `base`, e.g. http://127.0.0.1:4010/t/run-1. */
export function httpUpstream(base: string): Upstream {
  const target = new URL(base)
  const basePath = target.pathname.replace(/\/+$/, '')
  return async (forwarded) => {
    const response = await request(new URL(mockPath(basePath, forwarded.originalUrl), target.origin), {
      method: forwarded.method,
      headers: headersFor(forwarded, target.host),
      ...(forwarded.body.length > 0 && { body: forwarded.body }),
      signal: AbortSignal.timeout(60_000),
    })
    const body = Buffer.from(await response.body.arrayBuffer())
    return { status: response.statusCode, headers: response.headers, body }
  }
}
