/**
 * A simulated browser, one per simulated user: its own cookie jar, redirects followed the way
 * fetch and browsers follow them, and every hop recorded. A case that must inspect a redirect
 * (say, to the mock's authorize page) stops before it with `follow`. It runs no scripts, so it
 * cannot press a page's controls; the real-browser mode (chromium-browser.ts) can.
 */
import { request } from 'undici'
import { CookieJar, siteOf, type SameSiteContext } from './cookie-jar.js'
import {
  follows,
  userAgent,
  type BrowserMaker,
  type BrowserOptions,
  type BrowserRequest,
  type BrowserResponse,
  type ConformanceBrowser,
  type Hop,
} from './browser-types.js'

export {
  redirectTarget,
  type BrowserOptions,
  type BrowserRequest,
  type BrowserResponse,
  type FollowRule,
  type Hop,
} from './browser-types.js'

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

export class Browser implements ConformanceBrowser {
  readonly jar = new CookieJar()
  /** Every hop this browser made, across requests: each URL its user saw, and each redirect. */
  readonly history: Hop[] = []

  constructor(readonly options: BrowserOptions) {
    for (const { url, name, value } of options.cookies ?? []) this.jar.put(url, name, value)
  }

  async cookieNames(url: URL): Promise<string[]> {
    return this.jar.cookiesFor(url, await this.options.clock()).map((c) => c.name)
  }

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
          'user-agent': userAgent(this.options.name),
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
        if (next === null || hops.length >= MAX_HOPS || !follows(init.follow ?? true, next)) {
          const text = await res.body.text()
          // Pressing a control needs a page whose scripts run: the press goes nowhere, as in a browser with scripts off.
          const pressed = init.press === undefined ? null : `the simulated browser runs no scripts, so it cannot press ${init.press}`
          return done({
            status: pressed === null ? res.statusCode : 0,
            headers: answer,
            setCookies,
            body: text,
            timedOut: false,
            error: pressed,
          })
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

/** The built-in browsers: nothing to start, nothing to end. */
export const simulatedBrowsers: BrowserMaker = {
  newBrowser: (options) => new Browser(options),
  close: () => Promise.resolve(),
}
