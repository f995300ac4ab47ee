/**
 * POST /api/v1/access_tokens, as documented in Whop's published createAccessToken operation
 * (reference §2.1 [D S3]) and the edge cases of reference §6 items 14-20.
 */
import t from 'tap'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, appKey, companyKey, globex, initech, jane, maria, restrictedKey, sam, tom } from './helpers/fixtures.js'

const mint = (url: string, body: unknown, key: string | null = companyKey.key, headers: Record<string, string> = {}) =>
  call('POST', `${url}/api/v1/access_tokens`, {
    headers: { ...(key === null ? {} : bearer(key)), ...headers },
    ...(body === undefined ? {} : { json: body }),
  })

t.test('a company key mints a token for a member user in its company, valid for 1 hour by default', async (t) => {
  const mock = await startMock(t)
  const now = mock.context.clock.nowMs()
  const res = await mint(mock.url, { company_id: acme.id, user_id: jane.id })
  t.equal(res.status, 200)
  t.match(res.body, { token: String, expires_at: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/ })
  const lifetime = Date.parse(res.body.expires_at) - now
  t.ok(lifetime >= 3600_000 && lifetime < 3600_000 + 5_000, `lifetime ${lifetime} ms is one hour`)
  const claims = decodeJwt(res.body.token)
  t.match(claims, { sub: jane.id, company_id: acme.id, user_id: jane.id, iss: mock.url })
  t.equal(claims.exp, Math.floor(Date.parse(res.body.expires_at) / 1000))
})

t.test('scoped_actions empty or omitted inherits every permission of the key', async (t) => {
  const mock = await startMock(t)
  for (const scoped_actions of [undefined, [], null]) {
    const res = await mint(mock.url, { company_id: acme.id, user_id: sam.id, scoped_actions })
    t.equal(res.status, 200)
    t.same(decodeJwt(res.body.token).scoped_actions, companyKey.permissions, `scoped_actions ${JSON.stringify(scoped_actions)}`)
  }
})

t.test('scoped_actions that is a subset of the key permissions is granted exactly', async (t) => {
  const mock = await startMock(t)
  const res = await mint(mock.url, { company_id: acme.id, user_id: jane.id, scoped_actions: ['chat:read', 'dms:read'] })
  t.equal(res.status, 200)
  t.same(decodeJwt(res.body.token).scoped_actions, ['chat:read', 'dms:read'])
})

t.test('scoped_actions beyond the key permissions is 403 forbidden naming scoped_actions', async (t) => {
  const mock = await startMock(t)
  const res = await mint(mock.url, { company_id: globex.id, scoped_actions: ['chat:read', 'chat:message:create'] }, restrictedKey.key)
  t.equal(res.status, 403)
  t.same(res.body, {
    error: { type: 'forbidden', message: 'You do not have permission to access this resource', code: 'forbidden', param: 'scoped_actions' },
  })
})

t.test('the body may be absent, {} or null; with an API key and no ids it is 400 parameter_missing', async (t) => {
  const mock = await startMock(t)
  for (const [label, res] of [
    ['absent', await mint(mock.url, undefined)],
    ['{}', await mint(mock.url, {})],
    [
      'null',
      await call('POST', `${mock.url}/api/v1/access_tokens`, {
        headers: { ...bearer(companyKey.key), 'content-type': 'application/json' },
        body: 'null',
      }),
    ],
  ] as const) {
    t.equal(res.status, 400, label)
    t.match(res.body, { error: { type: 'invalid_request_error', code: 'parameter_missing', param: 'company_id' } }, label)
  }
})

t.test('company_id alone mints a company token; user_id alone mints for a user the key reaches', async (t) => {
  const mock = await startMock(t)
  const company = await mint(mock.url, { company_id: acme.id })
  t.equal(company.status, 200)
  t.match(decodeJwt(company.body.token), { sub: acme.id, company_id: acme.id, user_id: null })
  const user = await mint(mock.url, { user_id: sam.id })
  t.equal(user.status, 200)
  t.match(decodeJwt(user.body.token), { sub: sam.id, user_id: sam.id, company_id: null })
})

t.test('account_id is accepted as an alias of company_id, and a conflicting pair is 400', async (t) => {
  const mock = await startMock(t)
  const alias = await mint(mock.url, { account_id: acme.id, user_id: jane.id })
  t.equal(alias.status, 200)
  t.equal(decodeJwt(alias.body.token).company_id, acme.id)
  const conflict = await mint(mock.url, { account_id: globex.id, company_id: acme.id })
  t.equal(conflict.status, 400)
  t.match(conflict.body, { error: { code: 'parameter_invalid', param: 'account_id' } })
})

