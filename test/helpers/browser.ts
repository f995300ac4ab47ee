/**
 * A real browser for the sign-in page tests: Debian's chromium (or `CHROMIUM_PATH`) driven by
 * playwright-core, which never downloads a browser. One browser per test file, a fresh context
 * per test, and a stand-in for the client at http://localhost:3000, where nothing listens;
 * openSignIn opens the sign-in page in such a context and approves on it.
 *
 * The stand-in is a real HTTP server that chromium reaches through --host-resolver-rules:
 * page.route never sees where a redirect of page.goto() goes (microsoft/playwright#33882), and
 * a second sign-in is exactly such a redirect.
 */
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core'
import { LAUNCH_ARGS } from '../../src/conformance/chromium.js'
import { DEBIAN_CHROMIUM } from '../../src/conformance/chromium-path.js'
import { pkce, random22, type CurrentAuthorize, type Pkce } from './oauth.js'
import { choiceName, signInUrl, userOfCode } from './sign-in.js'

export const chromiumPath = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM

/** Where the fixture apps' redirect URIs point. */
export const CLIENT_ORIGIN = 'http://localhost:3000'

/** The client's page. Its script renames it, so a test can tell whether scripts ran. */
export const CLIENT_PAGE_TITLE = 'client callback'
const CLIENT_PAGE = `<!doctype html><title>${CLIENT_PAGE_TITLE}</title><script>document.title = 'script ran'</script><p>Back at the client.</p>`

/** Hang guard for every browser wait; nothing here is a timing assertion. */
const BROWSER_TIMEOUT_MS = 30_000

/** A server on 127.0.0.1 port 0 that answers every GET with one page; closed at teardown. */
export async function serveOnePage(t: Test, html: string): Promise<{ port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  )
  return { port: (server.address() as AddressInfo).port }
}

/** Chromium, with http://localhost:3000 answered by the client's stand-in page. */
export async function launchChromium(t: Test): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No chromium at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`)
  }
  const client = await serveOnePage(t, CLIENT_PAGE)
  const args = [...LAUNCH_ARGS, `--host-resolver-rules=MAP localhost:3000 127.0.0.1:${client.port}`]
  const browser = await chromium.launch({ executablePath: chromiumPath, args, timeout: BROWSER_TIMEOUT_MS })
  t.teardown(() => browser.close())
  return browser
}

export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** Every URL the browser was sent to at the client, in order. */
  clientArrivals: URL[]
  /** Wait until the page is at the client, and return where it landed. */
  atClient(): Promise<URL>
}

/** A fresh browser profile (no cookies), closed at the end of the test. */
export async function newSession(t: Test, browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserSession> {
  const context = await browser.newContext(options)
  t.teardown(() => context.close())
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS)
  const clientArrivals: URL[] = []
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.origin === CLIENT_ORIGIN && request.isNavigationRequest()) clientArrivals.push(url)
  })
  const page = await context.newPage()
  return {
    context,
    page,
    clientArrivals,
    async atClient() {
      await page.waitForURL((url) => url.origin === CLIENT_ORIGIN)
      return new URL(page.url())
    },
  }
}

export interface SignIn extends BrowserSession {
  pkce: Pkce
  state: string
  /** The answer to the authorize request the page was opened with. */
  response: Response | null
  /**
   * Choose `user` on the page and approve; checks that the browser came back to the client with
   * this sign-in's state and a code that is `user`'s. Returns where the browser landed.
   */
  approveAs(t: Test, user: { id: string; username: string; name: string | null }): Promise<URL>
}

/**
 * A fresh browser on the current flow's sign-in page (public app, no login_hint), with its own
 * PKCE pair and state.
 */
export async function openSignIn(
  t: Test,
  browser: Browser,
  mockUrl: string,
  o: { authorize?: Omit<CurrentAuthorize, 'pkce' | 'state'>; context?: BrowserContextOptions } = {},
): Promise<SignIn> {
  const session = await newSession(t, browser, o.context)
  const pair = pkce()
  const state = random22()
  const response = await session.page.goto(signInUrl(mockUrl, { ...o.authorize, pkce: pair, state }))
  return {
    ...session,
    pkce: pair,
    state,
    response,
    async approveAs(t, user) {
      await session.page.getByRole('radio', { name: choiceName(user) }).check()
      await session.page.getByRole('button', { name: 'Approve' }).click()
      const back = await session.atClient()
      t.equal(back.searchParams.get('state'), state, 'back with the sign-in’s state')
      t.equal(await userOfCode(mockUrl, back.searchParams.get('code')!, pair.verifier), user.username, `the code is ${user.username}’s`)
      return back
    },
  }
}
