/**
 * The legacy token exchanges, each with the request shapes its clients send: @whop/api's
 * exchangeCode, its Auth.js provider (driven with oauth4webapi as @auth/core 0.37 drives it),
 * the v3 sample, the S4 v5 samples and v2; and the rules they share: codes from the legacy page
 * only, single use, client authentication before the code.
 * @see docs/whop-reference.md §2.3, §2.4, §4.2, §4.3, §6 items 1-5, 23-27
 */
import t from 'tap'
import * as oauth from 'oauth4webapi'
import { Agent, fetch as undiciFetch } from 'undici'
import { randomUUID } from 'node:crypto'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, appKey, confidentialApp, defaults, globex, initech, jane, publicApp } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce, basic } from './helpers/oauth.js'
import { refreshes } from '../src/eras.js'
import { LEGACY_TOKEN_PATHS, legacyCode, legacyRedirect, legacyTokenBody, legacyTokenPaths, postToken } from './helpers/legacy.js'

/** The legacy endpoints that hand out refresh tokens (v3 and @whop/api's). */
const LEGACY_REFRESH_PATHS = legacyTokenPaths(refreshes)

/** S4's 400 text, word for word (Doorkeeper's default invalid_grant description) [D S4]. */
const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
}
/** Doorkeeper's default invalid_client description (reference §2.4 [I]). */
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
}
const JANE_ME = { id: jane.id, username: jane.username, name: jane.name, email: jane.email, profile_pic_url: jane.profile_pic_url }
const AUTHORIZATION_CODE = { grant_type: 'authorization_code' }

t.test('@whop/api exchangeCode gets bearer tokens with created_at in mock-clock seconds and no id_token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  // A day ahead of the machine, so created_at can only come from the mock clock.
  mock.context.clock.advance(86_400)
  const code = await legacyCode(mock.url)
  const before = mock.context.clock.nowSeconds()
  const res = await postToken(
    mock.url,
    '/api/oauth/token',
    {
      code,
      client_id: confidentialApp.id,
      client_secret: appKey.key,
      grant_type: 'authorization_code',
      redirect_uri: confidentialApp.redirect_uris[0]!,
    },
    'json',
    { 'cache-control': 'no-cache', pragma: 'no-cache' },
  )
  const after = mock.context.clock.nowSeconds()
  t.equal(res.status, 200)
  t.strictSame(Object.keys(res.body).sort(), ['access_token', 'created_at', 'expires_in', 'refresh_token', 'token_type'])
  t.match(res.body, { access_token: String, token_type: 'bearer', expires_in: 3600, created_at: Number, refresh_token: String })
  t.ok(res.body.created_at >= before && res.body.created_at <= after, `created_at ${res.body.created_at} is mock time ${before}..${after}`)
  const me = await call('GET', `${mock.url}/api/v5/me`, { headers: bearer(res.body.access_token) })
  t.strictSame(me.body, JANE_ME, 'the access token is what @whop/api callers then use')
})

t.test(
  'the Auth.js token request (form;charset=UTF-8, Basic with urlencoded credentials, no client_id in the body) gets bearer tokens',
  async (t) => {
    // A secret with characters Basic credentials must form-urlencode (RFC 6749 §2.3.1).
    const secret = 'se:cr+et/with=odd&chars%'
    const fixtures = structuredClone(defaults)
    fixtures.apps[0]!.client_secret = secret
    const mock = await startMock(t, { autoApprove: true, fixtures })
    const code = await legacyCode(mock.url)
    const res = await postToken(
      mock.url,
      '/api/oauth/token',
      { redirect_uri: confidentialApp.redirect_uris[0]!, code, grant_type: 'authorization_code' },
      'form',
      {
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        accept: 'application/json',
        authorization: basic(confidentialApp.id, secret),
      },
    )
    t.equal(res.status, 200)
    // What oauth4webapi checks: a string access_token, token_type bearer, numeric expires_in, string refresh_token, no id_token.
    t.match(res.body, { access_token: String, token_type: /^bearer$/i, expires_in: Number, refresh_token: String })
    t.notOk('id_token' in res.body, 'no id_token: oauth4webapi would validate one as RS256')
    t.notOk('scope' in res.body, 'no scope: oauth4webapi accepts only a string there, and @whop/api never reads it')
  },
)

