/**
 * What scenarios drive with: the simulated users' browsers, the mock (state, clock, faults,
 * journal), calls to the app's token route with their evidence, token verification against a
 * JWKS, and plain calls to a server. Scenarios are memoised here, so cases that share one
 * judge a single run of it.
 */
import type { JournalEntry, JournalFilter } from '../state/journal.js'
import { simulatedBrowsers } from './browser.js'
import type { BrowserMaker, BrowserResponse, ConformanceBrowser } from './browser-types.js'
import { siteOf } from './cookie-jar.js'
import { MockClock } from '../state/clock.js'
import { encodeBody, fillIn, WHOP_USER_ID_PLACEHOLDER } from './config-shapes.js'
import type { Known, OAuthKnown, ServerTarget } from './known.js'
import type { AppModeConfig, ServerModeConfig, TokenRouteConfig } from './config.js'
import type { MockHandle } from './mock-handle.js'
import { onMock } from './whop-urls.js'
import { ORIGINAL_URL_HEADER } from '../state/journal.js'
import { TokenVerifier, type TokenCheck } from './token-verifier.js'
import { ANSWER_BOUND_MS, parseJson, ServerCalls, type ServerAnswer, type ServerCallInit } from './server-calls.js'

export { ANSWER_BOUND_MS, type ServerAnswer, type TokenCheck }

/**
 * Each scenario starts with the mock clock this far behind the machine's, so every token the
 * mock issues (1 h by default) has already expired by the machine clock when the app gets it.
 * An app that caches until `expires_at` by its own clock then never serves a token the mock
 * thinks is stale, while one that caches regardless of `expires_at` still does.
 */
export const CLOCK_LAG_SECONDS = 3600 + 60

export const MINT_PATH = '/api/v1/access_tokens'

/** What a case observes: a run the driver makes once per key. */
export interface Scenario<O> {
  /** Scenarios with the same key run once per run. */
  key: string
  /**
   * Lower phases run first. Apps may cache tokens, so scenarios that must see the app call
   * Whop run before the ones that hand it a token to keep.
   */
  phase: number
  run(driver: Driver): Promise<O>
}

export interface TokenCall {
  who: 'caller' | 'anonymous'
  answer: BrowserResponse
  /** The token in the answer (at tokenRoute.tokenField), if any. */
  token: string | null
  check: TokenCheck | null
  /** The POST /api/v1/access_tokens requests the mock received while the app answered. */
  mints: JournalEntry[]
  /** Mock-clock time of the answer. */
  at: Date
}

function fieldAt(value: unknown, dottedPath: string): unknown {
  return dottedPath
    .split('.')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value)
}

export class Driver {
  readonly #memo = new Map<string, Promise<unknown>>()
  /** The app's clock: the machine's, never moved (state/clock.ts is where the machine clock is read). */
  readonly appClock = new MockClock()
  readonly #browsers = new Map<string, ConformanceBrowser>()
  readonly #verifier = new TokenVerifier()
  readonly #serverCalls = new ServerCalls()

  constructor(
    readonly config: AppModeConfig | ServerModeConfig,
    readonly mockHandle: MockHandle | null,
    /** What the verdicts are told: the API key, token route, OAuth app and server target. */
    readonly known: Known,
    /** The run's browsers: the simulated ones, or Chromium's in the real-browser mode. */
    readonly browsers: BrowserMaker = simulatedBrowsers,
  ) {}

  /** Run a scenario once; later calls with the same key get the same observation. */
  observe<O>(scenario: Scenario<O>): Promise<O> {
    let pending = this.#memo.get(scenario.key) as Promise<O> | undefined
    if (pending === undefined) {
      pending = scenario.run(this)
      this.#memo.set(scenario.key, pending)
    }
    return pending
  }

  get mock(): MockHandle {
    if (this.mockHandle === null) throw new Error('this scenario needs the mock, which server mode does not use')
    return this.mockHandle
  }

  get app(): AppModeConfig['app'] {
    if (this.config.mode !== 'app') throw new Error('this scenario needs an app, which server mode does not have')
    return this.config.app
  }

  get tokenRoute(): TokenRouteConfig {
    if (this.known.tokenRoute === null) throw new Error('this scenario needs tokenRoute in the config')
    return this.known.tokenRoute
  }

  get oauth(): OAuthKnown {
    if (this.known.oauth === null) throw new Error('this scenario needs oauth in the config')
    return this.known.oauth
  }

  get server(): ServerTarget {
    if (this.known.server === null) throw new Error('this scenario needs server mode')
    return this.known.server
  }

