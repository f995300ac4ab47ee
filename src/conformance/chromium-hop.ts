/**
 * One navigation of the real browser, made by the conformance suite rather than by Chromium's own
 * network stack: a context-wide route sends each main-frame request with `route.fetch` (no
 * redirect followed, since Chromium would follow it out of the route's sight), records the hop,
 * and hands the page its answer. A redirect reaches the page as an empty page, and the browser
 * (chromium-browser.ts) makes the next hop itself, so a `follow` rule can stop before it. The
 * same route sends every request for Whop's hosts to the mock: the route rule that judges an app
 * with Whop's real URLs written in.
 */
import type { APIResponse, Request, Route } from 'playwright-core'
import { userAgent, type BrowserOptions, type Hop } from './browser-types.js'

/** A navigation the browser makes itself: what to send instead of what Chromium would. */
export interface Planned {
  method: string
  headers: Record<string, string>
  body: string | undefined
}

export type Outcome =
  | { kind: 'answer'; hop: Hop; headers: Record<string, string>; setCookies: string[]; body: string }
  /** A script (or a pressed control) sent the page to `url`, which the follow rule refused. */
  | { kind: 'stopped'; url: URL }
  | { kind: 'error'; message: string }

export const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Headers Chromium computed that the fetch must not repeat: the connection's own. */
const OWN_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding'])

function flatHeaders(pairs: { name: string; value: string }[]): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {}
  const setCookies: string[] = []
  for (const { name, value } of pairs) {
    const key = name.toLowerCase()
    if (key === 'set-cookie') setCookies.push(value)
    else headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  return { headers, setCookies }
}

const cookieNamesIn = (header: string | undefined): string[] =>
  (header ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name !== '')

/** The headers to send: Chromium's own (its Cookie header included), the user's, and the plan's. */
async function headersFor(
  request: Request,
  asked: URL,
  target: URL,
  options: BrowserOptions,
  planned: Planned | null,
): Promise<Record<string, string>> {
  const computed = Object.fromEntries(Object.entries(await request.allHeaders()).filter(([name]) => !OWN_HEADERS.has(name)))
  const rerouted = asked.href !== target.href
  // Sent to the mock instead of Whop, the browser's cookies are the mock's, which route.fetch keeps by the mock's URL.
  if (rerouted) delete computed.cookie
  // No Cookie header from Chromium means it sends none (SameSite, Path...); route.fetch would otherwise add some.
  else computed.cookie ??= ''
  return {
    ...computed,
    'user-agent': userAgent(options.name),
    ...options.originHeaders?.[target.origin],
    ...planned?.headers,
    ...(rerouted && options.originalUrlHeader !== undefined && { [options.originalUrlHeader]: asked.href }),
  }
}

/** Send one main-frame request, record it, and give the page its answer; a redirect arrives as an empty page. */
export async function navigate(route: Route, options: BrowserOptions, planned: Planned | null, timeoutMs: number): Promise<Outcome> {
  const request = route.request()
  const asked = new URL(request.url())
  const target = options.reroute?.(asked) ?? asked
  const method = planned?.method ?? request.method()
  const headers = await headersFor(request, asked, target, options, planned)
  let answer: APIResponse
  try {
    const postData = planned === null ? (request.postDataBuffer() ?? undefined) : planned.body
    answer = await route.fetch({ url: target.href, method, headers, postData, maxRedirects: 0, timeout: Math.max(1, timeoutMs) })
  } catch (error) {
    await route.abort().catch(() => {})
    return { kind: 'error', message: (error as Error).message.split('\n')[0] ?? 'the request failed' }
  }
  const { headers: answered, setCookies } = flatHeaders(answer.headersArray())
  const body = await answer.text()
  const status = answer.status()
  const location = answered.location ?? null
  const hop: Hop = { method, url: target.href, status, location, cookiesSent: cookieNamesIn(headers.cookie), cookiesSet: setCookies }
  // route.fetch has already kept the answer's cookies in the context.
  const redirect = REDIRECTS.has(status) && location !== null
  await route.fulfill(redirect ? { status: 200, contentType: 'text/html', body: '' } : { response: answer }).catch(() => {})
  return { kind: 'answer', hop, headers: answered, setCookies, body }
}

/** Any other request of the page: to Whop's hosts it goes to the mock instead; anything else goes as Chromium sends it. */
export async function passOn(route: Route, options: BrowserOptions): Promise<void> {
  const asked = new URL(route.request().url())
  const target = options.reroute?.(asked) ?? null
  try {
    if (target === null) return await route.continue()
    const headers = await headersFor(route.request(), asked, target, options, null)
    await route.fulfill({ response: await route.fetch({ url: target.href, headers, maxRedirects: 0 }) })
  } catch {
    await route.abort().catch(() => {})
  }
}