t.test(
  'the Auth.js provider flow, driven by oauth4webapi over https, exchanges the code and reads the profile at /api/v5/me',
  async (t) => {
    // Auth.js calls userinfo without allowInsecureRequests, so only an https mock completes its flow.
    const mock = await startMock(t, { autoApprove: true, tls: true })
    const dispatcher = new Agent({ connect: { ca: mock.tlsCertificate! } })
    t.teardown(() => dispatcher.close())
    const sent: { url: string; headers: Headers; body: URLSearchParams }[] = []
    const trusting = (url: string, init: oauth.CustomFetchOptions<string, unknown>): Promise<Response> => {
      if (init.body instanceof URLSearchParams) sent.push({ url, headers: new Headers(init.headers), body: new URLSearchParams(init.body) })
      return undiciFetch(url, { ...init, dispatcher } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>
    }
    // What authJsProvider() configures: an oauth (not oidc) provider with checks ["state"] [D OLD, AUTHJS].
    const as: oauth.AuthorizationServer = {
      issuer: 'https://authjs.dev',
      token_endpoint: `${mock.url}/api/oauth/token`,
      userinfo_endpoint: `${mock.url}/api/v5/me`,
    }
    const client: oauth.Client = { client_id: confidentialApp.id }
    const redirectUri = confidentialApp.redirect_uris[0]!
    const state = oauth.generateRandomState()

    const callback = await legacyRedirect(mock.url, { state, redirectUri }, dispatcher)
    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(confidentialApp.client_secret!),
      params,
      redirectUri,
      'decoy',
      {
        [oauth.allowInsecureRequests]: true,
        [oauth.customFetch]: (url, init) => {
          // Without "pkce" in checks, @auth/core deletes the decoy verifier before sending.
          ;(init.body as URLSearchParams).delete('code_verifier')
          return trusting(url, init)
        },
      },
    )
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: false })
    t.match(tokens, { access_token: String, token_type: 'bearer', expires_in: 3600, refresh_token: String })
    t.equal(tokens.id_token, undefined)

    const [request] = sent
    t.equal(request?.headers.get('content-type'), 'application/x-www-form-urlencoded;charset=UTF-8')
    // oauth4webapi form-urlencodes even `_` and `-` (%5F, %2D) before base64; the mock must decode that.
    const credentials = Buffer.from(request!.headers.get('authorization')!.replace(/^Basic /, ''), 'base64').toString()
    t.match(credentials, /%5F/, 'the client id went out form-urlencoded')
    t.strictSame(credentials.split(':').map(decodeURIComponent), [confidentialApp.id, confidentialApp.client_secret])
    t.strictSame([...request!.body.keys()].sort(), ['code', 'grant_type', 'redirect_uri'], 'no client_id and no code_verifier in the body')

    const userinfo = await oauth.userInfoRequest(as, client, tokens.access_token, { [oauth.customFetch]: trusting })
    t.equal(userinfo.status, 200)
    t.strictSame(await userinfo.json(), JANE_ME)
  },
)

t.test('v3 takes a form with either the app secret or its API key and echoes the authorize scope', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const [label, secret] of [
    ['client secret', confidentialApp.client_secret!],
    ['app API key', appKey.key],
  ] as const) {
    const code = await legacyCode(mock.url, { scope: acme.id })
    const res = await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(code, { ...AUTHORIZATION_CODE, client_secret: secret }))
    t.equal(res.status, 200, label)
    t.strictSame(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type'], label)
    t.match(res.body, { access_token: String, scope: acme.id, token_type: 'bearer', refresh_token: String, expires_in: 3600 }, label)
  }
})

t.test('a legacy refresh token rotates: the new pair works and the old refresh token is invalid_grant', async (t) => {
  // Reuse revocation off: here the old token is only refused; the next test pins the revocation.
  const mock = await startMock(t, { autoApprove: true, revokeGrantOnRefreshReuse: false })
  for (const path of LEGACY_REFRESH_PATHS) {
    const first = await postToken(mock.url, path, legacyTokenBody(await legacyCode(mock.url, { scope: acme.id }), AUTHORIZATION_CODE))
    const refresh = { grant_type: 'refresh_token', client_id: confidentialApp.id, client_secret: confidentialApp.client_secret! }
    const second = await postToken(mock.url, path, { ...refresh, refresh_token: first.body.refresh_token })
    t.equal(second.status, 200, path)
    t.not(second.body.refresh_token, first.body.refresh_token, `${path}: a new refresh token`)
    t.not(second.body.access_token, first.body.access_token, `${path}: a new access token`)
    t.equal(
      (await call('GET', `${mock.url}/v5/me`, { headers: bearer(second.body.access_token) })).status,
      200,
      `${path}: the new access token works`,
    )
    const reused = await postToken(mock.url, path, { ...refresh, refresh_token: first.body.refresh_token })
    t.match(reused, { status: 400, body: INVALID_GRANT }, `${path}: the old refresh token is dead`)
    const next = await postToken(mock.url, path, { ...refresh, refresh_token: second.body.refresh_token })
    t.equal(next.status, 200, `${path}: the rotated one works`)
  }
})

