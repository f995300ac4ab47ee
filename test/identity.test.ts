/**
 * Who a token belongs to, in each era's shape: OpenID userinfo (claims by scope), v5 /me,
 * v1 /users/me, and OAuth access tokens as the credential of POST /api/v1/access_tokens.
 * @see docs/whop-reference.md §2.1, §2.2 Userinfo, §2.5, §2.6, §6 items 8, 9, 20, 21
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, defaults, jane, publicApp, sam, tom } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce } from './helpers/oauth.js'
import { legacyCode, legacyTokenBody, postToken } from './helpers/legacy.js'
import type { User } from '../src/state/fixtures.js'

const V5_INVALID_TOKEN = {
  error: {
    status: 401,
    message: 'Your access token is invalid. Please make sure you are passing an access token, and that it is correctly formatted.',
  },
}

/** Tokens from /oauth/token for `user` with `scope` (the public app, PKCE, auto-approve). */
async function currentTokens(
  mock: TestMock,
  scope: string,
  user: User = jane,
): Promise<{ access_token: string; refresh_token: string; id_token?: string }> {
  const verifier = pkce()
  const code = await codeFor(mock.url, {
    pkce: verifier,
    scope,
    loginHint: user.id,
    ...(scope.split(' ').includes('openid') ? {} : { nonce: null }),
  })
  const res = await exchangeCurrent(mock.url, {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: verifier.verifier,
  })
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${res.text}`)
  return res.body
}

const userinfo = (mock: TestMock, headers: Record<string, string> = {}) => call('GET', `${mock.url}/oauth/userinfo`, { headers })
const mint = (mock: TestMock, token: string, body?: unknown) =>
  call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(token), ...(body === undefined ? {} : { json: body }) })

t.test('userinfo answers the claims each granted scope allows', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const cases: [string, User, object][] = [
    ['openid', jane, { sub: jane.id }],
    ['openid profile', jane, { sub: jane.id, name: jane.name, preferred_username: jane.username, picture: jane.profile_pic_url }],
    ['openid email', jane, { sub: jane.id, email: jane.email, email_verified: true }],
    ['openid email', sam, { sub: sam.id, email: sam.email, email_verified: false }],
    [
      'openid profile email',
      tom,
      { sub: tom.id, name: tom.name, preferred_username: tom.username, picture: tom.profile_pic_url, email: null, email_verified: false },
    ],
  ]
  for (const [scope, user, claims] of cases) {
    const { access_token } = await currentTokens(mock, scope, user)
    const res = await userinfo(mock, bearer(access_token))
    t.equal(res.status, 200, `${user.username} ${scope}`)
    t.strictSame(res.body, claims, `${user.username} ${scope}`)
  }
})

t.test('userinfo is 403 insufficient_scope for a token granted without openid', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const { access_token } = await currentTokens(mock, 'profile email')
  const res = await userinfo(mock, bearer(access_token))
  t.equal(res.status, 403)
  t.match(res.body, { error: 'insufficient_scope', error_description: String })
  const legacy = await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(await legacyCode(mock.url)))
  t.match(
    await userinfo(mock, bearer(legacy.body.access_token)),
    { status: 403, body: { error: 'insufficient_scope' } },
    'nor for a legacy read_user token',
  )
})

t.test('userinfo is 401 invalid_token with a Bearer challenge for a missing, malformed, expired or revoked token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const expectInvalid = async (label: string, headers: Record<string, string>) => {
    const res = await userinfo(mock, headers)
    t.equal(res.status, 401, label)
    t.match(res.body, { error: 'invalid_token', error_description: String }, label)
    t.match(res.headers['www-authenticate'], /^Bearer\b/, label)
  }
  await expectInvalid('missing', {})
  await expectInvalid('malformed', bearer('not-a-token'))
  await expectInvalid('not Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })

  // Revoked: replaying its code revokes what the first exchange issued [D S2, reference §6 item 2].
  const verifier = pkce()
  const code = await codeFor(mock.url, { pkce: verifier, scope: 'openid' })
  const body = {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: verifier.verifier,
  }
  const revoked = (await exchangeCurrent(mock.url, body)).body.access_token as string
  t.equal((await userinfo(mock, bearer(revoked))).status, 200, 'works before the replay')
  t.equal((await exchangeCurrent(mock.url, body)).status, 400, 'the replay')
  await expectInvalid('revoked', bearer(revoked))

  const { access_token } = await currentTokens(mock, 'openid')
  // The mock clock runs on between requests: keep clear of the second the token expires in.
  mock.context.clock.advance(3590)
  t.equal((await userinfo(mock, bearer(access_token))).status, 200, 'still valid near the end of the hour')
  mock.context.clock.advance(11)
  await expectInvalid('expired after 1 hour', bearer(access_token))
})

t.test('/v5/me and /api/v5/me answer {id, username, name, email, profile_pic_url}, email null when the user has none', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const user of [jane, tom]) {
    const res = await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(await legacyCode(mock.url, { loginHint: user.username })))
    for (const path of ['/v5/me', '/api/v5/me']) {
      const me = await call('GET', `${mock.url}${path}`, { headers: bearer(res.body.access_token) })
      t.equal(me.status, 200, `${user.username} ${path}`)
      t.strictSame(
        me.body,
        { id: user.id, username: user.username, name: user.name, email: user.email, profile_pic_url: user.profile_pic_url },
        `${user.username} ${path}`,
      )
    }
  }
  const { access_token } = await currentTokens(mock, 'openid')
  t.match(
    await call('GET', `${mock.url}/v5/me`, { headers: bearer(access_token) }),
    { status: 200, body: { id: jane.id } },
    'a current-flow token works too',
  )
})

t.test('/v5/me leaves out name and profile_pic_url for a user without them rather than sending null', async (t) => {
  const fixtures = structuredClone(defaults)
  Object.assign(fixtures.users[3]!, { name: null, profile_pic_url: null })
  const mock = await startMock(t, { autoApprove: true, fixtures })
  const res = await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(await legacyCode(mock.url, { loginHint: tom.username })))
  const me = await call('GET', `${mock.url}/v5/me`, { headers: bearer(res.body.access_token) })
  t.equal(me.status, 200)
  t.strictSame(me.body, { id: tom.id, username: tom.username, email: null }, 'V5Y types both as strings')
})

t.test('/v5/me is 401 with the documented message for a missing, malformed, expired or revoked token', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url)
  const first = await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(code))
  t.equal(first.status, 200, 'the first exchange worked')
  t.equal(
    (await call('GET', `${mock.url}/v5/me`, { headers: bearer(first.body.access_token) })).status,
    200,
    'its token works before the replay',
  )
  t.equal((await postToken(mock.url, '/v5/oauth/token', legacyTokenBody(code))).status, 400, 'the replay')
  const { access_token } = await currentTokens(mock, 'openid')
  mock.context.clock.advance(3601)
  const cases: [string, Record<string, string>][] = [
    ['missing', {}],
    ['malformed', bearer('abc.def')],
    ['revoked by a replay', bearer(first.body.access_token)],
    ['expired', bearer(access_token)],
  ]
  for (const [label, headers] of cases) {
    for (const path of ['/v5/me', '/api/v5/me']) {
      const res = await call('GET', `${mock.url}${path}`, { headers })
      t.equal(res.status, 401, `${label} ${path}`)
      t.strictSame(res.body, V5_INVALID_TOKEN, `${label} ${path}: exactly the documented body`)
    }
  }
})

t.test('an unknown v5 route is 404 "Route <path> not found"', async (t) => {
  const mock = await startMock(t)
  for (const path of ['/v5/nope', '/api/v5/me/nothing-here']) {
    const res = await call('GET', `${mock.url}${path}?page=2`)
    t.equal(res.status, 404, path)
    t.strictSame(res.body, { error: { status: 404, message: `Route ${path} not found` } }, path)
  }
})

t.test('/api/v1/users/me answers the user of an OAuth token or of a user token from /api/v1/access_tokens', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const expected = (user: User) => ({
    id: user.id,
    username: user.username,
    name: user.name,
    bio: null,
    created_at: String,
    profile_picture: { url: user.profile_pic_url },
  })
  const oauthToken = (await currentTokens(mock, 'openid')).access_token
  const oauthMe = await call('GET', `${mock.url}/api/v1/users/me`, { headers: bearer(oauthToken) })
  t.equal(oauthMe.status, 200)
  t.match(oauthMe.body, expected(jane))

  const minted = await mint(mock, companyKey.key, { company_id: acme.id, user_id: sam.id })
  const userMe = await call('GET', `${mock.url}/api/v1/users/me`, { headers: bearer(minted.body.token) })
  t.equal(userMe.status, 200)
  t.match(userMe.body, expected(sam))
  t.strictSame(Object.keys(userMe.body).sort(), ['bio', 'created_at', 'id', 'name', 'profile_picture', 'username'])
})

t.test('/api/v1/users/me is 401 for an API key and for a company-only token: they name no user', async (t) => {
  const mock = await startMock(t)
  const companyOnly = await mint(mock, companyKey.key, { company_id: acme.id })
  for (const [label, token] of [
    ['an API key', companyKey.key],
    ['a company-only token', companyOnly.body.token as string],
  ] as const) {
    const res = await call('GET', `${mock.url}/api/v1/users/me`, { headers: bearer(token) })
    t.equal(res.status, 401, label)
    t.match(res.body, { error: { type: 'unauthorized', message: String } }, label)
  }
})

t.test('an OAuth access token mints v1 tokens for its own user, limited to its permission scopes', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const { access_token } = await currentTokens(mock, 'openid profile chat:read dms:read')

  const inherited = await mint(mock, access_token)
  t.equal(inherited.status, 200, 'no body: the user comes from the token')
  t.match(decodeJwt(inherited.body.token), { sub: jane.id, user_id: jane.id, scoped_actions: ['chat:read', 'dms:read'] })

  const narrowed = await mint(mock, access_token, { scoped_actions: ['chat:read'] })
  t.strictSame(decodeJwt(narrowed.body.token).scoped_actions, ['chat:read'])

  const beyond = await mint(mock, access_token, { scoped_actions: ['chat:read', 'chat:message:create'] })
  t.match(
    beyond,
    { status: 403, body: { error: { type: 'forbidden', param: 'scoped_actions' } } },
    'a permission the token was not granted',
  )
  const identity = await mint(mock, access_token, { scoped_actions: ['openid'] })
  t.match(identity, { status: 403, body: { error: { param: 'scoped_actions' } } }, 'identity scopes are not permissions')

  const otherUser = await mint(mock, access_token, { user_id: sam.id })
  t.match(otherUser, { status: 403, body: { error: { type: 'forbidden', param: 'user_id' } } })
  t.equal((await mint(mock, access_token, { user_id: jane.id })).status, 200, 'naming its own user is fine')
})

t.test('a legacy token scope (read_user, a biz_ id) passes no permissions on to /api/v1/access_tokens', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  for (const scope of ['read_user', acme.id]) {
    const legacy = await postToken(
      mock.url,
      '/api/v3/oauth/token',
      legacyTokenBody(await legacyCode(mock.url, { scope }), { grant_type: 'authorization_code' }),
    )
    const inherited = await mint(mock, legacy.body.access_token)
    t.equal(inherited.status, 200, scope)
    t.strictSame(decodeJwt(inherited.body.token).scoped_actions, [], `${scope}: nothing to inherit`)
    t.match(
      await mint(mock, legacy.body.access_token, { scoped_actions: [scope] }),
      { status: 403, body: { error: { param: 'scoped_actions' } } },
      `${scope} is not a permission`,
    )
  }
})

t.test('an id_token is never accepted as a Bearer credential', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const { id_token } = await currentTokens(mock, 'openid profile email')
  t.type(id_token, 'string')
  const headers = bearer(id_token!)
  t.match(await userinfo(mock, headers), { status: 401, body: { error: 'invalid_token' } }, '/oauth/userinfo')
  t.match(await call('GET', `${mock.url}/v5/me`, { headers }), { status: 401, body: V5_INVALID_TOKEN }, '/v5/me')
  t.match(
    await call('GET', `${mock.url}/api/v1/users/me`, { headers }),
    { status: 401, body: { error: { type: 'unauthorized' } } },
    '/api/v1/users/me',
  )
  t.match(
    await mint(mock, id_token!, { company_id: acme.id }),
    { status: 401, body: { error: { type: 'unauthorized' } } },
    '/api/v1/access_tokens',
  )
})