  /** A clean mock (no faults, empty journal) whose clock lags the machine's by CLOCK_LAG_SECONDS, plus `extraLagSeconds`. */
  async freshMock(extraLagSeconds = 0): Promise<void> {
    await this.mock.reset()
    await this.mock.advanceClock(-(CLOCK_LAG_SECONDS + extraLagSeconds))
  }

  /**
   * A clean mock on the machine's clock. Sign-in stories use it: an OpenID client checks the
   * id_token's exp against its own clock, so a lagging mock would make a correct app refuse
   * every sign-in. Time passes inside a story only when the story moves the mock clock.
   */
  async freshMockOnMachineClock(): Promise<void> {
    await this.mock.reset()
  }

  /**
   * A new simulated user with an empty jar. Cookies expire on the app's clock (this machine's):
   * the app computed their Expires and Max-Age from it, and moving the mock clock (Whop's time)
   * must not expire the app's own session. The mock is always another site than the app, as
   * Whop is, even when both listen on 127.0.0.1.
   */
  newBrowser(name: string, signIn?: { origin: URL; headers: Record<string, string>; cookies: Record<string, string> }): ConformanceBrowser {
    const mockOrigin = this.mockHandle === null ? null : new URL(this.mockHandle.url).origin
    const mockUrl = this.mockHandle?.url
    return this.browsers.newBrowser({
      name,
      clock: () => this.appClock.nowMs(),
      siteOf: (url) => (url.origin === mockOrigin ? `whop ${url.origin}` : siteOf(url)),
      ...(signIn && {
        originHeaders: { [signIn.origin.origin]: signIn.headers },
        cookies: Object.entries(signIn.cookies).map(([name, value]) => ({ url: signIn.origin, name, value })),
      }),
      // An app that sends the browser to Whop's real sign-in page is judged against the mock all the same.
      ...(mockUrl !== undefined && { reroute: (url: URL) => onMock(url, mockUrl), originalUrlHeader: ORIGINAL_URL_HEADER }),
    })
  }

  /** Whether a URL is the app under test: its baseUrl's origin or an alias's. */
  inApp(url: URL): boolean {
    return this.app.origins.includes(url.origin)
  }

  /** The id of the newest journal entry: what a later `journalSince` counts from. */
  async journalMark(): Promise<number> {
    return (await this.mock.journal({ limit: 1 }))[0]?.id ?? 0
  }

  /** The requests the mock received since `mark`, oldest first; only those `filter` selects. */
  async journalSince(mark: number, filter: JournalFilter = {}): Promise<JournalEntry[]> {
    // The mock journals in onResponse; let that hook run before reading the journal.
    await new Promise((resolve) => setImmediate(resolve))
    return (await this.mock.journal(filter)).filter((e) => e.id > mark)
  }

  /** The browser of one simulated user; the same user keeps the same jar for the whole run. */
  browser(who: 'caller' | 'anonymous'): ConformanceBrowser {
    let browser = this.#browsers.get(who)
    if (browser === undefined) {
      const signIn = who === 'caller' && this.config.mode === 'app' ? this.config.tokenRoute?.signIn : undefined
      browser = this.newBrowser(who, signIn && { origin: new URL(new URL(this.app.baseUrl).origin), ...signIn })
      this.#browsers.set(who, browser)
    }
    return browser
  }

  /** Call the app's token route as its client would (`fetch(path, {method, headers, body})`), with the evidence. */
  async callTokenRoute(who: 'caller' | 'anonymous'): Promise<TokenCall> {
    const route = this.tokenRoute
    const mark = await this.journalMark()
    const { headers, body } = fillIn(route.request, WHOP_USER_ID_PLACEHOLDER, route.userId)
    const answer = await this.browser(who).request(route.method, new URL(route.path, this.app.baseUrl), {
      timeoutMs: ANSWER_BOUND_MS,
      ...encodeBody(headers, body),
    })
    const mints = await this.journalSince(mark, { path: MINT_PATH, method: 'POST' })
    const at = await this.mock.now()
    const found = fieldAt(parseJson(answer.body), route.tokenField)
    const token = answer.status >= 200 && answer.status < 300 && typeof found === 'string' && found !== '' ? found : null
    const check = token === null ? null : await this.verifyToken(this.mock.url, token, at)
    return { who, answer, token, check, mints, at }
  }

  /** Verify a token with jose against `origin`'s /.well-known/jwks.json, at `at`. */
  verifyToken(origin: string, token: string, at?: Date): Promise<TokenCheck> {
    return this.#verifier.verify(origin, token, at)
  }

  /** Call a server operation and check the answer against the spec's contract for it. */
  callServer(operationId: string, method: string, path: string, init: ServerCallInit = {}): Promise<ServerAnswer> {
    return this.#serverCalls.call(this.server, operationId, method, path, init)
  }
}
