/**
 * A small app that signs people in with a legacy Whop flow the way @whop/api does (reference
 * §4.2): a UUID state, the mock's /oauth/ page, a JSON code exchange with a secret, /v5/me for the
 * user, and a refresh on 401 where the token endpoint hands out refresh tokens. Whop failing or
 * not answering within 2 s is a failed sign-in (400) or a signed-out profile (401). It runs in the
 * test's process on port 0 and closes at teardown.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { bearer, call } from './http.js'

export interface LegacyAppOptions {
  mockUrl: string
  clientId: string
  /** What goes in client_secret: @whop/api sends the app API key. */
  secret: string
  tokenPath: string
  /** Where /login sends the browser; default the mock's /oauth/ page. */
  authorizeUrl?: string
  /**
   * /login answers a page whose "Sign in with Whop" button (#sign-in) runs a script that builds
   * the authorize URL and sets location, instead of a redirect: a sign-in that needs JavaScript.
   */
  byScript?: boolean
}

/** The page /login answers with `byScript`: the authorize URL exists only once the script has run. */
function scriptStartPage(authorizeUrl: string, query: URLSearchParams): string {
  const data = JSON.stringify({ base: authorizeUrl, params: Object.fromEntries(query) }).replace(/</g, '\\u003c')
  return `<!doctype html><title>Sign in</title><button id="sign-in">Sign in with Whop</button>
<script>
  const start = ${data}
  document.getElementById('sign-in').addEventListener('click', () => {
    location.href = start.base + '?' + new URLSearchParams(start.params)
  })
</script>`
}

interface Session {
  state?: string
  access?: string
  refresh?: string
}

export async function startLegacySignInApp(t: Test, o: LegacyAppOptions): Promise<string> {
  const sessions = new Map<string, Session>()
  let origin = ''
  /** A call to Whop; no answer within 2 s is status 0. */
  const whop = (method: string, url: string, options: Parameters<typeof call>[2]) =>
    call(method, url, { ...options, timeoutMs: 2000 }).catch(() => ({ status: 0, body: {} as Record<string, string> }))
  const token = (body: Record<string, string>) =>
    whop('POST', `${o.mockUrl}${o.tokenPath}`, { json: { client_id: o.clientId, client_secret: o.secret, ...body } })
  const routes: Record<string, (session: Session, url: URL) => Promise<[number, unknown, Record<string, string>?]>> = {
    async '/login'(session) {
      session.state = randomUUID()
      const query = new URLSearchParams({
        client_id: o.clientId,
        response_type: 'code',
        scope: 'read_user',
        state: session.state,
        redirect_uri: `${origin}/cb`,
      })
      const authorizeUrl = o.authorizeUrl ?? `${o.mockUrl}/oauth/`
      if (o.byScript === true) return [200, scriptStartPage(authorizeUrl, query), { 'content-type': 'text/html; charset=utf-8' }]
      return [302, {}, { location: `${authorizeUrl}?${query}` }]
    },
    async '/cb'(session, url) {
      const expected = session.state
      delete session.state
      if (url.searchParams.get('error') !== null || expected === undefined || url.searchParams.get('state') !== expected)
        return [400, { error: 'sign-in failed' }]
      const res = await token({ grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '', redirect_uri: `${origin}/cb` })
      if (res.status !== 200) return [400, { error: 'sign-in failed' }]
      Object.assign(session, { access: res.body.access_token, refresh: res.body.refresh_token })
      return [302, {}, { location: '/' }]
    },
    async '/me'(session) {
      if (session.access === undefined) return [401, { error: 'sign in' }]
      let me = await whop('GET', `${o.mockUrl}/v5/me`, { headers: bearer(session.access) })
      if (me.status === 401 && session.refresh !== undefined) {
        const res = await token({ grant_type: 'refresh_token', refresh_token: session.refresh })
        if (res.status === 200) {
          Object.assign(session, { access: res.body.access_token, refresh: res.body.refresh_token })
          me = await whop('GET', `${o.mockUrl}/v5/me`, { headers: bearer(session.access!) })
        }
      }
      if (me.status !== 200) delete session.access
      return me.status === 200 ? [200, { id: me.body.id, username: me.body.username }] : [401, { error: 'sign in' }]
    },
    async '/'() {
      return [200, { status: 'ok' }]
    },
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    let id = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (id === undefined || !sessions.has(id)) sessions.set((id = randomUUID()), {})
    const route = routes[url.pathname]
    const reply = ([status, body, headers]: [number, unknown, Record<string, string>?]) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'set-cookie': `sid=${id}; Path=/; HttpOnly`, ...headers })
        .end(typeof body === 'string' ? body : JSON.stringify(body))
    if (route === undefined) reply([404, {}])
    else route(sessions.get(id!)!, url).then(reply, () => reply([500, {}]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return origin
}
