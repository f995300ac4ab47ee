/**
 * MSW handlers for Whop's hosts, answered by a real mock in the same process through Fastify's
 * `inject` (no port, no socket):
 *
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { createWhopMock, whopHandlers } from 'whop-auth-mock/msw'
 * const mock = await createWhopMock()
 * const server = setupServer(...whopHandlers(mock))
 * releaseResponseClones(server)
 * ```
 *
 * Requests to the hosts and paths of whop-hosts.ts go to the mock; anything else is left to the
 * other handlers (or MSW's onUnhandledRequest).
 */
import type { FastifyInstance, InjectOptions } from 'fastify'
import { http, type HttpHandler } from 'msw'
import type { SetupServer } from 'msw/node'
import { buildMockServer } from '../server.js'
import type { MockServerOptions } from '../options.js'
import { worldHelpers, type WorldHelpers } from '../world-handle.js'
import { reroutedHeaders } from './headers.js'
import { WHOP_ROUTES, reroutes } from './whop-hosts.js'

/** What the handlers need of a mock: a Fastify app to inject into (a built, not necessarily listening, mock). */
export interface InjectableMock {
  readonly app: FastifyInstance
}

/** A mock built for MSW: the app to inject into, the library's helpers, and close. */
export interface WhopMock extends InjectableMock, WorldHelpers {
  close(): Promise<void>
}

/**
 * Build a mock for MSW. It is reached at Whop's own hosts, so unless told otherwise it
 * advertises `https://api.whop.com` (the issuer of its tokens, the links it answers with).
 * @see docs/whop-reference.md §9
 */
export async function createWhopMock(options: MockServerOptions = {}): Promise<WhopMock> {
  const { app, context } = await buildMockServer({ publicUrl: 'https://api.whop.com', ...options })
  return Object.assign(worldHelpers(context), { app, close: () => app.close() })
}

/** MSW URL patterns for one host: everything on it, or each path prefix and what lies under it. */
function patterns(host: string): string[] {
  const paths = WHOP_ROUTES[host]
  const under = paths === undefined ? [] : paths === 'all' ? ['/*'] : paths.flatMap((prefix) => [prefix, `${prefix}/*`])
  return ['https', 'http'].flatMap((scheme) => under.map((path) => `${scheme}://${host}${path}`))
}

/** Statuses whose answer has no body, per the Fetch standard. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])
/** Headers about the connection the mock answered on, not about the answer. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding'])

function responseHeaders(headers: Record<string, string | number | string[] | undefined>): Headers {
  const out = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CONNECTION_HEADERS.has(name)) continue
    for (const one of Array.isArray(value) ? value : [String(value)]) out.append(name, one)
  }
  return out
}

/** The mock's answer to a request sent to one of Whop's hosts. */
async function answer(mock: InjectableMock, request: Request): Promise<Response | undefined> {
  const url = new URL(request.url)
  if (!reroutes(url)) return undefined
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  const injected: InjectOptions = {
    method: request.method,
    url: `${url.pathname}${url.search}`,
    headers: reroutedHeaders(request.headers, url.href),
    ...(hasBody && { payload: Buffer.from(await request.arrayBuffer()) }),
  }
  const res = await mock.app.inject(injected)
  const body = NULL_BODY.has(res.statusCode) || request.method === 'HEAD' ? null : new Uint8Array(res.rawPayload)
  return new Response(body, { status: res.statusCode, statusText: res.statusMessage, headers: responseHeaders(res.headers) })
}

/** MSW handlers that answer requests to Whop's hosts with `mock`. */
export function whopHandlers(mock: InjectableMock): HttpHandler[] {
  return Object.keys(WHOP_ROUTES)
    .flatMap(patterns)
    .map((pattern) => http.all(pattern, ({ request }) => answer(mock, request)))
}

/**
 * MSW 2 keeps a clone of every mocked response for its `response:mocked` event. A client that
 * cancels an unread body, as @whop/sdk does before each retry, then waits for that clone forever
 * (fixed in @mswjs/interceptors after the version MSW 2 uses). This cancels the clone of each
 * answer from Whop's hosts, so such a cancel settles; a `response:mocked` listener then sees an
 * empty body for those answers (read the journal instead).
 */
export function releaseResponseClones(server: Pick<SetupServer, 'events'>): void {
  server.events.on('response:mocked', ({ request, response }) => {
    if (reroutes(new URL(request.url))) void response.body?.cancel().catch(() => undefined)
  })
}
