/**
 * What a token's revocation takes with it (RFC 9700 §4.14.2, Whop's "replay revokes" rule):
 * a rotated-out refresh token presented again revokes its whole grant, unless the setting is off;
 * revoking a grant revokes the v1 tokens minted with its tokens; and a v1 token minted with a
 * token as Bearer never outlives that token.
 */
import t, { type Test } from 'tap'
import { decodeJwt } from 'jose'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce, publicApp } from './helpers/oauth.js'

const mint = (url: string, credential: string, body: unknown = {}) =>
  call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(credential), json: body })

/** A fresh grant through the current flow: the code, and the tokens its exchange gave. */
async function signIn(url: string): Promise<{ code: string; verifier: string; access: string; refresh: string }> {
  const pair = pkce()
  const code = await codeFor(url, { pkce: pair })
  const res = await exchangeCurrent(url, {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: pair.verifier,
  })
  if (res.status !== 200) throw new Error(`exchange answered ${res.status}`)
  return { code, verifier: pair.verifier, access: res.body.access_token, refresh: res.body.refresh_token }
}

const refresh = (url: string, token: string) =>
  exchangeCurrent(url, { grant_type: 'refresh_token', refresh_token: token, client_id: publicApp.id })

const userinfo = (url: string, token: string) => call('GET', `${url}/oauth/userinfo`, { headers: bearer(token) })

async function v1TokenOf(t: Test, mock: TestMock, credential: string): Promise<string> {
  const res = await mint(mock.url, credential)
  t.equal(res.status, 200, 'a v1 token is minted with the credential')
  return res.body.token
}

t.test('a rotated-out refresh token presented again revokes the grant: live refresh, access and v1 tokens', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const first = await signIn(mock.url)
  const rotated = await refresh(mock.url, first.refresh)
  t.equal(rotated.status, 200, 'the first refresh rotates')
  const v1 = await v1TokenOf(t, mock, rotated.body.access_token)
  const v1OfV1 = await v1TokenOf(t, mock, v1)
  t.equal(decodeJwt(v1OfV1).gid, decodeJwt(rotated.body.access_token).gid, 'the grant id is carried down the chain')

  const reuse = await refresh(mock.url, first.refresh)
  t.match(reuse, { status: 400, body: { error: 'invalid_grant' } }, 'the reused token is refused')
  t.match(
    await refresh(mock.url, rotated.body.refresh_token),
    { status: 400, body: { error: 'invalid_grant' } },
    'the live refresh token died',
  )
  t.equal((await userinfo(mock.url, rotated.body.access_token)).status, 401, 'the live access token died')
  t.equal((await userinfo(mock.url, first.access)).status, 401, 'and the first one')
  t.equal((await mint(mock.url, v1)).status, 401, 'the v1 token minted with it died')
  t.equal((await mint(mock.url, v1OfV1)).status, 401, 'and the v1 token minted with that one')
  t.equal((await userinfo(mock.url, (await signIn(mock.url)).access)).status, 200, 'another grant is untouched')
})

t.test('with revoke_grant_on_refresh_reuse off, a reused refresh token is only refused', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const settings = await call('POST', `${mock.url}/_mock/settings`, { json: { revoke_grant_on_refresh_reuse: false } })
  t.match(settings, { status: 200, body: { revoke_grant_on_refresh_reuse: false } })
  const first = await signIn(mock.url)
  const rotated = await refresh(mock.url, first.refresh)
  t.match(await refresh(mock.url, first.refresh), { status: 400, body: { error: 'invalid_grant' } })
  t.equal((await userinfo(mock.url, rotated.body.access_token)).status, 200, 'the live access token still works')
  t.equal((await refresh(mock.url, rotated.body.refresh_token)).status, 200, 'the live refresh token still rotates')
  await call('POST', `${mock.url}/_mock/reset`)
  t.match(await call('GET', `${mock.url}/_mock/settings`), { body: { revoke_grant_on_refresh_reuse: true } }, 'reset turns it back on')
})

t.test('the library option turns it off from the start', async (t) => {
  const mock = await startMock(t, { autoApprove: true, revokeGrantOnRefreshReuse: false })
  const first = await signIn(mock.url)
  const rotated = await refresh(mock.url, first.refresh)
  t.equal((await refresh(mock.url, first.refresh)).status, 400)
  t.equal((await refresh(mock.url, rotated.body.refresh_token)).status, 200, 'the grant lives')
})

t.test('a replayed code revokes the v1 tokens minted with the tokens of its first exchange', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const first = await signIn(mock.url)
  const v1 = await v1TokenOf(t, mock, first.access)
  const replay = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code: first.code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: first.verifier,
  })
  t.equal(replay.status, 400, 'the replay is refused')
  t.equal((await mint(mock.url, v1)).status, 401, 'the v1 token died with the grant')
})

t.test('a v1 token minted with a token as Bearer never outlives it, however long the chain', async (t) => {
  const mock = await startMock(t)
  const root = await mint(mock.url, companyKey.key, { company_id: acme.id, user_id: jane.id })
  const rootExpiry = Date.parse(root.body.expires_at)
  const tooLate = new Date(rootExpiry + 60_000).toISOString()
  t.match(await mint(mock.url, root.body.token, { expires_at: tooLate }), {
    status: 400,
    body: { error: { code: 'parameter_invalid', param: 'expires_at' } },
  })
  let token: string = root.body.token
  for (let step = 0; step < 5; step++) {
    await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 600 } })
    const next = await mint(mock.url, token)
    t.equal(next.status, 200, `step ${step} mints`)
    t.ok(Date.parse(next.body.expires_at) <= rootExpiry, `step ${step} expires no later than the root (${next.body.expires_at})`)
    token = next.body.token
  }
  await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 601 } })
  t.equal((await mint(mock.url, token)).status, 401, 'the end of the chain died with the root')
})

t.test('a v1 token minted with an OAuth access token expires no later than it', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const { access } = await signIn(mock.url)
  const accessExp = decodeJwt(access).exp ?? 0
  const v1 = await mint(mock.url, access)
  t.ok(Date.parse(v1.body.expires_at) <= accessExp * 1000, 'the default hour is cut to the access token')
})
