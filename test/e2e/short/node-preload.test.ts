/**
 * The Node preload: an app run with `--import whop-auth-mock/register` and Whop's hosts hard-coded
 * reaches the mock at WHOP_MOCK_URL (or one the preload starts in-process) through fetch,
 * node:https and node:http, with @whop/sdk and @whop/api at their default URLs; each rerouted
 * request is in the mock's journal with its original URL; other hosts are untouched; it refuses
 * to run under NODE_ENV=production unless forced.
 * @see docs/whop-reference.md §1
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { startMock } from '../../helpers/start-mock.js'
import { acme, appKey, companyKey, confidentialApp, jane } from '../../helpers/fixtures.js'
import { runApp } from '../../helpers/preload.js'
import { call } from '../../helpers/http.js'
import type { JournalEntry } from '../../../src/state/journal.js'

/** A server on another host (loopback by IP), recording the requests it gets. */
async function otherHost(t: Test): Promise<{ url: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = []
  const server = http.createServer((req, res) => {
    seen.push({ ...req.headers, path: req.url })
    res.end(`other host ${req.url}`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const mintEnv = { APP_API_KEY: companyKey.key, COMPANY_ID: acme.id }

t.test('fetch, node:https and node:http calls to Whop hosts reach the mock, each journaled with its original URL', async (t) => {
  const mock = await startMock(t)
  const other = await otherHost(t)
  const run = await runApp(t, 'plain-clients.mjs', { env: { ...mintEnv, WHOP_MOCK_URL: mock.url, OTHER_URL: other.url } })
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stderr, '', 'nothing on stderr when WHOP_MOCK_URL is given')
  const results = JSON.parse(run.stdout)
  t.equal(results.fetchMint.status, 200)
  t.match(JSON.parse(results.fetchMint.body), { token: String })
  t.equal(results.httpsRequest.status, 401, 'https.request, with a Host header naming Whop, is answered by the mock')
  t.match(JSON.parse(results.httpGet.body), { keys: [{ kty: 'EC' }] })
  t.match(JSON.parse(results.namedHttpsGet.body), { jwks_uri: String }, "a named import's get is rerouted too")
  t.equal(results.legacyPage.status, 400, "whop.com's /oauth page is the mock's")
  t.same(
    (await mock.context.journal.entries()).map((e) => [e.path, e.original_url]),
    [
      ['/api/v1/access_tokens', 'https://api.whop.com/api/v1/access_tokens'],
      ['/v5/me', 'https://api.whop.com/v5/me'],
      ['/.well-known/jwks.json', 'http://api.whop.com/.well-known/jwks.json'],
      ['/.well-known/openid-configuration', 'https://sandbox-api.whop.com/.well-known/openid-configuration'],
      ['/oauth/', 'https://whop.com/oauth/?client_id=app_unknown&response_type=code'],
    ],
  )
  t.same(results.otherFetch, { status: 200, body: 'other host /fetch' })
  t.same(results.otherHttpGet, { status: 200, body: 'other host /http' })
  t.same(
    other.seen.map((h) => [h.path, h.host, h['x-whop-mock-original-url']]),
    [
      ['/fetch', other.url.slice('http://'.length), undefined],
      ['/http', other.url.slice('http://'.length), undefined],
    ],
    'requests to other hosts go where they were sent, unchanged',
  )
})

t.test('@whop/sdk with no base URL mints at the mock, and a 404 from it surfaces as NotFoundError', async (t) => {
  const mock = await startMock(t)
  const run = await runApp(t, 'whop-sdk.mjs', { env: { ...mintEnv, WHOP_MOCK_URL: mock.url } })
  t.equal(run.code, 0, run.stderr)
  t.same(JSON.parse(run.stdout), {
    baseURL: 'https://api.whop.com/api/v1',
    token: 'string',
    refused: { name: 'NotFoundError', status: 404 },
  })
  t.same(
    (await mock.context.journal.entries()).map((e) => [e.status, e.original_url]),
    [
      [200, 'https://api.whop.com/api/v1/access_tokens'],
      [404, 'https://api.whop.com/api/v1/access_tokens'],
    ],
  )
})

t.test("@whop/api's fixed whop.com/oauth page, exchangeCode and the v5 read all reach the mock", async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const redirectUri = confidentialApp.redirect_uris[0]!
  const env = { APP_ID: confidentialApp.id, APP_SECRET: appKey.key, REDIRECT_URI: redirectUri, LOGIN_HINT: jane.username }
  const run = await runApp(t, 'whop-api.mjs', { env: { ...env, WHOP_MOCK_URL: mock.url } })
  t.equal(run.code, 0, run.stderr)
  const result = JSON.parse(run.stdout)
  t.match(result, { page: 302, exchanged: true, me: { id: jane.id, username: jane.username } })
  t.ok(result.authorizeUrl.startsWith('https://whop.com/oauth/?'), 'the app asked for the real authorize URL')
  t.same(
    (await mock.context.journal.entries()).map((e) => [e.path, e.original_url?.split('?')[0]]),
    [
      ['/oauth/', 'https://whop.com/oauth/'],
      ['/api/oauth/token', 'https://api.whop.com/api/oauth/token'],
      ['/api/v5/me', 'https://api.whop.com/api/v5/me'],
    ],
  )
})

t.test("WHOP_MOCK_URL with a tenant's path sends the requests to that tenant", async (t) => {
  const mock = await startMock(t)
  const run = await runApp(t, 'whop-sdk.mjs', { env: { ...mintEnv, WHOP_MOCK_URL: `${mock.url}/t/preload` } })
  t.equal(run.code, 0, run.stderr)
  t.same(await mock.context.journal.entries(), [], 'nothing reached the default tenant')
  const journal = await call('GET', `${mock.url}/t/preload/_mock/journal`)
  t.same(
    journal.body.entries.map((e: JournalEntry) => [e.path, e.original_url]),
    [
      ['/api/v1/access_tokens', 'https://api.whop.com/api/v1/access_tokens'],
      ['/api/v1/access_tokens', 'https://api.whop.com/api/v1/access_tokens'],
    ],
  )
})

for (const viaNodeOptions of [false, true]) {
  t.test(
    `without WHOP_MOCK_URL the preload (${viaNodeOptions ? 'in NODE_OPTIONS' : 'with --import'}) starts a mock in-process, names it on stderr, and the app still exits`,
    async (t) => {
      const run = await runApp(t, 'in-process.mjs', { env: mintEnv, viaNodeOptions })
      t.equal(run.code, 0, run.stderr)
      const result = JSON.parse(run.stdout)
      t.match(result.mockUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      t.equal(
        run.stderr,
        `whop-auth-mock/register: Whop's hosts go to ${result.mockUrl} (a mock in this process; set WHOP_MOCK_URL to use another)\n`,
      )
      t.equal(result.mint, 200)
      t.match(result.journal, [{ path: '/api/v1/access_tokens', status: 200, original_url: 'https://api.whop.com/api/v1/access_tokens' }])
    },
  )
}

t.test('under NODE_ENV=production the preload refuses to run, and says so, unless WHOP_MOCK_FORCE=1', async (t) => {
  const refused = await runApp(t, 'says-ran.mjs', { env: { NODE_ENV: 'production', WHOP_MOCK_URL: 'http://127.0.0.1:9' } })
  t.equal(refused.code, 1)
  t.equal(refused.stdout, '', 'the app did not run')
  t.match(refused.stderr, /refusing to reroute Whop's hosts .* NODE_ENV is production; set WHOP_MOCK_FORCE=1/)
  const forced = await runApp(t, 'says-ran.mjs', {
    env: { NODE_ENV: 'production', WHOP_MOCK_FORCE: '1', WHOP_MOCK_URL: 'http://127.0.0.1:9' },
  })
  t.equal(forced.code, 0)
  t.equal(forced.stdout, 'ran')
  t.match(forced.stderr, /WARNING: NODE_ENV is production and WHOP_MOCK_FORCE=1/)
})

t.test('a WHOP_MOCK_URL that is not an http(s) origin stops the app with one line saying why', async (t) => {
  const run = await runApp(t, 'says-ran.mjs', { env: { WHOP_MOCK_URL: 'ftp://127.0.0.1:21' } })
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.equal(run.stderr, 'whop-auth-mock/register: WHOP_MOCK_URL: the mock URL must be http or https, got ftp://127.0.0.1:21\n')
})
