/**
 * One simulated user in the real-browser mode: a fresh Chromium context (its own cookies) on the
 * run's browser, one page (tab) kept between requests while few users are active, and scripts that run. It follows redirects hop by hop as
 * the simulated browser does (chromium-hop.ts says why), so `follow` rules, hops and timeouts
 * mean the same in both modes; cookies are Chromium's own. A control can be pressed on the page
 * a chain ends on, and where a script then sends the page is followed, or stopped, by the rule.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import {
  follows,
  type BrowserOptions,
  type BrowserRequest,
  type BrowserResponse,
  type ConformanceBrowser,
  type FollowRule,
  type Hop,
} from './browser-types.js'
import { navigate, passOn, REDIRECTS, type Outcome, type Planned } from './chromium-hop.js'

const MAX_HOPS = 20

/** The navigation under way on this user's page. */
interface Chain {
  page: Page
  follow: FollowRule
  /** Set for a navigation this browser makes itself; null while a script or a press navigates. */
  planned: Planned | null
  deadline: number
  settle: (outcome: Outcome) => void
  /** What the page is still doing for the chain (a navigation, a press): settled before the page closes. */
  acts: Promise<unknown>[]
}

/** How long closing a page may wait for what it is still doing, and for the close itself. */
const CLOSE_GRACE_MS = 2000

const within = (ms: number, work: Promise<unknown>): Promise<unknown> =>
  Promise.race([work.catch(() => {}), new Promise((resolve) => setTimeout(resolve, ms).unref())])

/**
 * Open tabs of a run, newest last: opening a tab costs a renderer process, so each user keeps its
 * own, and the least recently used ones are closed (their cookies stay in their contexts).
 */
export class Tabs {
  readonly #open: ChromiumBrowser[] = []

  constructor(readonly max = 4) {}

  async use(user: ChromiumBrowser): Promise<void> {
    const at = this.#open.indexOf(user)
    if (at >= 0) this.#open.splice(at, 1)
    this.#open.push(user)
    while (this.#open.length > this.max) await this.#open.shift()?.closeTab()
  }
}

export class ChromiumBrowser implements ConformanceBrowser {
  readonly history: Hop[] = []
  #context: Promise<BrowserContext> | undefined
  #page: Promise<Page> | undefined
  #chain: Chain | null = null
  /** Requests run one at a time: one page, one chain. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly browser: Browser,
    readonly options: BrowserOptions,
    readonly tabs: Tabs,
  ) {}

  /** This user's tab, opened when there is none. */
  async #tab(): Promise<Page> {
    await this.tabs.use(this)
    const context = await this.#open()
    this.#page ??= context.newPage()
    return this.#page
  }

