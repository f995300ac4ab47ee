/**
 * POST /oauth/token, the current era, driven by a standard OAuth client library (openid-client)
 * and by hand for the shapes the docs and third parties send.
 * @see docs/whop-reference.md §2.2 Token, §4.4, §6 items 5, 6, 10, 11, 26
 */
import t from 'tap'
import * as oidc from 'openid-client'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, confidentialApp, jane, maria, publicApp, sam } from './helpers/fixtures.js'
import { basic, codeFor, exchangeCurrent, getNoFollow, pkce, random22 } from './helpers/oauth.js'

async function discover(url: string, clientId: string, secret?: string, auth: oidc.ClientAuth = oidc.None()) {
  return oidc.discovery(new URL(url), clientId, secret, auth, { execute: [oidc.allowInsecureRequests] })
}

t.test('a public client signs in with PKCE and nonce through openid-client and gets a verified id_token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const config = await discover(mock.url, publicApp.id)
  const verifier = oidc.randomPKCECodeVerifier()
  const nonce = oidc.randomNonce()
  const state = oidc.randomState()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: publicApp.redirect_uris[0]!,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    login_hint: sam.id,
  })
  const back = await getNoFollow(url.href)
  const tokens = await oidc.authorizationCodeGrant(config, back.location!, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
  })
  t.match(tokens, { token_type: 'bearer', expires_in: 3600, access_token: String, refresh_token: String, id_token: String })
  t.match(tokens.claims(), {
    iss: mock.url,
    aud: publicApp.id,
    sub: sam.id,
    nonce,
    name: sam.name,
    preferred_username: sam.username,
    email: sam.email,
    email_verified: false,
  })
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`))
  const { protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: mock.url, audience: publicApp.id, algorithms: ['ES256'] })
  t.equal(protectedHeader.alg, 'ES256')
  const info = await oidc.fetchUserInfo(config, tokens.access_token, sam.id)
  t.match(info, { sub: sam.id, preferred_username: sam.username })
})

t.test(
  'the answer is {access_token, refresh_token, token_type: "Bearer", expires_in: 3600}, with id_token only when openid was requested',
  async (t) => {
    const mock = await startMock(t, { autoApprove: true })
    const pair = pkce()
    const withOpenId = await exchangeCurrent(mock.url, {
      grant_type: 'authorization_code',
      code: await codeFor(mock.url, { pkce: pair }),
      redirect_uri: publicApp.redirect_uris[0]!,
      client_id: publicApp.id,
      code_verifier: pair.verifier,
    })
    t.same(Object.keys(withOpenId.body), ['access_token', 'refresh_token', 'token_type', 'expires_in', 'id_token'])
    t.match(withOpenId.body, { token_type: 'Bearer', expires_in: 3600 })
    const other = pkce()
    const without = await exchangeCurrent(mock.url, {
      grant_type: 'authorization_code',
      code: await codeFor(mock.url, { pkce: other, scope: 'chat:read', nonce: null }),
      redirect_uri: publicApp.redirect_uris[0]!,
      client_id: publicApp.id,
      code_verifier: other.verifier,
    })
    t.equal(without.status, 200)
    t.notOk('id_token' in without.body, 'no id_token without openid')
    t.match(decodeJwt(without.body.access_token), { sub: jane.id, client_id: publicApp.id, scope: 'chat:read' })
  },
)

t.test('a confidential client authenticates by client_secret_post, client_secret_basic, JSON or form', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const redirect_uri = confidentialApp.redirect_uris[1]!
  const secret = confidentialApp.client_secret!
  const ways: [string, (code: string, verifier: string) => ReturnType<typeof exchangeCurrent>][] = [
    [
      'post, JSON',
      (code, code_verifier) =>
        exchangeCurrent(mock.url, {
          grant_type: 'authorization_code',
          code,
          redirect_uri,
          code_verifier,
          client_id: confidentialApp.id,
          client_secret: secret,
        }),
    ],
    [
      'post, form',
      (code, code_verifier) =>
        exchangeCurrent(
          mock.url,
          { grant_type: 'authorization_code', code, redirect_uri, code_verifier, client_id: confidentialApp.id, client_secret: secret },
          'form',
        ),
    ],
    [
      'basic, form',
      (code, code_verifier) =>
        exchangeCurrent(mock.url, { grant_type: 'authorization_code', code, redirect_uri, code_verifier }, 'form', {
          authorization: basic(confidentialApp.id, secret),
        }),
    ],
    [
      'basic, JSON with client_id',
      (code, code_verifier) =>
        exchangeCurrent(
          mock.url,
          { grant_type: 'authorization_code', code, redirect_uri, code_verifier, client_id: confidentialApp.id },
          'json',
          { authorization: basic(confidentialApp.id, secret) },
        ),
    ],
  ]
  for (const [how, exchange] of ways) {
    const pair = pkce()
    const code = await codeFor(mock.url, { pkce: pair, clientId: confidentialApp.id, redirectUri: redirect_uri })
    const res = await exchange(code, pair.verifier)
    t.equal(res.status, 200, how)
  }
})

t.test('openid-client with client_secret_basic and client_secret_post completes the flow for a confidential app', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const auth of [oidc.ClientSecretBasic(confidentialApp.client_secret!), oidc.ClientSecretPost(confidentialApp.client_secret!)]) {
    const config = await discover(mock.url, confidentialApp.id, confidentialApp.client_secret!, auth)
    const verifier = oidc.randomPKCECodeVerifier()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: confidentialApp.redirect_uris[0]!,
      scope: 'chat:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'abc',
      login_hint: jane.username,
    })
    const back = await getNoFollow(url.href)
    const tokens = await oidc.authorizationCodeGrant(config, back.location!, { pkceCodeVerifier: verifier, expectedState: 'abc' })
    t.ok(tokens.access_token)
  }
})

t.test('client authentication failures are 401 invalid_client and never consume the code', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const redirect_uri = confidentialApp.redirect_uris[0]!
  const code = await codeFor(mock.url, { pkce: pair, clientId: confidentialApp.id, redirectUri: redirect_uri })
  const base = { grant_type: 'authorization_code', code, redirect_uri, code_verifier: pair.verifier }
  const failures: [string, Record<string, string>, Record<string, string>, string | RegExp][] = [
    ['no secret for a confidential app', { ...base, client_id: confidentialApp.id }, {}, 'client_secret is required'],
    ['a wrong secret', { ...base, client_id: confidentialApp.id, client_secret: 'not-the-secret-at-all' }, {}, /wrong/],
    ['an unknown client', { ...base, client_id: 'app_00000000000000' }, {}, /unknown client/],
    ['no client at all', base, {}, /no client_id/],
    ['a wrong Basic secret', base, { authorization: basic(confidentialApp.id, 'nope-nope-nope') }, /wrong/],
  ]
  for (const [what, body, headers, description] of failures) {
    const res = await exchangeCurrent(mock.url, body, 'json', headers)
    t.equal(res.status, 401, what)
    t.match(res.body, { error: 'invalid_client', error_description: description }, what)
  }
  const basicFailure = await exchangeCurrent(mock.url, base, 'json', { authorization: basic(confidentialApp.id, 'nope-nope-nope') })
  t.match(basicFailure.headers['www-authenticate'], /^Basic /, 'a Basic failure names the scheme')
  const right = await exchangeCurrent(mock.url, { ...base, client_id: confidentialApp.id, client_secret: confidentialApp.client_secret! })
  t.equal(right.status, 200, 'the code survived every failed attempt')
})

t.test('sending the secret both in Basic and in the body is 400 invalid_request', async (t) => {
  const mock = await startMock(t)
  const res = await exchangeCurrent(mock.url, { grant_type: 'authorization_code', code: 'x', client_secret: 'y' }, 'form', {
    authorization: basic(confidentialApp.id, confidentialApp.client_secret!),
  })
  t.match(res, { status: 400, body: { error: 'invalid_request' } })
})

t.test('PKCE: a missing or wrong code_verifier is invalid_grant and the code survives', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const code = await codeFor(mock.url, { pkce: pair })
  const base = { grant_type: 'authorization_code', code, redirect_uri: publicApp.redirect_uris[0]!, client_id: publicApp.id }
  t.match(await exchangeCurrent(mock.url, base), {
    status: 400,
    body: { error: 'invalid_grant', error_description: 'code_verifier is required' },
  })
  t.match(await exchangeCurrent(mock.url, { ...base, code_verifier: pkce().verifier }), {
    status: 400,
    body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' },
  })
  t.equal((await exchangeCurrent(mock.url, { ...base, code_verifier: pair.verifier })).status, 200)
})

t.test('a redirect_uri that differs from the authorize request is invalid_grant', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const code = await codeFor(mock.url, { pkce: pair, clientId: confidentialApp.id, redirectUri: confidentialApp.redirect_uris[0]! })
  const base = {
    grant_type: 'authorization_code',
    code,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
    code_verifier: pair.verifier,
  }
  for (const redirect_uri of [confidentialApp.redirect_uris[1]!, undefined]) {
    const res = await exchangeCurrent(mock.url, redirect_uri === undefined ? base : { ...base, redirect_uri })
    t.match(res, { status: 400, body: { error: 'invalid_grant', error_description: /redirect_uri does not match/ } }, String(redirect_uri))
  }
})

t.test('a code issued to one client is invalid_grant for another', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const code = await codeFor(mock.url, { pkce: pair })
  const res = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: pair.verifier,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
  })
  t.match(res, { status: 400, body: { error: 'invalid_grant', error_description: 'Authorization code was issued to another client' } })
})

t.test('requests missing grant_type, code or refresh_token are invalid_request; unknown grants unsupported_grant_type', async (t) => {
  const mock = await startMock(t)
  t.match(await exchangeCurrent(mock.url, { client_id: publicApp.id }), {
    status: 400,
    body: { error: 'invalid_request', error_description: /grant_type/ },
  })
  t.match(await exchangeCurrent(mock.url, { grant_type: 'authorization_code', client_id: publicApp.id }), {
    status: 400,
    body: { error: 'invalid_request', error_description: /code/ },
  })
  t.match(await exchangeCurrent(mock.url, { grant_type: 'refresh_token', client_id: publicApp.id }), {
    status: 400,
    body: { error: 'invalid_request', error_description: /refresh_token/ },
  })
  t.match(await exchangeCurrent(mock.url, { grant_type: 'client_credentials', client_id: publicApp.id }), {
    status: 400,
    body: { error: 'unsupported_grant_type' },
  })
  t.match(await exchangeCurrent(mock.url, { grant_type: 'authorization_code', code: 'nope', client_id: publicApp.id }), {
    status: 400,
    body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
  })
  t.match(await call('POST', `${mock.url}/oauth/token`, { headers: { 'content-type': 'application/json' }, body: '{oops' }), {
    status: 400,
    body: { error: 'invalid_request' },
  })
  t.match(
    await call('POST', `${mock.url}/oauth/token`, { headers: { 'content-type': 'text/plain' }, body: 'grant_type=authorization_code' }),
    { status: 400, body: { error: 'invalid_request' } },
  )
})

t.test('refresh tokens rotate: the new one works, the old one is invalid_grant', async (t) => {
  // Reuse revocation off: here the old token is only refused (test/token-lineage.test.ts pins the revocation).
  const mock = await startMock(t, { autoApprove: true, revokeGrantOnRefreshReuse: false })
  const pair = pkce()
  const first = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code: await codeFor(mock.url, { pkce: pair }),
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  const refresh = (refresh_token: string) =>
    exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token, client_id: publicApp.id })
  const second = await refresh(first.body.refresh_token)
  t.equal(second.status, 200)
  t.same(Object.keys(second.body), ['access_token', 'refresh_token', 'token_type', 'expires_in'], 'no id_token on refresh')
  t.not(second.body.refresh_token, first.body.refresh_token)
  t.match(await refresh(first.body.refresh_token), { status: 400, body: { error: 'invalid_grant' } }, 'the old refresh token died')
  t.equal((await refresh(second.body.refresh_token)).status, 200, 'the rotated one works')
  t.equal((await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(second.body.access_token) })).status, 200)
})

t.test('openid-client refreshes after the access token expired on the mock clock', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const config = await discover(mock.url, publicApp.id)
  const verifier = oidc.randomPKCECodeVerifier()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: publicApp.redirect_uris[0]!,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    login_hint: jane.id,
  })
  const tokens = await oidc.authorizationCodeGrant(config, (await getNoFollow(url.href)).location!, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
  })
  mock.context.clock.advance(3601)
  const expired = await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(tokens.access_token) })
  t.match(expired, { status: 401, body: { error: 'invalid_token' } })
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
  t.equal((await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(refreshed.access_token) })).status, 200)
})

t.test('a company_id given at authorize must be sent again on refresh, unchanged', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const code = await codeFor(mock.url, { pkce: pair, companyId: acme.id, scope: 'chat:read', nonce: null })
  const tokens = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  t.equal(decodeJwt(tokens.body.access_token).company_id, acme.id)
  const refresh = (extra: Record<string, string>) =>
    exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: publicApp.id, ...extra })
  t.match(await refresh({}), { status: 400, body: { error: 'invalid_grant', error_description: /company_id/ } }, 'omitted')
  t.match(await refresh({ company_id: 'biz_GncfBAepfJBd0K' }), { status: 400, body: { error: 'invalid_grant' } }, 'changed')
  const ok = await refresh({ company_id: acme.id })
  t.equal(ok.status, 200, 'the failed attempts did not burn the refresh token')
  t.equal(decodeJwt(ok.body.access_token).company_id, acme.id)
})

t.test('a company-scoped OAuth token mints company tokens for its user and no other', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const pair = pkce()
  const code = await codeFor(mock.url, { pkce: pair, companyId: acme.id, scope: 'chat:read chat:message:create', nonce: null })
  const { body } = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  const mint = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(body.access_token),
    json: { scoped_actions: ['chat:read'] },
  })
  t.equal(mint.status, 200)
  t.match(decodeJwt(mint.body.token), { sub: jane.id, user_id: jane.id, company_id: acme.id, scoped_actions: ['chat:read'] })
  t.match(
    await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(body.access_token), json: { scoped_actions: ['dms:read'] } }),
    { status: 403, body: { error: { param: 'scoped_actions' } } },
  )
  t.match(await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(body.access_token), json: { user_id: maria.id } }), {
    status: 403,
    body: { error: { param: 'user_id' } },
  })
})

t.test('state and nonce are carried through unchanged however they look', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const state = `${random22()}=+/&?`
  const res = await getNoFollow(
    `${mock.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: publicApp.id, redirect_uri: publicApp.redirect_uris[0]!, scope: 'chat:read', state, code_challenge: pkce().challenge, code_challenge_method: 'S256', login_hint: jane.id })}`,
  )
  t.equal(res.location!.searchParams.get('state'), state)
})
