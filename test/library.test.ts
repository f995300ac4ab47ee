/**
 * `import { startMockServer } from 'whop-auth-mock'`: starts a mock in-process (port 0 allowed)
 * and returns its URL, ready-to-paste settings, typed helpers for reset, clock, journal and
 * faults, and close().
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { startMockServer } from '../src/index.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey } from './helpers/fixtures.js'

t.test('startMockServer on port 0 listens on loopback and reports its URL and settings', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.publicUrl, mock.url)
  t.equal(mock.issuer, mock.url)
  t.same(mock.env, {
    WHOP_BASE_URL: `${mock.url}/api/v1`,
    WHOP_API_KEY: companyKey.key,
    WHOP_USER_TOKEN_JWKS_URL: `${mock.url}/.well-known/jwks.json`,
  })
  t.equal((await call('GET', `${mock.url}/_mock/health`)).status, 200)
})

t.test('the clock helpers move every expiry', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  mock.advanceClock(7200)
  t.ok(Math.abs(mock.now().getTime() - Date.now() - 7_200_000) < 1000)
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })
  t.ok(decodeJwt(res.body.token).iat! * 1000 > Date.now() + 7_000_000, 'iat is on the mock clock')
  mock.setClock(new Date('2031-01-01T00:00:00Z'))
  t.equal(mock.now().getUTCFullYear(), 2031)
})

t.test('journal, faults and reset helpers drive the same state as the control API', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const fault = mock.addFault({ path: '/api/v1/access_tokens', status: 429 })
  t.match(fault, { id: Number, status: 429, remaining: 1 })
  t.equal(
    (await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })).status,
    429,
  )
  t.match(mock.journal({ path: '/api/v1/access_tokens' }), [{ status: 429, fault: true }])
  mock.clearJournal()
  t.same(mock.journal(), [])
  mock.addFault({ path: '/x', status: 500 })
  mock.clearFaults()
  t.same((await call('GET', `${mock.url}/_mock/faults`)).body.faults, [])
  mock.advanceClock(60)
  mock.reset()
  t.ok(Math.abs(mock.now().getTime() - Date.now()) < 1000)
  t.equal(mock.fixtures().api_keys[0]!.key, companyKey.key)
})

t.test('close() releases the port so another mock can take it', async (t) => {
  const first = await startMockServer({ port: 0 })
  const port = Number(new URL(first.url).port)
  await first.close()
  const second = await startMockServer({ port })
  t.teardown(() => second.close())
  t.equal(second.url, first.url)
})

t.test('bad options are refused before anything listens', async (t) => {
  await t.rejects(startMockServer({ port: 70000 }), /port must be an integer/)
  await t.rejects(startMockServer({ issuer: 'api.whop.com' }), /issuer must be an absolute URL/)
  await t.rejects(startMockServer({ journalSize: 0 }), /journalSize/)
  await t.rejects(startMockServer({ logLevel: 'loud' as 'info' }), /logLevel must be one of/)
})

t.test('setStrictScopes turns an unknown well-formed scope into invalid_scope', async (t) => {
  const { startMockServer } = await import('../src/index.js')
  const { currentAuthorizeQuery, getNoFollow } = await import('./helpers/oauth.js')
  const mock = await startMockServer({ port: 0, autoApprove: true })
  t.teardown(() => mock.close())
  const query = () => currentAuthorizeQuery({ scope: 'openid widget:frob' })
  t.ok((await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)).location!.searchParams.get('code'), 'granted by default')
  mock.setStrictScopes(true)
  t.equal((await getNoFollow(`${mock.url}/oauth/authorize?${query()}`)).location!.searchParams.get('error'), 'invalid_scope')
})
