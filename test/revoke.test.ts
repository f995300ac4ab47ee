/**
 * POST /oauth/revoke: a refresh token dies at once, access tokens live until they expire, and
 * the answer is 200 {} whatever the token was; only the client a token was issued to revokes it.
 * @see docs/whop-reference.md §2.2 Revoke, §4.4, §6 item 12
 */
import t from 'tap'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { confidentialApp, publicApp } from './helpers/fixtures.js'
import { basic, codeFor, exchangeCurrent, pkce } from './helpers/oauth.js'
import { legacyCode, legacyTokenBody, postToken } from './helpers/legacy.js'

/** Tokens of the public app from /oauth/token, as the docs' browser sample gets them. */
async function publicTokens(mock: TestMock): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = pkce()
  const code = await codeFor(mock.url, { pkce: verifier, scope: 'openid profile' })
  const res = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: verifier.verifier,
  })
  return res.body
}

/** Tokens of the confidential app from the v3 endpoint (a legacy refresh token). */
async function confidentialTokens(mock: TestMock): Promise<{ access_token: string; refresh_token: string }> {
  const res = await postToken(
    mock.url,
    '/api/v3/oauth/token',
    legacyTokenBody(await legacyCode(mock.url), { grant_type: 'authorization_code' }),
  )
  return res.body
}

const revoke = (mock: TestMock, body: Record<string, string>, as: 'json' | 'form' = 'json', headers: Record<string, string> = {}) =>
  call('POST', `${mock.url}/oauth/revoke`, { headers, ...(as === 'json' ? { json: body } : { form: body }) })
const refreshPublic = (mock: TestMock, refreshToken: string) =>
  exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: publicApp.id })
const refreshConfidential = (mock: TestMock, refreshToken: string) =>
  postToken(mock.url, '/api/v3/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
const userinfoStatus = async (mock: TestMock, accessToken: string) =>
  (await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(accessToken) })).status

t.test('revoking a refresh token with JSON {token, client_id} kills it at once; its access token lives until it expires', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const tokens = await publicTokens(mock)
  const res = await revoke(mock, { token: tokens.refresh_token, client_id: publicApp.id })
  t.equal(res.status, 200)
  t.strictSame(res.body, {})
  t.match(await refreshPublic(mock, tokens.refresh_token), { status: 400, body: { error: 'invalid_grant' } }, 'the refresh token is dead')
  t.equal(await userinfoStatus(mock, tokens.access_token), 200, 'the access token still works')
  // The mock clock runs on between requests: keep clear of the second the token expires in.
  mock.context.clock.advance(3590)
  t.equal(await userinfoStatus(mock, tokens.access_token), 200, 'until near the end of its hour')
  mock.context.clock.advance(11)
  t.equal(await userinfoStatus(mock, tokens.access_token), 401, 'and not 3601 s after issue')
})

t.test('revoking with a form, client_secret and token_type_hint kills a confidential app refresh token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const form = await confidentialTokens(mock)
  const res = await revoke(
    mock,
    {
      token: form.refresh_token,
      token_type_hint: 'refresh_token',
      client_id: confidentialApp.id,
      client_secret: confidentialApp.client_secret!,
    },
    'form',
  )
  t.equal(res.status, 200)
  t.strictSame(res.body, {})
  t.match(await refreshConfidential(mock, form.refresh_token), { status: 400, body: { error: 'invalid_grant' } })
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(form.access_token) })).status, 200, 'the access token still works')

  const viaBasic = await confidentialTokens(mock)
  const basicRes = await revoke(mock, { token: viaBasic.refresh_token }, 'form', {
    authorization: basic(confidentialApp.id, confidentialApp.client_secret!),
  })
  t.equal(basicRes.status, 200, 'Basic client authentication works too')
  t.match(await refreshConfidential(mock, viaBasic.refresh_token), { status: 400, body: { error: 'invalid_grant' } })
})

t.test('revoke answers 200 {} for an unknown token and for an access token, which keeps working', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const unknown = await revoke(mock, { token: 'no-such-token', client_id: publicApp.id })
  t.equal(unknown.status, 200)
  t.strictSame(unknown.body, {})

  const tokens = await publicTokens(mock)
  const access = await revoke(mock, { token: tokens.access_token, token_type_hint: 'access_token', client_id: publicApp.id })
  t.equal(access.status, 200)
  t.strictSame(access.body, {})
  t.equal(await userinfoStatus(mock, tokens.access_token), 200, 'access tokens cannot be revoked')
  t.equal((await refreshPublic(mock, tokens.refresh_token)).status, 200, 'and the refresh token was not touched')
})

t.test('revoke leaves alone a token issued to another client', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const tokens = await publicTokens(mock)
  const res = await revoke(mock, {
    token: tokens.refresh_token,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
  t.equal(res.status, 200)
  t.strictSame(res.body, {})
  t.equal((await refreshPublic(mock, tokens.refresh_token)).status, 200, 'the public app refresh token still works')
})

t.test('revoke is 401 invalid_client for a wrong secret or no client at all, and the refresh token survives', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const tokens = await confidentialTokens(mock)
  const cases: [string, Record<string, string>][] = [
    ['a wrong secret', { token: tokens.refresh_token, client_id: confidentialApp.id, client_secret: 'wrong-secret-wrong-secret' }],
    ['client_id without the secret of a confidential app', { token: tokens.refresh_token, client_id: confidentialApp.id }],
    ['no client at all (RFC 7009 §2.1)', { token: tokens.refresh_token }],
    ['an unknown client', { token: tokens.refresh_token, client_id: 'app_00000000000000' }],
  ]
  for (const [label, body] of cases) {
    const res = await revoke(mock, body, 'form')
    t.equal(res.status, 401, label)
    t.match(res.body, { error: 'invalid_client', error_description: String }, label)
  }
  t.equal((await refreshConfidential(mock, tokens.refresh_token)).status, 200, 'nothing was revoked')
})
