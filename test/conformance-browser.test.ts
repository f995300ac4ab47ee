/**
 * The simulated browser the runner drives apps with: one cookie jar per simulated user, kept
 * by domain and path (RFC 6265), and redirects followed as fetch follows them, or stopped
 * before a chosen one so a case can inspect it.
 */
import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Browser } from '../src/conformance/browser.js'
import { CookieJar, parseSetCookie } from '../src/conformance/cookie-jar.js'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

/** A throwaway site on a free port; `origin` uses 127.0.0.1, `otherHost` the same port on localhost. */
async function site(t: Test, routes: Record<string, Handler>) {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      const handler = routes[new URL(req.url!, 'http://x').pathname]
      if (handler === undefined) res.writeHead(404).end()
      else handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, otherHost: `http://localhost:${port}` }
}

const redirect =
  (status: number, location: string, cookies: string[] = []): Handler =>
  (_req, res) =>
    res.writeHead(status, { location, 'set-cookie': cookies }).end()
const echo: Handler = (req, res, body) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      method: req.method,
      url: req.url,
      cookie: req.headers.cookie ?? null,
      body,
      user: req.headers['x-demo-user'] ?? null,
    }),
  )
const clock = () => 1_000_000

t.test('a cookie set while following a redirect is sent on the next hop, and each simulated user has its own jar', async (t) => {
  const { origin } = await site(t, { '/login': redirect(302, '/home', ['session=abc; Path=/; HttpOnly']), '/home': echo })
  const jane = new Browser({ name: 'jane', clock })
  const sam = new Browser({ name: 'sam', clock })
  const res = await jane.request('GET', `${origin}/login`)
  t.equal(res.status, 200)
  t.match(JSON.parse(res.body), { url: '/home', cookie: 'session=abc' })
  t.same(
    res.hops.map((h) => [h.status, new URL(h.url).pathname]),
    [
      [302, '/login'],
      [200, '/home'],
    ],
  )
  t.match(JSON.parse((await sam.request('GET', `${origin}/home`)).body), { cookie: null })
})

t.test('a 303 (and a 302 after a POST) becomes a GET without the body; a 307 keeps the method and body', async (t) => {
  const { origin } = await site(t, {
    '/see-other': redirect(303, '/echo'),
    '/found': redirect(302, '/echo'),
    '/temporary': redirect(307, '/echo'),
    '/echo': echo,
  })
  const browser = new Browser({ name: 'u', clock })
  const post = (path: string) =>
    browser.request('POST', `${origin}${path}`, { headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
  t.match(JSON.parse((await post('/see-other')).body), { method: 'GET', body: '' })
  t.match(JSON.parse((await post('/found')).body), { method: 'GET', body: '' })
  t.match(JSON.parse((await post('/temporary')).body), { method: 'POST', body: '{"a":1}' })
})

t.test('follow can stop before a redirect so a case inspects it; false stops before any', async (t) => {
  const toOtherHost: Handler = (req, res) =>
    res.writeHead(302, { location: `http://localhost:${req.socket.localPort}/echo?state=xyz` }).end()
  const { origin, otherHost } = await site(t, { '/start': toOtherHost, '/echo': echo })
  const browser = new Browser({ name: 'u', clock })
  const stopped = await browser.request('GET', `${origin}/start`, { follow: (next) => next.hostname !== 'localhost' })
  t.equal(stopped.status, 302)
  t.equal(stopped.headers.location, `${otherHost}/echo?state=xyz`)
  t.equal((await browser.request('GET', `${origin}/start`, { follow: false })).status, 302)
  t.equal((await browser.request('GET', `${origin}/start`)).status, 200)
})

t.test('host-only cookies stay on their host, Path limits them, and Max-Age=0 deletes one', async (t) => {
  const { origin, otherHost } = await site(t, {
    '/set': (_req, res) => res.writeHead(200, { 'set-cookie': ['host=1', 'scoped=2; Path=/app', 'gone=3'] }).end(),
    '/logout': (_req, res) => res.writeHead(200, { 'set-cookie': ['gone=; Max-Age=0'] }).end(),
    '/app/page': echo,
    '/other': echo,
  })
  const browser = new Browser({ name: 'u', clock })
  await browser.request('GET', `${origin}/set`)
  t.equal(JSON.parse((await browser.request('GET', `${origin}/app/page`)).body).cookie, 'scoped=2; host=1; gone=3')
  t.equal(JSON.parse((await browser.request('GET', `${origin}/other`)).body).cookie, 'host=1; gone=3')
  t.equal(JSON.parse((await browser.request('GET', `${otherHost}/other`)).body).cookie, null)
  await browser.request('GET', `${origin}/logout`)
  t.equal(JSON.parse((await browser.request('GET', `${origin}/other`)).body).cookie, 'host=1')
})

t.test("sign-in headers go only to their origin; sign-in cookies are put in the jar for the app's host", async (t) => {
  const { origin, otherHost } = await site(t, { '/echo': echo })
  const browser = new Browser({ name: 'sam', clock, originHeaders: { [origin]: { 'x-demo-user': 'sam' } } })
  browser.jar.put(new URL(origin), 'demo_user', 'sam')
  t.match(JSON.parse((await browser.request('GET', `${origin}/echo`)).body), { user: 'sam', cookie: 'demo_user=sam' })
  t.match(JSON.parse((await browser.request('GET', `${otherHost}/echo`)).body), { user: null, cookie: null })
})

t.test('an app that never answers gives status 0 and timedOut, not a hang; a redirect loop stops after 20 hops', async (t) => {
  const { origin } = await site(t, { '/hang': () => {}, '/loop': redirect(302, '/loop') })
  const browser = new Browser({ name: 'u', clock })
  const hung = await browser.request('GET', `${origin}/hang`, { timeoutMs: 200 })
  t.match(hung, { status: 0, timedOut: true, error: /no answer within 200 ms/ })
  const loop = await browser.request('GET', `${origin}/loop`)
  t.equal(loop.hops.length, 20)
  t.equal(loop.status, 302)
})

t.test('cookie expiry follows the clock the jar is given: Max-Age counts from it and wins over Expires', async (t) => {
  const url = new URL('http://app.test/a/b')
  t.match(parseSetCookie('sid=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT', url, 5_000), {
    expiresAt: 65_000,
    path: '/a',
    hostOnly: true,
  })
  t.equal(parseSetCookie('sid=1; Domain=evil.test', url, 0), null, 'a Domain the host does not belong to is ignored')
  t.match(parseSetCookie('sid=1; Domain=.app.test; Secure', new URL('https://www.app.test/'), 0), {
    domain: 'app.test',
    hostOnly: false,
    secure: true,
  })
  const jar = new CookieJar()
  jar.receive(['sid=1; Max-Age=60'], url, 0)
  t.equal(jar.header(url, 59_999), 'sid=1')
  t.equal(jar.header(url, 60_000), null)
  jar.receive(['s=1; Secure'], url, 0)
  t.equal(jar.header(url, 0), null, 'a Secure cookie is not sent over http')
})