t.test('ids without the biz_ or user_ prefix are 400 parameter_invalid naming the field', async (t) => {
  const mock = await startMock(t)
  const company = await mint(mock.url, { company_id: 'acme' })
  t.match(company, { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid', param: 'company_id' } } })
  const user = await mint(mock.url, { company_id: acme.id, user_id: 'jane' })
  t.match(user, { status: 400, body: { error: { code: 'parameter_invalid', param: 'user_id' } } })
})

t.test('fields of the wrong type are 400 parameter_invalid naming the field', async (t) => {
  const mock = await startMock(t)
  t.match(await mint(mock.url, { company_id: 42 }), { status: 400, body: { error: { code: 'parameter_invalid', param: 'company_id' } } })
  t.match(await mint(mock.url, { company_id: acme.id, scoped_actions: 'chat:read' }), {
    status: 400,
    body: { error: { code: 'parameter_invalid', param: 'scoped_actions' } },
  })
  t.match(await mint(mock.url, { company_id: acme.id, scoped_actions: [1] }), {
    status: 400,
    body: { error: { code: 'parameter_invalid', param: 'scoped_actions.0' } },
  })
  t.match(await mint(mock.url, { company_id: acme.id, expires_at: 'tomorrow' }), {
    status: 400,
    body: { error: { code: 'parameter_invalid', param: 'expires_at' } },
  })
  t.match(await mint(mock.url, [acme.id]), { status: 400, body: { error: { code: 'invalid_json' } } })
})

t.test('well-formed but unknown company or user ids are 404 not_found', async (t) => {
  const mock = await startMock(t)
  const company = await mint(mock.url, { company_id: 'biz_00000000000000' })
  t.same(company.body, { error: { type: 'not_found', message: 'Resource not found', code: 'not_found', param: 'company_id' } })
  t.equal(company.status, 404)
  const user = await mint(mock.url, { company_id: acme.id, user_id: 'user_0000000000000' })
  t.match(user, { status: 404, body: { error: { type: 'not_found', param: 'user_id' } } })
})

t.test('a company or user the key cannot reach is 403 forbidden', async (t) => {
  const mock = await startMock(t)
  t.match(await mint(mock.url, { company_id: initech.id }), { status: 403, body: { error: { type: 'forbidden', param: 'company_id' } } })
  t.match(await mint(mock.url, { user_id: tom.id }), { status: 403, body: { error: { type: 'forbidden', param: 'user_id' } } })
  // Maria belongs to Globex, which the Acme key reaches not; naming Acme does not help.
  t.match(await mint(mock.url, { company_id: acme.id, user_id: maria.id }), { status: 403, body: { error: { param: 'user_id' } } })
})

t.test('an app API key reaches every company the app is installed in', async (t) => {
  const mock = await startMock(t)
  const res = await mint(mock.url, { company_id: globex.id, user_id: maria.id }, appKey.key)
  t.equal(res.status, 200)
  t.same(decodeJwt(res.body.token).scoped_actions, appKey.permissions)
})

t.test('a missing, malformed or unknown key is 401 "Invalid or missing API key"', async (t) => {
  const mock = await startMock(t)
  const expected = { error: { type: 'unauthorized', message: 'Invalid or missing API key' } }
  t.match(await mint(mock.url, { company_id: acme.id }, null), { status: 401, body: expected })
  t.match(await mint(mock.url, { company_id: acme.id }, 'whop_unknownkeyunknownkey1234'), { status: 401, body: expected })
  t.match(await mint(mock.url, { company_id: acme.id }, null, { authorization: `Basic ${companyKey.key}` }), {
    status: 401,
    body: expected,
  })
  // Authentication comes first: a bad key with a bad body is still 401.
  t.match(await mint(mock.url, { company_id: 42 }, 'whop_unknownkeyunknownkey1234'), { status: 401 })
})

t.test('the Bearer scheme is case-insensitive', async (t) => {
  const mock = await startMock(t)
  const res = await mint(mock.url, { company_id: acme.id }, null, { authorization: `bearer ${companyKey.key}` })
  t.equal(res.status, 200)
})

t.test('expires_at sets the expiry, up to 3 hours ahead; the answer echoes it with milliseconds', async (t) => {
  const mock = await startMock(t)
  const at = new Date(mock.context.clock.nowMs() + 2 * 3600_000 + 401)
  const res = await mint(mock.url, { company_id: acme.id, expires_at: at.toISOString() })
  t.equal(res.status, 200)
  t.equal(res.body.expires_at, at.toISOString())
  t.equal(decodeJwt(res.body.token).exp, Math.floor(at.getTime() / 1000))
  const max = new Date(mock.context.clock.nowMs() + 3 * 3600_000 - 1000)
  t.equal((await mint(mock.url, { company_id: acme.id, expires_at: max.toISOString() })).status, 200, 'just under 3 h is fine')
})

t.test('expires_at beyond 3 hours or in the past is 400 parameter_invalid on expires_at', async (t) => {
  const mock = await startMock(t)
  const now = mock.context.clock.nowMs()
  for (const at of [now + 3 * 3600_000 + 60_000, now - 1000]) {
    const res = await mint(mock.url, { company_id: acme.id, expires_at: new Date(at).toISOString() })
    t.match(res, { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid', param: 'expires_at' } } })
  }
})

t.test('expiry follows the mock clock, not the machine clock', async (t) => {
  const mock = await startMock(t)
  mock.context.clock.advance(10 * 24 * 3600)
  const res = await mint(mock.url, { company_id: acme.id })
  const expected = mock.context.clock.nowMs() + 3600_000
  t.ok(Math.abs(Date.parse(res.body.expires_at) - expected) < 5000, 'expires an hour after the mock clock')
  // An expires_at that is an hour ahead of the machine clock is in the mock's past.
  const stale = await mint(mock.url, { company_id: acme.id, expires_at: new Date(Date.now() + 3600_000).toISOString() })
  t.match(stale, { status: 400, body: { error: { param: 'expires_at' } } })
})

t.test('tokens carry a kid and a unique jti', async (t) => {
  const mock = await startMock(t)
  const a = await mint(mock.url, { company_id: acme.id })
  const b = await mint(mock.url, { company_id: acme.id })
  t.equal(decodeProtectedHeader(a.body.token).alg, 'ES256')
  t.equal(decodeProtectedHeader(a.body.token).kid, mock.context.key.kid)
  t.not(decodeJwt(a.body.token).jti, decodeJwt(b.body.token).jti)
})
