/**
 * The preload's rewrites, installed in this process against a real mock on loopback: every way
 * of calling node:http(s) `request`/`get` and undici's global dispatcher reaches the mock for a
 * Whop URL (path kept, a tenant's base path added, the caller's Host and agent dropped), and
 * anything else goes where it was sent.
 * @see docs/whop-reference.md §1
 */
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import t from 'tap'
import { request as undiciRequest } from 'undici'
import { installNodeHttpReroute } from '../src/intercept/node-http-reroute.js'
import { installUndiciReroute } from '../src/intercept/undici-reroute.js'
import { mockTarget } from '../src/intercept/target.js'
import { startMock } from './helpers/start-mock.js'

const mock = await startMock(t)
// The rewrites go to a tenant, so each test also sees the base path added.
installNodeHttpReroute(mockTarget(`${mock.url}/t/rewrites/`))
installUndiciReroute(mockTarget(`${mock.url}/t/rewrites/`))

const statusOf = (start: (done: (res: IncomingMessage) => void) => http.ClientRequest) =>
  new Promise<number>((resolve, reject) => {
    const req = start((res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
  })

/** The tenant's journal, as [path, original_url] pairs, emptied after reading. */
async function tenantJournal(): Promise<[string, string | null][]> {
  const res = await fetch(`${mock.url}/t/rewrites/_mock/journal`)
  const body = (await res.json()) as { entries: { path: string; original_url: string | null }[] }
  await fetch(`${mock.url}/t/rewrites/_mock/journal`, { method: 'DELETE' })
  return body.entries.map((e) => [e.path, e.original_url])
}

t.test('each calling form of node:http(s) reaches the mock for a Whop URL', async (t) => {
  const tlsAgent = new https.Agent({ keepAlive: true })
  t.teardown(() => tlsAgent.destroy())
  t.equal(await statusOf((done) => http.get('http://api.whop.com/.well-known/jwks.json', done)), 200, 'get(url string)')
  t.equal(
    await statusOf((done) => https.request(new URL('https://api.whop.com/v5/me'), { method: 'GET' }, done).end()),
    401,
    'request(URL, options, callback)',
  )
  t.equal(
    await statusOf((done) =>
      https
        .request(
          {
            host: 'sandbox-api.whop.com',
            port: 443,
            path: '/.well-known/openid-configuration',
            agent: tlsAgent,
            headers: { Host: 'sandbox-api.whop.com' },
          },
          done,
        )
        .end(),
    ),
    200,
    "request(options) with an https agent and a Host header naming Whop: both give way to the mock's",
  )
  t.equal(await statusOf((done) => https.get({ hostname: 'whop.com', path: '/oauth?client_id=app_unknown' }, done)), 400, 'get(options)')
  t.same(await tenantJournal(), [
    ['/.well-known/jwks.json', 'http://api.whop.com/.well-known/jwks.json'],
    ['/v5/me', 'https://api.whop.com/v5/me'],
    ['/.well-known/openid-configuration', 'https://sandbox-api.whop.com/.well-known/openid-configuration'],
    ['/oauth', 'https://whop.com/oauth?client_id=app_unknown'],
  ])
})

t.test("undici's request on the global dispatcher reaches the mock for a Whop URL", async (t) => {
  const res = await undiciRequest('https://data.whop.com/.well-known/jwks.json')
  await res.body.dump()
  t.equal(res.statusCode, 200)
  t.same(await tenantJournal(), [['/.well-known/jwks.json', 'https://data.whop.com/.well-known/jwks.json']])
})

t.test('requests to other hosts go where they were sent', async (t) => {
  t.equal(await statusOf((done) => http.get(`${mock.url}/.well-known/jwks.json`, done)), 200)
  const direct = await undiciRequest(`${mock.url}/.well-known/jwks.json`)
  await direct.body.dump()
  t.same(
    (await mock.context.journal.entries()).map((e) => [e.path, e.original_url]),
    [
      ['/.well-known/jwks.json', null],
      ['/.well-known/jwks.json', null],
    ],
    'the default tenant got them, as sent',
  )
  t.same(await tenantJournal(), [])
})
