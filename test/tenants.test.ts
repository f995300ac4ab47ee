/**
 * Tenants by path: `/t/{tenant}/…` serves every route in its own world, with its own issuer,
 * and nothing of one tenant (tokens, clock, faults, journal, settings, sessions) reaches another.
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, confidentialApp, jane, publicApp } from './helpers/fixtures.js'
import { autoApprovedSignIn, exchangeCurrent, getNoFollow, pkce } from './helpers/oauth.js'
import { signInUrl } from './helpers/sign-in.js'

const tenantUrl = (mock: TestMock, name: string) => `${mock.url}/t/${name}`

/** An OAuth login in the world at `base` (auto-approve on there): its token answer. */
const signedIn = (base: string) => autoApprovedSignIn(base, { scope: 'openid profile' })

const mintV1 = (base: string) =>
  call('POST', `${base}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id, user_id: jane.id } })

t.test("a tenant's discovery document, issuer and JWKS URL carry its prefix; the key is the server's", async (t) => {
  const mock = await startMock(t)
  const base = tenantUrl(mock, 'ci-worker-3')
  const doc = await call('GET', `${base}/.well-known/openid-configuration`)
  t.equal(doc.status, 200)
  t.equal(doc.body.issuer, base)
  t.equal(doc.body.token_endpoint, `${base}/oauth/token`)
  t.equal(doc.body.authorization_endpoint, `${base}/oauth/authorize`)
  t.equal(doc.body.jwks_uri, `${base}/.well-known/jwks.json`)
  const root = await call('GET', `${mock.url}/.well-known/openid-configuration`)
  t.equal(root.body.issuer, mock.url, 'the default tenant is unchanged')
  const jwks = await call('GET', doc.body.jwks_uri)
  t.strictSame(jwks.body, (await call('GET', `${mock.url}/.well-known/jwks.json`)).body, 'one key for all tenants by default')
  t.match((await call('GET', `${base}/_mock/health`)).body, { issuer: base, base_url: base })
})

t.test('tokens of one tenant are refused by every other, and by the default tenant', async (t) => {
  const mock = await startMock(t)
  const a = tenantUrl(mock, 'a')
  const b = tenantUrl(mock, 'b')
  const oauth = await signedIn(a)
  t.equal(decodeJwt(oauth.access_token).iss, a)
  t.equal((await call('GET', `${a}/oauth/userinfo`, { headers: bearer(oauth.access_token) })).status, 200)
  t.equal((await call('GET', `${b}/oauth/userinfo`, { headers: bearer(oauth.access_token) })).status, 401)
  t.equal((await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(oauth.access_token) })).status, 401)
  const refresh = { grant_type: 'refresh_token', refresh_token: oauth.refresh_token, client_id: publicApp.id }
  t.match(await exchangeCurrent(b, refresh), { status: 400, body: { error: 'invalid_grant' } }, "another tenant's refresh token is unknown")

  const v1 = await mintV1(a)
  t.equal(v1.status, 200)
  t.equal((await call('GET', `${a}/api/v1/users/me`, { headers: bearer(v1.body.token) })).status, 200)
  t.equal((await call('GET', `${b}/api/v1/users/me`, { headers: bearer(v1.body.token) })).status, 401)
  const rootToken = (await mintV1(mock.url)).body.token
  t.equal((await call('GET', `${a}/api/v1/users/me`, { headers: bearer(rootToken) })).status, 401, "the default tenant's too")
})

t.test("embedded-app user tokens are bound to their tenant though their issuer is Whop's fixed one", async (t) => {
  const mock = await startMock(t)
  const mint = (base: string) => call('POST', `${base}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: confidentialApp.id } })
  const inA = (await mint(tenantUrl(mock, 'a'))).body.token
  const inRoot = (await mint(mock.url)).body.token
  t.equal(decodeJwt(inA).iss, 'urn:whopcom:exp-proxy')
  t.equal((await call('GET', `${tenantUrl(mock, 'a')}/v5/me`, { headers: bearer(inA) })).status, 200)
  t.equal((await call('GET', `${tenantUrl(mock, 'b')}/v5/me`, { headers: bearer(inA) })).status, 401)
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(inA) })).status, 401)
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(inRoot) })).status, 200)
  t.equal((await call('GET', `${tenantUrl(mock, 'a')}/v5/me`, { headers: bearer(inRoot) })).status, 401)
})

