/**
 * What a state document carries beyond grants: every setting, the bytes of uploaded files, and
 * as many refresh tokens as the mock is told to keep (`--max-grants`); a document holding more
 * than that is refused whole.
 */
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'undici'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { companyKey, publicApp } from './helpers/fixtures.js'
import { exchangeCurrent } from './helpers/oauth.js'
import { refreshTokenAt } from './helpers/state.js'
import { createAjv } from '../src/spec/ajv.js'
import { stateSchemaPath } from '../src/paths.js'

const validate = createAjv().compile(JSON.parse(readFileSync(stateSchemaPath, 'utf8')))

const exported = async (base: string) => {
  const res = await call('GET', `${base}/_mock/state`)
  t.equal(res.status, 200)
  t.ok(validate(res.body), `the export matches spec/state.schema.json ${JSON.stringify(validate.errors)}`)
  return res.body
}

const refresh = (base: string, token: string) =>
  exchangeCurrent(base, { grant_type: 'refresh_token', refresh_token: token, client_id: publicApp.id })

t.test('every setting travels; a document without the newer ones leaves the importer its own', async (t) => {
  const mock = await startMock(t)
  const from = `${mock.url}/t/settings-from`
  const to = `${mock.url}/t/settings-to`
  const settings = { auto_approve: true, strict_scopes: true, allow_openid_without_nonce: true, revoke_grant_on_refresh_reuse: false }
  t.equal((await call('POST', `${from}/_mock/settings`, { json: settings })).status, 200)
  const doc = await exported(from)
  t.strictSame(doc.tenants[0].settings, settings)
  t.equal((await call('PUT', `${to}/_mock/state`, { json: doc })).status, 204)
  t.match((await call('GET', `${to}/_mock/settings`)).body, settings)

  const older = structuredClone(doc)
  older.tenants[0].settings = { auto_approve: false }
  t.equal((await call('PUT', `${to}/_mock/state`, { json: older })).status, 204)
  t.match((await call('GET', `${to}/_mock/settings`)).body, { ...settings, auto_approve: false }, 'the others stay as they were')
})

t.test("uploaded files' bytes travel with the world and are served again after the import", async (t) => {
  const mock = await startMock(t)
  const from = `${mock.url}/t/files-from`
  const to = `${mock.url}/t/files-to`
  const created = await call('POST', `${from}/api/v1/files`, { headers: bearer(companyKey.key), json: { filename: 'logo.png' } })
  t.equal(created.status, 200)
  const bytes = randomBytes(3000)
  const put = await request(`${from}/_mock/uploads/${created.body.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'image/png' },
    body: bytes,
  })
  t.equal(put.statusCode, 200)
  await put.body.text()
  const doc = await exported(from)
  t.same(
    doc.tenants[0].file_contents.map((c: { id: string; content_type: string }) => [c.id, c.content_type]),
    [[created.body.id, 'image/png']],
  )
  t.equal((await call('PUT', `${to}/_mock/state`, { json: doc })).status, 204)
  const got = await request(`${to}/_mock/uploads/${created.body.id}`)
  t.equal(got.statusCode, 200)
  t.ok(Buffer.from(await got.body.arrayBuffer()).equals(bytes), 'the same bytes')

  const orphan = structuredClone(doc)
  orphan.tenants[0].fixtures.files = []
  t.equal((await call('PUT', `${to}/_mock/state`, { json: orphan })).status, 204)
  t.strictSame((await exported(to)).tenants[0].file_contents, [], 'bytes of a file the world no longer lists are dropped')
})

/** A document whose tenant holds `count` copies of one real grant, each with its own refresh token. */
function withGrants(doc: any, count: number): { doc: any; tokens: string[] } {
  const copy = structuredClone(doc)
  const state = copy.tenants[0]
  const [grant] = state.grants
  const [token] = state.refresh_tokens
  const tokens: string[] = []
  state.grants = []
  state.refresh_tokens = []
  for (let i = 0; i < count; i++) {
    const id = `${grant.id}${i}`
    const value = `${token.token.slice(0, 20)}${i.toString(36).padStart(8, '0')}${token.token.slice(28)}`
    state.grants.push({ ...grant, id, refreshToken: value })
    state.refresh_tokens.push({ ...token, token: value, grantId: id })
    tokens.push(value)
  }
  return { doc: copy, tokens }
}

t.test('with --max-grants 10000 a tenant exports and imports 10,000 live refresh tokens; each still works', async (t) => {
  const mock = await startMock(t, { maxGrants: 10_000 })
  const from = `${mock.url}/t/big-from`
  await refreshTokenAt(from)
  const { doc, tokens } = withGrants(await exported(from), 10_000)
  const to = `${mock.url}/t/big-to`
  t.equal((await call('PUT', `${to}/_mock/state`, { json: doc })).status, 204)
  const back = await exported(to)
  t.equal(back.tenants[0].refresh_tokens.length, 10_000)
  for (const token of [tokens[0]!, tokens[4999]!, tokens[9999]!]) t.equal((await refresh(to, token)).status, 200, 'a refresh works')
})

t.test('a document holding more grants than the mock keeps is refused whole, naming --max-grants', async (t) => {
  const mock = await startMock(t)
  const base = `${mock.url}/t/small`
  const kept = await refreshTokenAt(base)
  const { doc } = withGrants(await exported(base), 5001)
  const res = await call('PUT', `${base}/_mock/state`, { json: doc })
  t.equal(res.status, 400)
  t.match(JSON.stringify(res.body), /5001 grants; this mock keeps at most 5000 per tenant \(--max-grants\)/)
  t.equal((await exported(base)).tenants[0].refresh_tokens.length, 1, 'nothing changed')
  t.equal((await refresh(base, kept)).status, 200)
})

t.test('--max-grants outside 100..1,000,000 is refused at start', async (t) => {
  await t.rejects(startMock(t, { maxGrants: 99 }), /maxGrants/)
  await t.rejects(startMock(t, { maxGrants: 1_000_001 }), /maxGrants/)
})
