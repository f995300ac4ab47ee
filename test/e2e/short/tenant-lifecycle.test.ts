/**
 * The tenant lifecycle: created on first use or by POST /_mock/tenants, listed with age and size,
 * deleted, bounded by maxTenants (least recently used first out, noted in the default journal).
 */
import t from 'tap'
import { startMock } from '../../helpers/start-mock.js'
import { runCli, within } from '../../helpers/cli.js'
import { bearer, call } from '../../helpers/http.js'
import { acme, companyKey, defaults } from '../../helpers/fixtures.js'

const names = async (url: string) => ((await call('GET', `${url}/_mock/tenants`)).body.tenants as { name: string }[]).map((x) => x.name)

t.test('a tenant is created on its first use and listed with its URLs, age and size', async (t) => {
  const mock = await startMock(t)
  t.strictSame(await names(mock.url), [])
  await call('POST', `${mock.url}/t/first-use/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })
  const list = (await call('GET', `${mock.url}/_mock/tenants`)).body
  t.equal(list.max_tenants, 100, 'the default limit')
  t.equal(list.evicted, 0)
  t.equal(list.tenants.length, 1)
  t.match(list.tenants[0], {
    name: 'first-use',
    base_url: `${mock.url}/t/first-use`,
    issuer: `${mock.url}/t/first-use`,
    size: { journal_entries: 1, faults: 0, codes: 0 },
  })
  t.ok(list.tenants[0].age_seconds >= 0)
  t.strictSame(
    (await call('GET', `${mock.url}/t/first-use/_mock/tenants`)).body.tenants.length,
    1,
    'the list is the same from inside a tenant',
  )
})

t.test('POST /_mock/tenants creates one (picking a name when none is given); again is 200 and unchanged', async (t) => {
  const mock = await startMock(t)
  const picked = await call('POST', `${mock.url}/_mock/tenants`)
  t.equal(picked.status, 201)
  t.match(picked.body.name, /^t-[A-Za-z0-9_-]{10}$/)
  const named = await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'ci-worker-3' } })
  t.equal(named.status, 201)
  await call('POST', `${mock.url}/t/ci-worker-3/_mock/clock`, { json: { advance_seconds: 60 } })
  const again = await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'ci-worker-3' } })
  t.equal(again.status, 200)
  t.equal((await call('GET', `${mock.url}/t/ci-worker-3/_mock/clock`)).body.offset_seconds, 60, 'not reset by the second call')
  t.strictSame((await names(mock.url)).sort(), [picked.body.name, 'ci-worker-3'].sort())
  const withFixtures = await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'ci-worker-3', fixtures: defaults } })
  t.equal(withFixtures.status, 400, 'an existing tenant is not given other fixtures silently')
  t.equal(withFixtures.body.error.param, 'name')
})

t.test('a tenant created with its own fixtures serves them, and reset returns to them', async (t) => {
  const mock = await startMock(t)
  const fixtures = structuredClone(defaults)
  fixtures.api_keys = fixtures.api_keys.filter((k) => k.key !== companyKey.key)
  t.equal((await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'custom', fixtures } })).status, 201)
  const mint = (base: string) =>
    call('POST', `${base}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })
  t.equal((await mint(`${mock.url}/t/custom`)).status, 401, 'the key is not in its fixtures')
  t.equal((await mint(mock.url)).status, 200)
  await call('POST', `${mock.url}/t/custom/_mock/reset`)
  t.equal((await mint(`${mock.url}/t/custom`)).status, 401, 'reset restores its own fixtures, not the server’s')
  const bad = await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'broken', fixtures: { companies: 'no' } } })
  t.equal(bad.status, 400)
  t.equal(bad.body.error.param, 'fixtures')
})

t.test('DELETE /_mock/tenants/{name} drops it; its tokens die with it; unknown is 404, bad is 400', async (t) => {
  const mock = await startMock(t)
  const base = `${mock.url}/t/doomed`
  const token = (await call('POST', `${base}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } }))
    .body.token
  await call('POST', `${base}/_mock/clock`, { json: { advance_seconds: 120 } })
  t.equal((await call('DELETE', `${mock.url}/_mock/tenants/doomed`)).status, 204)
  t.strictSame(await names(mock.url), [])
  t.equal((await call('GET', `${base}/_mock/clock`)).body.offset_seconds, 0, 'its next use creates it afresh')
  t.equal(
    (await call('GET', `${base}/api/v1/users/me`, { headers: bearer(token) })).status,
    401,
    'with a shared key, iss still binds tokens',
  )
  const unknown = await call('DELETE', `${mock.url}/_mock/tenants/nobody`)
  t.equal(unknown.status, 404)
  t.equal(unknown.body.error.code, 'not_found')
  const bad = await call('DELETE', `${mock.url}/_mock/tenants/bad.name`)
  t.equal(bad.status, 400)
  t.match(bad.body.error.message, /A-Z, a-z, 0-9/)
  t.equal((await call('POST', `${mock.url}/_mock/tenants`, { json: { name: 'no spaces' } })).status, 400)
})

t.test('past maxTenants the least recently used tenant is dropped, and the default journal says so', async (t) => {
  const mock = await startMock(t, { maxTenants: 2 })
  await call('GET', `${mock.url}/t/one/_mock/clock`)
  await call('GET', `${mock.url}/t/two/_mock/clock`)
  await call('GET', `${mock.url}/t/one/_mock/clock`) // one is now the most recently used
  await call('GET', `${mock.url}/t/three/_mock/clock`)
  t.strictSame(await names(mock.url), ['one', 'three'], 'two was dropped')
  const list = (await call('GET', `${mock.url}/_mock/tenants`)).body
  t.equal(list.evicted, 1)
  t.equal(list.max_tenants, 2)
  const notes = (await mock.context.journal.entries()).filter((e) => e.note !== null)
  t.equal(notes.length, 1)
  t.match(notes[0], { method: 'DELETE', path: '/_mock/tenants/two', note: /\/t\/two dropped: least recently used, over the limit of 2/ })
})

t.test('a maxTenants outside 1..100000 stops the build', async (t) => {
  await t.rejects(startMock(t, { maxTenants: 0 }), { name: 'OptionError', message: /maxTenants/ })
})

t.test('--max-tenants and --key-per-tenant (or their environment variables) reach the server', async (t) => {
  for (const [args, env] of [
    [['--max-tenants', '3', '--key-per-tenant'], {}],
    [[], { WHOP_MOCK_MAX_TENANTS: '3', WHOP_MOCK_KEY_PER_TENANT: 'true' }],
  ] as const) {
    const cli = runCli(t, ['serve', '--port', '0', '--log-level', 'silent', ...args], env)
    const url = await within(30_000, 'serve listening', cli.listening())
    t.equal((await call('GET', `${url}/_mock/tenants`)).body.max_tenants, 3)
    const kid = async (base: string) => (await call('GET', `${base}/.well-known/jwks.json`)).body.keys[0].kid
    t.not(await kid(`${url}/t/a`), await kid(url), 'the tenant has its own key')
    cli.child.kill('SIGTERM')
    t.match(await within(30_000, 'serve exit', cli.exited), { code: 0 })
  }
})