t.test('clock, faults, journal, settings and reset act on one tenant only', async (t) => {
  const mock = await startMock(t)
  const a = tenantUrl(mock, 'a')
  const b = tenantUrl(mock, 'b')
  await call('POST', `${a}/_mock/clock`, { json: { advance_seconds: 3600 } })
  t.equal((await call('GET', `${a}/_mock/clock`)).body.offset_seconds, 3600)
  t.equal((await call('GET', `${b}/_mock/clock`)).body.offset_seconds, 0)
  t.equal(mock.context.clock.offsetSeconds, 0)

  await call('POST', `${a}/_mock/faults`, { json: { path: '/api/v1/access_tokens', status: 503, times: 5 } })
  t.equal((await mintV1(b)).status, 200, 'b has no fault')
  t.equal((await mintV1(mock.url)).status, 200, 'nor has the default tenant')
  t.equal((await mintV1(a)).status, 503, 'a fault path is the path within the tenant')
  t.equal((await call('GET', `${a}/_mock/faults`)).body.faults.length, 1)

  const journalOf = async (base: string) => (await call('GET', `${base}/_mock/journal`)).body.entries as { path: string; status: number }[]
  t.strictSame(
    (await journalOf(a)).map((e) => [e.path, e.status]),
    [['/api/v1/access_tokens', 503]],
  )
  t.strictSame(
    (await journalOf(b)).map((e) => [e.path, e.status]),
    [['/api/v1/access_tokens', 200]],
  )
  t.equal(
    (await mock.context.journal.entries({ path: '/api/v1/access_tokens' })).length,
    1,
    "the default tenant's journal has its own call only",
  )

  await call('POST', `${a}/_mock/settings`, { json: { auto_approve: true } })
  t.equal((await call('GET', `${b}/_mock/settings`)).body.auto_approve, false)

  t.equal((await call('POST', `${a}/_mock/reset`)).status, 204)
  t.equal((await call('GET', `${a}/_mock/clock`)).body.offset_seconds, 0, 'reset a')
  t.strictSame(await journalOf(a), [])
  t.equal((await journalOf(b)).length, 1, 'b is untouched by the reset of a')
})

t.test("a tenant's sign-in page posts to its own path and scopes its cookies to it", async (t) => {
  const mock = await startMock(t)
  const base = tenantUrl(mock, 'browser-1')
  const page = await getNoFollow(signInUrl(base, { pkce: pkce(), state: 'xyz' }))
  t.equal(page.status, 200)
  t.match(page.text, 'action="/t/browser-1/oauth/authorize"')
  t.match(String(page.headers['set-cookie']), /Path=\/t\/browser-1\/oauth;/)
  const root = await getNoFollow(signInUrl(mock.url, { pkce: pkce(), state: 'xyz' }))
  t.match(root.text, 'action="/oauth/authorize"')
  t.match(String(root.headers['set-cookie']), /Path=\/oauth;/)
})

t.test('a bad tenant name is a 400 in the control envelope, whichever route it prefixes', async (t) => {
  const mock = await startMock(t)
  for (const name of ['bad.name', 'x'.repeat(65), 'sp%20ace', '%C3%A9t%C3%A9', 'a+b']) {
    const res = await call('POST', `${mock.url}/t/${name}/oauth/token`, { json: {} })
    t.equal(res.status, 400, name)
    t.equal(res.body.error.code, 'parameter_invalid')
    t.equal(res.body.error.param, 'tenant')
    t.match(res.body.error.message, /A-Z, a-z, 0-9/)
  }
  t.equal((await call('GET', `${mock.url}/_mock/tenants`)).body.tenants.length, 0, 'none was created')
})

t.test('a stray path under a tenant is a 404 in its family and creates no tenant', async (t) => {
  const mock = await startMock(t)
  const res = await call('GET', `${mock.url}/t/ghost/api/v1/nothing-here`)
  t.equal(res.status, 404)
  t.equal(res.body.error.type, 'not_found', 'the v1 family, judged by the path within the tenant')
  t.equal((await call('GET', `${mock.url}/_mock/tenants`)).body.tenants.length, 0)
})

t.test('with keyPerTenant, each tenant signs with its own key and refuses the others', async (t) => {
  const mock = await startMock(t, { keyPerTenant: true })
  const a = tenantUrl(mock, 'a')
  const b = tenantUrl(mock, 'b')
  const keys = async (base: string) => (await call('GET', `${base}/.well-known/jwks.json`)).body.keys.map((k: { kid: string }) => k.kid)
  const [ka, kb, root] = [await keys(a), await keys(b), await keys(mock.url)]
  t.equal(new Set([ka[0], kb[0], root[0]]).size, 3, 'three different keys')
  t.equal((await keys(a))[0], ka[0], "a tenant's key is stable")
  const inA = (await call('POST', `${a}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: confidentialApp.id } })).body.token
  t.equal((await call('GET', `${a}/v5/me`, { headers: bearer(inA) })).status, 200)
  t.equal((await call('GET', `${b}/v5/me`, { headers: bearer(inA) })).status, 401)
})
