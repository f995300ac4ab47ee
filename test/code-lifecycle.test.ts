/**
 * Authorization codes are random, single-use, bound to what the authorize request said, and
 * expire 300 s after issue on the mock clock; a replay revokes everything the first exchange gave.
 * @see docs/whop-reference.md §6 items 1-3 [D S2, D-OAUTH]
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, publicApp } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce } from './helpers/oauth.js'

async function issued(mockUrl: string) {
  const pair = pkce()
  const code = await codeFor(mockUrl, { pkce: pair, scope: 'openid profile' })
  const exchange = () =>
    exchangeCurrent(mockUrl, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: publicApp.redirect_uris[0]!,
      client_id: publicApp.id,
      code_verifier: pair.verifier,
    })
  return { code, exchange }
}

t.test('codes are random and distinct', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const codes = new Set<string>()
  for (let i = 0; i < 20; i++) codes.add(await codeFor(mock.url, { pkce: pkce() }))
  t.equal(codes.size, 20)
  for (const code of codes) t.match(code, /^[A-Za-z0-9_-]{32}$/)
})

t.test('a code still works at 299 s and has expired at 301 s: "Authorization code has expired"', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const early = await issued(mock.url)
  const late = await issued(mock.url)
  mock.context.clock.advance(299)
  t.equal((await early.exchange()).status, 200)
  mock.context.clock.advance(2)
  const res = await late.exchange()
  t.equal(res.status, 400)
  t.same(res.body, { error: 'invalid_grant', error_description: 'Authorization code has expired' })
})

t.test('expiry follows the clock moved through the control API', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await issued(mock.url)
  await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 301 } })
  t.match(await code.exchange(), { status: 400, body: { error_description: 'Authorization code has expired' } })
})

t.test('a replayed code is invalid_grant and revokes every token of its first exchange', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await issued(mock.url)
  const first = await code.exchange()
  t.equal(first.status, 200)
  const { access_token, refresh_token } = first.body
  t.equal((await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(access_token) })).status, 200, 'works before the replay')
  const replay = await code.exchange()
  t.same(replay.body, { error: 'invalid_grant', error_description: 'Authorization code has already been used' })
  t.equal(replay.status, 400)
  t.match(await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(access_token) }), {
    status: 401,
    body: { error: 'invalid_token' },
  })
  t.match(await call('GET', `${mock.url}/v5/me`, { headers: bearer(access_token) }), { status: 401 })
  t.match(await call('GET', `${mock.url}/api/v1/users/me`, { headers: bearer(access_token) }), { status: 401 })
  t.match(await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(access_token), json: { company_id: acme.id } }), {
    status: 401,
  })
  const refreshed = await exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token, client_id: publicApp.id })
  t.match(refreshed, { status: 400, body: { error: 'invalid_grant' } }, 'the refresh token died too')
})

t.test('a replay also revokes tokens obtained by refreshing after the first exchange', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await issued(mock.url)
  const first = await code.exchange()
  t.equal(first.status, 200, 'the first exchange worked')
  const refreshed = await exchangeCurrent(mock.url, {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token,
    client_id: publicApp.id,
  })
  t.equal(refreshed.status, 200, 'the refresh worked')
  t.equal(
    (await call('GET', `${mock.url}/v5/me`, { headers: bearer(refreshed.body.access_token) })).status,
    200,
    'the refreshed token works before the replay',
  )
  t.equal((await code.exchange()).status, 400, 'the replay')
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(refreshed.body.access_token) })).status, 401)
  t.equal(
    (await exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: publicApp.id }))
      .status,
    400,
  )
})

t.test('a replay revokes only its own grant: other sign-ins keep working', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const mine = await issued(mock.url)
  const other = await issued(mock.url)
  await mine.exchange()
  const theirs = await other.exchange()
  await mine.exchange()
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(theirs.body.access_token) })).status, 200)
})

t.test('of concurrent exchanges of one code exactly one succeeds', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (let round = 0; round < 5; round++) {
    const code = await issued(mock.url)
    const results = await Promise.all(Array.from({ length: 8 }, () => code.exchange()))
    const statuses = results.map((r) => r.status).sort()
    t.same(statuses, [200, 400, 400, 400, 400, 400, 400, 400], `round ${round}`)
  }
})

t.test('an API key is not an OAuth token: userinfo refuses it', async (t) => {
  const mock = await startMock(t)
  t.match(await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(companyKey.key) }), {
    status: 401,
    body: { error: 'invalid_token' },
  })
})