t.test('a reused legacy refresh token revokes its grant: the live refresh and access tokens die', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const path of LEGACY_REFRESH_PATHS) {
    const first = await postToken(mock.url, path, legacyTokenBody(await legacyCode(mock.url, { scope: acme.id }), AUTHORIZATION_CODE))
    const refresh = { grant_type: 'refresh_token', client_id: confidentialApp.id, client_secret: confidentialApp.client_secret! }
    const second = await postToken(mock.url, path, { ...refresh, refresh_token: first.body.refresh_token })
    t.equal(second.status, 200, path)
    const reused = await postToken(mock.url, path, { ...refresh, refresh_token: first.body.refresh_token })
    t.match(reused, { status: 400, body: INVALID_GRANT }, `${path}: the old refresh token is refused`)
    const next = await postToken(mock.url, path, { ...refresh, refresh_token: second.body.refresh_token })
    t.match(next, { status: 400, body: INVALID_GRANT }, `${path}: the live refresh token died with the grant`)
    const me = await call('GET', `${mock.url}/v5/me`, { headers: bearer(second.body.access_token) })
    t.equal(me.status, 401, `${path}: and so did the live access token`)
  }
})

t.test('a v3 refresh may narrow the scope to what was granted at first, and a wider scope is invalid_scope', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url, { scope: `${acme.id} ${globex.id}` })
  const first = await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(code, AUTHORIZATION_CODE))
  t.equal(first.body.scope, `${acme.id} ${globex.id}`)
  const refresh = { grant_type: 'refresh_token', client_id: confidentialApp.id, client_secret: confidentialApp.client_secret! }
  const wider = await postToken(mock.url, '/api/v3/oauth/token', {
    ...refresh,
    refresh_token: first.body.refresh_token,
    scope: `${acme.id} ${initech.id}`,
  })
  t.equal(wider.status, 400)
  t.match(wider.body, { error: 'invalid_scope', error_description: String })
  const narrower = await postToken(mock.url, '/api/v3/oauth/token', { ...refresh, refresh_token: first.body.refresh_token, scope: acme.id })
  t.equal(narrower.status, 200, 'the refused refresh did not spend the refresh token')
  t.equal(narrower.body.scope, acme.id)
})

t.test('v5 takes the S4 samples (JSON or form, no grant_type) and answers only {access_token}, which /v5/me accepts', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const path of legacyTokenPaths((era) => era.name === 'v5')) {
    for (const as of ['json', 'form'] as const) {
      const res = await postToken(mock.url, path, legacyTokenBody(await legacyCode(mock.url)), as)
      t.equal(res.status, 200, `${path} ${as}`)
      t.strictSame(Object.keys(res.body), ['access_token'], `${path} ${as}`)
      const me = await call('GET', `${mock.url}/v5/me`, { headers: bearer(res.body.access_token) })
      t.strictSame(me.body, JANE_ME, `${path} ${as}: /v5/me`)
    }
  }
})

t.test('v5 answers a bad grant with 400 and the documented message, and bad client credentials with 401 invalid_client', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url)
  const badGrants = {
    'an unknown code': legacyTokenBody('not-a-code'),
    'another redirect_uri': legacyTokenBody(code, { redirect_uri: confidentialApp.redirect_uris[1]! }),
  }
  for (const [label, body] of Object.entries(badGrants)) {
    const res = await postToken(mock.url, '/v5/oauth/token', body, 'json')
    t.equal(res.status, 400, label)
    t.strictSame(res.body, INVALID_GRANT, label)
  }
  const badClients = {
    'a wrong secret': legacyTokenBody(code, { client_secret: 'wrong-secret-wrong-secret' }),
    'an unknown client': legacyTokenBody(code, { client_id: 'app_00000000000000' }),
    'no secret': { code, client_id: confidentialApp.id, redirect_uri: confidentialApp.redirect_uris[0]! },
  }
  for (const [label, body] of Object.entries(badClients)) {
    const res = await postToken(mock.url, '/api/v5/oauth/token', body, 'json')
    t.equal(res.status, 401, label)
    t.strictSame(res.body, INVALID_CLIENT, label)
  }
  const refresh = await postToken(mock.url, '/v5/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: 'x',
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
  t.match(refresh, { status: 400, body: { error: 'unsupported_grant_type' } }, 'v5 has no refresh grant')
})

