/**
 * GET/PUT /_mock/state: one tenant's whole state as a document of the published schema
 * (spec/state.schema.json), and back; a refresh token travels with it.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { publicApp } from './helpers/fixtures.js'
import { exchangeCurrent } from './helpers/oauth.js'
import { refreshTokenAt } from './helpers/state.js'
import { createAjv } from '../src/spec/ajv.js'
import { stateSchemaPath } from '../src/paths.js'

const validate = createAjv().compile(JSON.parse(readFileSync(stateSchemaPath, 'utf8')))

const refresh = (base: string, token: string) =>
  exchangeCurrent(base, { grant_type: 'refresh_token', refresh_token: token, client_id: publicApp.id })

const exportOf = async (mock: TestMock, base: string) => {
  const res = await call('GET', `${base}/_mock/state`)
  t.equal(res.status, 200)
  t.ok(validate(res.body), `the export matches spec/state.schema.json ${JSON.stringify(validate.errors)}`)
  return res.body
}

t.test("a tenant's export is a version-1 document with its world, grants, clock and settings", async (t) => {
  const mock = await startMock(t)
  const base = `${mock.url}/t/exp`
  await refreshTokenAt(base)
  await call('POST', `${base}/_mock/clock`, { json: { advance_seconds: 90 } })
  const doc = await exportOf(mock, base)
  t.match(doc, { format: 'whop-auth-mock-state', version: 1 })
  t.equal(doc.tenants.length, 1)
  const [state] = doc.tenants
  t.equal(state.name, 'exp')
  t.equal(state.clock_offset_ms, 90_000)
  t.strictSame(state.settings, {
    auto_approve: true,
    strict_scopes: false,
    allow_openid_without_nonce: false,
    revoke_grant_on_refresh_reuse: true,
  })
  t.equal(state.grants.length, 1)
  t.equal(state.refresh_tokens.length, 1)
  t.equal(state.fixtures.apps.length, mock.context.fixtures.data.apps.length)
  t.notOk(JSON.stringify(doc).includes('"journal'), 'the journal is not state')
  t.equal((await exportOf(mock, mock.url)).tenants[0].name, null, 'the default tenant is named null')
})

t.test('PUT /_mock/state makes another tenant hold that state: the refresh token works there', async (t) => {
  const mock = await startMock(t)
  const from = `${mock.url}/t/from`
  const to = `${mock.url}/t/to`
  const token = await refreshTokenAt(from)
  await call('POST', `${from}/_mock/clock`, { json: { advance_seconds: 30 } })
  const doc = await exportOf(mock, from)
  t.equal((await refresh(to, token)).status, 400, 'unknown before the import')
  t.equal((await call('PUT', `${to}/_mock/state`, { json: doc })).status, 204)
  t.equal((await call('GET', `${to}/_mock/clock`)).body.offset_seconds, 30)
  const rotated = await refresh(to, token)
  t.equal(rotated.status, 200)
  t.equal(typeof rotated.body.refresh_token, 'string')
  t.equal((await refresh(to, token)).status, 400, 'rotation still kills the old token')
  t.equal((await call('GET', `${to}/_mock/journal`)).body.entries.length, 2, 'the journal restarted at the import')
})

t.test('a document of another version, of the wrong shape, or with two tenants is 400 and changes nothing', async (t) => {
  const mock = await startMock(t)
  const base = `${mock.url}/t/target`
  const token = await refreshTokenAt(base)
  const good = await exportOf(mock, base)
  for (const [what, body, pattern] of [
    ['version 2', { ...good, version: 2 }, /state version 2; this mock reads version 1 only/],
    ['no tenants key', { format: good.format, version: 1 }, /not a state document/],
    ['a bad grant', { ...good, tenants: [{ ...good.tenants[0], grants: [{ id: 1 }] }] }, /not a state document/],
    ['bad fixtures', { ...good, tenants: [{ ...good.tenants[0], fixtures: { users: 3 } }] }, /fixtures/],
    ['two tenants', { ...good, tenants: [good.tenants[0], good.tenants[0]] }, /exactly one tenant/],
  ] as const) {
    const res = await call('PUT', `${base}/_mock/state`, { json: body })
    t.equal(res.status, 400, what)
    t.match(res.body.error.message, pattern, what)
  }
  t.equal((await refresh(base, token)).status, 200, 'the tenant kept its state')
})

t.test('an imported clock offset or expiry beyond what a date can hold is refused, so no later request can fail on it', async (t) => {
  const mock = await startMock(t)
  const base = `${mock.url}/t/bounds`
  await refreshTokenAt(base)
  const good = await exportOf(mock, base)
  const [state] = good.tenants
  for (const [what, tenant] of [
    ['clock offset of 10^300 ms', { ...state, clock_offset_ms: 1e300 }],
    ['a refresh token expiring after the end of dates', { ...state, refresh_tokens: [{ ...state.refresh_tokens[0], expiresAtMs: 1e300 }] }],
  ] as const) {
    const res = await call('PUT', `${base}/_mock/state`, { json: { ...good, tenants: [tenant] } })
    t.equal(res.status, 400, what)
  }
  t.equal((await call('GET', `${base}/_mock/clock`)).status, 200, 'the tenant still answers')
})
