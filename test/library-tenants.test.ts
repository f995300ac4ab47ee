/**
 * mock.tenant(name?) in the library: a handle with the tenant's URLs, env lines and helpers,
 * acting on that tenant only; close() deletes it.
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { startMockServer } from '../src/index.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey } from './helpers/fixtures.js'

t.test('a tenant handle has its URLs and env, and its helpers act on it alone', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const worker = mock.tenant('vitest-1')
  t.equal(worker.name, 'vitest-1')
  t.equal(worker.url, `${mock.url}/t/vitest-1`)
  t.equal(worker.issuer, `${mock.url}/t/vitest-1`)
  t.strictSame(worker.env, {
    WHOP_BASE_URL: `${mock.url}/t/vitest-1/api/v1`,
    WHOP_API_KEY: mock.env.WHOP_API_KEY,
    WHOP_USER_TOKEN_JWKS_URL: `${mock.url}/t/vitest-1/.well-known/jwks.json`,
  })
  const minted = await call('POST', `${worker.env.WHOP_BASE_URL}/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id },
  })
  t.equal(decodeJwt(minted.body.token).iss, worker.issuer)
  t.equal(worker.journal().length, 1)
  t.equal(mock.journal().length, 0, 'the default journal is untouched')

  worker.advanceClock(600)
  t.equal(Math.round((worker.now().getTime() - mock.now().getTime()) / 1000), 600, 'only the tenant’s clock moved')
  worker.addFault({ path: '/api/v1/access_tokens', status: 429 })
  t.equal(
    (await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })).status,
    200,
  )
  t.equal(
    (await call('POST', `${worker.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })).status,
    429,
  )
  worker.reset()
  t.strictSame(worker.journal(), [])
  t.equal(mock.journal().length, 1)

  const again = mock.tenant('vitest-1')
  worker.advanceClock(60)
  t.equal(again.now().getTime() - worker.now().getTime() < 1000, true, 'the same name is the same tenant')
  await worker.close()
  t.strictSame((await call('GET', `${mock.url}/_mock/tenants`)).body.tenants, [], 'close deleted it')
})

t.test('without a name the mock picks one; a bad name is refused', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const a = mock.tenant()
  const b = mock.tenant()
  t.match(a.name, /^t-[A-Za-z0-9_-]{10}$/)
  t.not(a.name, b.name)
  t.throws(() => mock.tenant('no/slashes'), { name: 'OptionError', message: /tenant name "no\/slashes" is not valid/ })
})