t.test('v2 answers {access_token} at /v2 and /api/v2, which /v5/me accepts', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const path of legacyTokenPaths((era) => era.name === 'v2')) {
    const res = await postToken(mock.url, path, legacyTokenBody(await legacyCode(mock.url), AUTHORIZATION_CODE), 'json')
    t.equal(res.status, 200, path)
    t.strictSame(Object.keys(res.body), ['access_token'], path)
    t.strictSame((await call('GET', `${mock.url}/api/v5/me`, { headers: bearer(res.body.access_token) })).body, JANE_ME, path)
  }
})

t.test('v2 may leave grant_type out, as v5 may (mock choice); another grant type is unsupported_grant_type', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const as of ['json', 'form'] as const) {
    const body = legacyTokenBody(await legacyCode(mock.url))
    t.notOk('grant_type' in body, 'the request names no grant type')
    const res = await postToken(mock.url, '/v2/oauth/token', body, as)
    t.equal(res.status, 200, as)
    t.strictSame((await call('GET', `${mock.url}/api/v5/me`, { headers: bearer(res.body.access_token) })).body, JANE_ME, as)
  }
  const refresh = await postToken(mock.url, '/api/v2/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: 'x',
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
  t.match(refresh, { status: 400, body: { error: 'unsupported_grant_type' } }, 'v2 has no refresh grant')
})

t.test('a legacy-page code is redeemed at every legacy endpoint but is invalid_grant at /oauth/token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const path of LEGACY_TOKEN_PATHS) {
    const res = await postToken(mock.url, path, legacyTokenBody(await legacyCode(mock.url), AUTHORIZATION_CODE))
    t.equal(res.status, 200, path)
    t.match(res.body, { access_token: String }, path)
  }
  const code = await legacyCode(mock.url)
  const current = await postToken(mock.url, '/oauth/token', legacyTokenBody(code, AUTHORIZATION_CODE))
  t.equal(current.status, 400)
  t.match(current.body, { error: 'invalid_grant' })
  t.equal((await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(code))).status, 200, 'the refusal did not spend the code')
})

t.test('a current-flow code is invalid_grant at every legacy endpoint and stays redeemable at /oauth/token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const verifier = pkce()
  const redirectUri = publicApp.redirect_uris[0]!
  const code = await codeFor(mock.url, { pkce: verifier, scope: 'openid profile' })
  const body = {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: redirectUri,
    code_verifier: verifier.verifier,
  }
  for (const path of LEGACY_TOKEN_PATHS) {
    const res = await postToken(mock.url, path, body)
    t.equal(res.status, 400, path)
    t.strictSame(res.body, INVALID_GRANT, path)
  }
  t.equal((await exchangeCurrent(mock.url, body)).status, 200)
})

t.test('refresh tokens stay with their flow: /oauth/token ones are invalid_grant at legacy endpoints and the reverse', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const verifier = pkce()
  const code = await codeFor(mock.url, { pkce: verifier, scope: 'openid' })
  const current = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: verifier.verifier,
  })
  const currentRefresh = { grant_type: 'refresh_token', refresh_token: current.body.refresh_token, client_id: publicApp.id }
  for (const path of LEGACY_REFRESH_PATHS) {
    t.match(
      await postToken(mock.url, path, currentRefresh),
      { status: 400, body: INVALID_GRANT },
      `${path} refuses a current refresh token`,
    )
  }
  t.equal((await exchangeCurrent(mock.url, currentRefresh)).status, 200, 'which still works at /oauth/token')

  const legacy = await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(await legacyCode(mock.url), AUTHORIZATION_CODE))
  const legacyRefresh = {
    grant_type: 'refresh_token',
    refresh_token: legacy.body.refresh_token,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  }
  t.match(
    await exchangeCurrent(mock.url, legacyRefresh),
    { status: 400, body: { error: 'invalid_grant' } },
    '/oauth/token refuses a legacy refresh token',
  )
  t.equal((await postToken(mock.url, '/api/v3/oauth/token', legacyRefresh)).status, 200, 'which still works at v3')
})

