/**
 * A simulated browser, one per simulated user: its own cookie jar, redirects followed the way
 * fetch and browsers follow them, and every hop recorded. A case that must inspect a redirect
 * (say, to the mock's authorize page) stops before it with `follow`.
 */
import { request } from 'undici'
import { CookieJar, siteOf, type SameSiteContext } from './cookie-jar.js'

/** true: follow every redirect; false: none; a function: follow to `next` only when it says so. */
export type FollowRule = boolean | ((next: URL) => boolean)

export interface BrowserRequest {
  headers?: Record<string, string>
  body?: string
  follow?: FollowRule
  /** One deadline for the whole redirect chain. Default 5000 ms. */
  timeoutMs?: number
  /**
   * The page that caused the request (the one a redirect or a form came from), for SameSite.
   * Default: the requested URL itself, as when the person clicks a link within the site.
   */
  initiator?: URL | string
}

export interface Hop {
  method: string
  url: string
  status: number
  location: string | null
  /** Names of the cookies the browser sent with this request. */
  cookiesSent: string[]
  /** The Set-Cookie headers of the answer, as the app sent them. */
  cookiesSet: string[]
}

export interface BrowserResponse {
  method: string
  /** The URL that gave this (final) answer. */
  url: string
  /** 0 when no answer came (see `error`). */
  status: number
  /** Lowercase names; repeated headers joined with ", " (Set-Cookie is in `setCookies`). */
  headers: Record<string, string>
  setCookies: string[]
  body: string
  /** Every request made, in order, the last one included. */
  hops: Hop[]
  elapsedMs: number
  timedOut: boolean
  error: string | null
}

/** Where a 3xx answer sends the browser, resolved against the answer's URL; null for any other answer. */
export function redirectTarget(answer: BrowserResponse): URL | null {
  const location = answer.headers.location
  return answer.status >= 300 && answer.status < 400 && location !== undefined ? new URL(location, answer.url) : null
}

export interface BrowserOptions {
  /** The simulated user's name, sent in User-Agent so app logs tell users apart. */
  name: string
  /** Time for cookie expiry, in ms: the simulated user lives in the scenario's (mock) time. */
  clock: () => Promise<number> | number
  /** Headers sent with every request to an origin, e.g. how the app signs this user in. */
  originHeaders?: Record<string, Record<string, string>>
  /** The site of a URL, for SameSite. Default: scheme and registrable domain. */
  siteOf?: (url: URL) => string
  /**
   * Where a URL really leads, as a hosts-file entry or a proxy would say: the browser goes there
   * instead and carries on from there (cookies, relative links), sending the URL it was given in
   * `originalUrlHeader`. Null: the URL itself.
   */
  reroute?: (url: URL) => URL | null
  originalUrlHeader?: string
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_HOPS = 20

function flatHeaders(raw: Record<string, string | string[] | undefined>): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {}
  let setCookies: string[] = []
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    const key = name.toLowerCase()
    if (key === 'set-cookie') setCookies = Array.isArray(value) ? value : [value]
    else headers[key] = Array.isArray(value) ? value.join(', ') : value
  }
  return { headers, setCookies }
}

export class Browser {
  readonly jar = new CookieJar()
  /** Every hop this browser made, across requests: each URL its user saw, and each redirect. */
  readonly history: Hop[] = []

  constructor(readonly options: BrowserOptions) {}

  /**
   * A redirect chain is same-site only while every URL in it, and the page that started it, is
   * on the target's site; a cross-site top-level GET is "lax", anything else cross-site "none".
   */
  #context(chain: Set<string>, target: URL, method: string): SameSiteContext {
    const site = (this.options.siteOf ?? siteOf)(target)
    if ([...chain].every((s) => s === site)) return 'strict'
    return method === 'GET' || method === 'HEAD' ? 'lax' : 'none'
  }

  async request(method: string, url: string | URL, init: BrowserRequest = {}): Promise<BrowserResponse> {
    const started = performance.now()
    const signal = AbortSignal.timeout(init.timeoutMs ?? 5000)
    const hops: Hop[] = []
    let current = new URL(url)
    let verb = method.toUpperCase()
    let body = init.body
    let headers = { ...init.headers }
    const chain = new Set([(this.options.siteOf ?? siteOf)(new URL(init.initiator ?? url))])
    const done = (partial: Omit<BrowserResponse, 'method' | 'url' | 'hops' | 'elapsedMs'>): BrowserResponse => ({
      method: verb,
      url: current.href,
      hops,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
      ...partial,
    })
    try {
      for (;;) {
        const asked = current
        current = this.options.reroute?.(current) ?? current
        const sent: Record<string, string> = {
          'user-agent': `whop-auth-mock-conformance (${this.options.name})`,
          ...this.options.originHeaders?.[current.origin],
          ...headers,
          ...(asked !== current && this.options.originalUrlHeader !== undefined && { [this.options.originalUrlHeader]: asked.href }),
        }
        const cookies = this.jar.cookiesFor(current, await this.options.clock(), this.#context(chain, current, verb))
        if (cookies.length > 0) sent.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ')
        chain.add((this.options.siteOf ?? siteOf)(current))
        const res = await request(current, { method: verb as 'GET', headers: sent, body: body ?? null, signal })
        const { headers: answer, setCookies } = flatHeaders(res.headers)
        this.jar.receive(setCookies, current, await this.options.clock())
        const location = answer.location ?? null
        const cookiesSent = cookies.map((c) => c.name)
        hops.push({ method: verb, url: current.href, status: res.statusCode, location, cookiesSent, cookiesSet: setCookies })
        this.history.push(hops.at(-1)!)
        const next = REDIRECTS.has(res.statusCode) && location !== null ? new URL(location, current) : null
        const follow = init.follow ?? true
        if (next === null || hops.length >= MAX_HOPS || !(typeof follow === 'function' ? follow(next) : follow)) {
          return done({ status: res.statusCode, headers: answer, setCookies, body: await res.body.text(), timedOut: false, error: null })
        }
        await res.body.dump()
        // Fetch's rules: 303, and 301/302 after a POST, turn into a GET without a body.
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && verb === 'POST')) {
          verb = verb === 'HEAD' ? 'HEAD' : 'GET'
          body = undefined
          headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)))
        }
        current = next
      }
    } catch (error) {
      const timedOut = signal.aborted
      const message = timedOut ? `no answer within ${init.timeoutMs ?? 5000} ms` : (error as Error).message
      return done({ status: 0, headers: {}, setCookies: [], body: '', timedOut, error: message })
    }
  }
}
