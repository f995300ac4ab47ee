/**
 * POST /_mock/user_tokens mints what Whop's iframe proxy sends as x-whop-user-token; @whop/sdk
 * 0.0.42's verifyUserToken, pointed at the mock's JWKS the documented way, accepts it.
 * @see docs/whop-reference.md §3 (x-whop-user-token), §4.1, §6 item 22
 */
import t from 'tap'
import Whop from '@whop/sdk'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, confidentialApp, jane, publicApp, sam, tom } from './helpers/fixtures.js'

const mintUserToken = (mock: TestMock, body: unknown) => call('POST', `${mock.url}/_mock/user_tokens`, { json: body })

/** The documented options: the app id, and the JWKS URL in place of api.whop.com's [D NEW verify-user-token.ts]. */
const sdkFor = (mock: TestMock, appID: string) =>
  new Whop({ apiKey: companyKey.key, appID, baseURL: `${mock.url}/api/v1`, userTokenJwksUrl: `${mock.url}/.well-known/jwks.json` })

t.test('a user token is a 201 ES256 JWT with iss urn:whopcom:exp-proxy, sub the user and aud the app id as one string', async (t) => {
  const mock = await startMock(t)
  const before = mock.context.clock.nowSeconds()
  const res = await mintUserToken(mock, { user_id: jane.id, app_id: confidentialApp.id })
  t.equal(res.status, 201)
  t.strictSame(Object.keys(res.body).sort(), ['expires_at', 'token'])
  t.match(decodeProtectedHeader(res.body.token), { alg: 'ES256', kid: mock.context.key.kid })
  const claims = decodeJwt(res.body.token)
  t.match(claims, { iss: 'urn:whopcom:exp-proxy', sub: jane.id, aud: confidentialApp.id })
  t.type(claims.aud, 'string', 'aud is not an array: verifyUserToken rejects arrays')
  t.ok(claims.iat! >= before && claims.iat! <= mock.context.clock.nowSeconds(), 'issued at mock-clock time')
  t.equal(claims.exp! - claims.iat!, 300, 'five minutes unless ttl_seconds says otherwise')
  t.equal(res.body.expires_at, new Date(claims.exp! * 1000).toISOString())
})

t.test(
  "@whop/sdk's verifyUserToken accepts a mock user token, as a string or in the x-whop-user-token header, when userTokenJwksUrl points at the mock",
  async (t) => {
    const mock = await startMock(t)
    const { body } = await mintUserToken(mock, { user_id: sam.id, app_id: confidentialApp.id })
    const whop = sdkFor(mock, confidentialApp.id)
    t.strictSame(await whop.verifyUserToken(body.token), { appId: confidentialApp.id, userId: sam.id })
    t.strictSame(await whop.verifyUserToken(new Headers({ 'x-whop-user-token': body.token })), {
      appId: confidentialApp.id,
      userId: sam.id,
    })
    t.ok((await mock.context.journal.entries({ path: '/.well-known/jwks.json' })).length >= 1, 'the key came from the mock')
  },
)

t.test('verifyUserToken finds the mock through WHOP_USER_TOKEN_JWKS_URL and WHOP_APP_ID, as the banner suggests', async (t) => {
  const mock = await startMock(t)
  const saved = { jwks: process.env.WHOP_USER_TOKEN_JWKS_URL, app: process.env.WHOP_APP_ID }
  t.teardown(() => {
    for (const [name, value] of [
      ['WHOP_USER_TOKEN_JWKS_URL', saved.jwks],
      ['WHOP_APP_ID', saved.app],
    ] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
  process.env.WHOP_USER_TOKEN_JWKS_URL = `${mock.url}/.well-known/jwks.json`
  process.env.WHOP_APP_ID = publicApp.id
  const { body } = await mintUserToken(mock, { user_id: tom.id, app_id: publicApp.id })
  const whop = new Whop({ apiKey: companyKey.key, baseURL: `${mock.url}/api/v1` })
  t.strictSame(await whop.verifyUserToken(body.token), { appId: publicApp.id, userId: tom.id })
})

t.test('verifyUserToken rejects a token minted for another app, and tokens that are not user tokens', async (t) => {
  const mock = await startMock(t)
  const whop = sdkFor(mock, confidentialApp.id)
  const other = await mintUserToken(mock, { user_id: jane.id, app_id: publicApp.id })
  await t.rejects(whop.verifyUserToken(other.body.token), { message: 'Invalid app id provided to verifyUserToken' })
  t.equal(await whop.verifyUserToken(other.body.token, { dontThrow: true }), null, 'dontThrow answers null')

  // A v1 token is signed with the same key but is not from the iframe proxy (another iss).
  const v1 = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })
  await t.rejects(whop.verifyUserToken(v1.body.token), { message: 'Invalid user token provided to verifyUserToken' })
})

t.test('GET /v5/me accepts a user token as Bearer until it expires', async (t) => {
  const mock = await startMock(t)
  const { body } = await mintUserToken(mock, { user_id: tom.id, app_id: confidentialApp.id, ttl_seconds: 60 })
  const me = await call('GET', `${mock.url}/v5/me`, { headers: bearer(body.token) })
  t.equal(me.status, 200)
  t.strictSame(me.body, { id: tom.id, username: tom.username, name: tom.name, email: null, profile_pic_url: tom.profile_pic_url })
  mock.context.clock.advance(61)
  const expired = await call('GET', `${mock.url}/api/v5/me`, { headers: bearer(body.token) })
  t.equal(expired.status, 401)
  t.match(expired.body, { error: { status: 401 } })
})

t.test('minting a user token for an unknown user or app is 404 naming the field', async (t) => {
  const mock = await startMock(t)
  const user = await mintUserToken(mock, { user_id: 'user_0000000000000', app_id: confidentialApp.id })
  t.equal(user.status, 404)
  t.match(user.body, { error: { code: 'not_found', message: String, param: 'user_id' } })
  const app = await mintUserToken(mock, { user_id: jane.id, app_id: 'app_00000000000000' })
  t.equal(app.status, 404)
  t.match(app.body, { error: { code: 'not_found', param: 'app_id' } })
})

t.test('a user token ttl_seconds that is not a whole number from 1 to 86400 is 400 parameter_invalid', async (t) => {
  const mock = await startMock(t)
  for (const ttl_seconds of [0, 86_401, 1.5, '60']) {
    const res = await mintUserToken(mock, { user_id: jane.id, app_id: confidentialApp.id, ttl_seconds })
    t.equal(res.status, 400, `ttl_seconds ${JSON.stringify(ttl_seconds)}`)
    t.match(res.body, { error: { code: 'parameter_invalid', param: 'ttl_seconds' } }, `ttl_seconds ${JSON.stringify(ttl_seconds)}`)
  }
  for (const ttl_seconds of [1, 86_400]) {
    const res = await mintUserToken(mock, { user_id: jane.id, app_id: confidentialApp.id, ttl_seconds })
    t.equal(res.status, 201, `ttl_seconds ${ttl_seconds}`)
    const claims = decodeJwt(res.body.token)
    t.equal(claims.exp! - claims.iat!, ttl_seconds, `ttl_seconds ${ttl_seconds}`)
  }
  const missing = await mintUserToken(mock, { user_id: jane.id })
  t.match(missing, { status: 400, body: { error: { code: 'parameter_missing', param: 'app_id' } } })
})