  /** Close this user's tab; its cookies stay. A tab in use by a request stays open. */
  async closeTab(): Promise<void> {
    if (this.#chain !== null) return
    const page = this.#page
    this.#page = undefined
    if (page !== undefined)
      await within(
        CLOSE_GRACE_MS,
        page.then((p) => p.close()),
      )
  }

  #open(): Promise<BrowserContext> {
    this.#context ??= (async () => {
      const context = await this.browser.newContext({ serviceWorkers: 'block' })
      const cookies = (this.options.cookies ?? []).map(({ url, name, value }) => ({ url: url.origin, name, value, httpOnly: true }))
      if (cookies.length > 0) await context.addCookies(cookies)
      await context.route('**/*', (route) => this.#route(route))
      return context
    })()
    return this.#context
  }

  async #route(route: Route): Promise<void> {
    const request = route.request()
    const chain = this.#chain
    if (chain === null || !request.isNavigationRequest() || request.frame() !== chain.page.mainFrame()) return passOn(route, this.options)
    const planned = chain.planned
    chain.planned = null
    const asked = new URL(request.url())
    if (planned === null && !follows(chain.follow, asked)) {
      await route.abort('aborted').catch(() => {})
      return chain.settle({ kind: 'stopped', url: asked })
    }
    const outcome = await navigate(route, this.options, planned, chain.deadline - performance.now())
    if (outcome.kind === 'answer') this.history.push(outcome.hop)
    chain.settle(outcome)
  }

  async cookieNames(url: URL): Promise<string[]> {
    const context = await this.#open()
    return (await context.cookies(url.href)).map((c) => c.name)
  }

  request(method: string, url: string | URL, init: BrowserRequest = {}): Promise<BrowserResponse> {
    const run = this.#queue.then(() => this.#request(method, new URL(url), init))
    this.#queue = run.catch(() => {})
    return run
  }

  /** Wait for what `act` sets off on the page, within the chain's deadline. */
  async #step(chain: Chain, act: () => Promise<unknown>): Promise<Outcome> {
    const settled = new Promise<Outcome>((resolve) => (chain.settle = resolve))
    const acting = act()
    chain.acts.push(acting)
    const failed = acting.then(
      () => new Promise<never>(() => {}),
      (error: Error) => ({ kind: 'error', message: error.message.split('\n')[0] ?? 'failed' }) as const,
    )
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'error', message: 'timeout' }), Math.max(0, chain.deadline - performance.now()))
    })
    try {
      return await Promise.race([settled, failed, late])
    } finally {
      clearTimeout(timer)
    }
  }

  async #request(method: string, url: URL, init: BrowserRequest): Promise<BrowserResponse> {
    const started = performance.now()
    const timeoutMs = init.timeoutMs ?? 5000
    const page = await this.#tab()
    const chain: Chain = { page, follow: init.follow ?? true, planned: null, deadline: started + timeoutMs, settle: () => {}, acts: [] }
    this.#chain = chain
    const hops: Hop[] = []
    let verb = method.toUpperCase()
    let body = init.body
    let headers = { ...init.headers }
    let current = url
    let press = init.press
    let last: Extract<Outcome, { kind: 'answer' }> | null = null
    const done = (partial: Omit<BrowserResponse, 'method' | 'url' | 'hops' | 'elapsedMs'>): BrowserResponse => ({
      method: last?.hop.method ?? verb,
      url: last?.hop.url ?? current.href,
      hops,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
      ...partial,
    })
    const goTo = () => {
      chain.planned = { method: verb, headers, body }
      return this.#step(chain, () => page.goto(current.href, { waitUntil: 'commit', timeout: 0 }))
    }
    try {
      let outcome = await goTo()
      for (;;) {
        if (outcome.kind === 'error') {
          const timedOut = performance.now() >= chain.deadline || outcome.message === 'timeout'
          const error = timedOut ? `no answer within ${timeoutMs} ms` : outcome.message
          return done({ status: 0, headers: {}, setCookies: [], body: '', timedOut, error })
        }
        if (outcome.kind === 'stopped') {
          const answer = last ?? { hop: null, headers: {}, setCookies: [], body: '' }
          const status = answer.hop?.status ?? 0
          return done({
            status,
            headers: answer.headers,
            setCookies: answer.setCookies,
            body: answer.body,
            timedOut: false,
            error: null,
            scriptNavigation: outcome.url.href,
          })
        }
        last = outcome
        hops.push(outcome.hop)
        const { status, location } = outcome.hop
        const next = REDIRECTS.has(status) && location !== null ? new URL(location, outcome.hop.url) : null
        if (next !== null && hops.length < MAX_HOPS && follows(chain.follow, next)) {
          // Fetch's rules: 303, and 301/302 after a POST, turn into a GET without a body.
          if (status === 303 || ((status === 301 || status === 302) && verb === 'POST')) {
            verb = verb === 'HEAD' ? 'HEAD' : 'GET'
            body = undefined
            headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)))
          }
          current = next
          outcome = await goTo()
          continue
        }
        if (next === null && press !== undefined) {
          const selector = press
          press = undefined
          outcome = await this.#step(chain, async () => {
            await page.waitForLoadState('load', { timeout: Math.max(1, chain.deadline - performance.now()) })
            await page.click(selector, { noWaitAfter: true, timeout: Math.max(1, chain.deadline - performance.now()) })
          })
          continue
        }
        return done({ status, headers: outcome.headers, setCookies: outcome.setCookies, body: outcome.body, timedOut: false, error: null })
      }
    } finally {
      this.#chain = null
      // The next request (or a close) waits for what this one set off on the page to end.
      await within(CLOSE_GRACE_MS, Promise.all(chain.acts))
    }
  }
}