t.test('the legacy page echoes scope and state on the redirect, and leaves out what was not sent', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const state = randomUUID()
  const echoed = await legacyRedirect(mock.url, { scope: 'read_user', state })
  t.equal(`${echoed.origin}${echoed.pathname}`, confidentialApp.redirect_uris[0])
  t.strictSame([...echoed.searchParams.keys()].sort(), ['code', 'scope', 'state'])
  t.equal(echoed.searchParams.get('scope'), 'read_user')
  t.equal(echoed.searchParams.get('state'), state)
  const bare = await legacyRedirect(mock.url, { scope: null, state: null })
  t.strictSame([...bare.searchParams.keys()], ['code'], 'S4: the callback gets ?code= alone')
})

t.test('without redirect_uri the legacy page uses the first registered URI, and the token call may then omit it', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const redirect = await legacyRedirect(mock.url, { redirectUri: null })
  t.equal(`${redirect.origin}${redirect.pathname}`, confidentialApp.redirect_uris[0])
  const { redirect_uri: _, ...withoutRedirect } = legacyTokenBody(redirect.searchParams.get('code')!, AUTHORIZATION_CODE)
  const res = await postToken(mock.url, '/api/v3/oauth/token', withoutRedirect)
  t.equal(res.status, 200)
  t.match(res.body, { access_token: String })
})

t.test('a code issued for an explicit redirect_uri is invalid_grant without that same redirect_uri', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const second = confidentialApp.redirect_uris[1]!
  const code = await legacyCode(mock.url, { redirectUri: second })
  const { redirect_uri: _, ...withoutRedirect } = legacyTokenBody(code, AUTHORIZATION_CODE)
  t.match(
    await postToken(mock.url, '/api/v3/oauth/token', withoutRedirect),
    { status: 400, body: INVALID_GRANT },
    'left out (RFC 6749 §4.1.3)',
  )
  t.match(
    await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(code, AUTHORIZATION_CODE)),
    { status: 400, body: INVALID_GRANT },
    'another registered URI',
  )
  t.equal(
    (await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(code, { ...AUTHORIZATION_CODE, redirect_uri: second }))).status,
    200,
    'the same one',
  )
})

t.test('replaying a code at a legacy endpoint is invalid_grant and revokes the tokens of its first exchange', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url)
  const first = await postToken(mock.url, '/api/v3/oauth/token', legacyTokenBody(code, AUTHORIZATION_CODE))
  t.equal(first.status, 200)
  t.equal((await call('GET', `${mock.url}/v5/me`, { headers: bearer(first.body.access_token) })).status, 200, 'works before the replay')

  const replay = await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(code))
  t.equal(replay.status, 400)
  t.strictSame(replay.body, INVALID_GRANT)

  const me = await call('GET', `${mock.url}/v5/me`, { headers: bearer(first.body.access_token) })
  t.equal(me.status, 401, 'the access token of the first exchange is revoked')
  t.strictSame(me.body, {
    error: {
      status: 401,
      message: 'Your access token is invalid. Please make sure you are passing an access token, and that it is correctly formatted.',
    },
  })
  const refresh = await postToken(mock.url, '/api/v3/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
  t.match(refresh, { status: 400, body: INVALID_GRANT }, 'and so is its refresh token')
})

t.test('wrong client credentials at a legacy endpoint are invalid_client and never consume the code', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const path of LEGACY_TOKEN_PATHS) {
    const code = await legacyCode(mock.url)
    const wrongSecret = await postToken(
      mock.url,
      path,
      legacyTokenBody(code, { ...AUTHORIZATION_CODE, client_secret: 'wrong-secret-wrong-secret' }),
    )
    t.match(wrongSecret, { status: 401, body: INVALID_CLIENT }, `${path}: wrong secret`)
    const wrongBasic = await postToken(
      mock.url,
      path,
      { code, grant_type: 'authorization_code', redirect_uri: confidentialApp.redirect_uris[0]! },
      'form',
      {
        authorization: basic(confidentialApp.id, 'wrong-secret-wrong-secret'),
      },
    )
    t.match(wrongBasic, { status: 401, body: INVALID_CLIENT }, `${path}: wrong Basic credentials`)
    const right = await postToken(mock.url, path, legacyTokenBody(code, AUTHORIZATION_CODE))
    t.equal(right.status, 200, `${path}: the right call afterwards succeeds`)
  }
})
