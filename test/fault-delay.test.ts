/**
 * A fault with only `delay_ms` stalls the matching request, then serves it as if no fault
 * were armed (spec: addFault, "Mock choice: `status` may be omitted when `delay_ms` is given").
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { startMockServer } from '../src/index.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { memoryFaults } from './helpers/memory-stores.js'

const armDelay = (url: string, delay_ms: number) =>
  call('POST', `${url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', delay_ms } })

t.test('a delay-only fault lets a stalled token request through to mint the token as usual', async (t) => {
  const mock = await startMock(t)
  t.equal((await armDelay(mock.url, 150)).status, 201)
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })
  t.equal(res.status, 200)
  t.match(decodeJwt(res.body.token), { sub: jane.id, company_id: acme.id })
  t.same(memoryFaults(mock.context).list(), [], 'the one-shot fault is used up')
})

t.test('a delay-only fault still authenticates: an unknown key is 401 after the delay', async (t) => {
  const mock = await startMock(t)
  await armDelay(mock.url, 50)
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer('whop_unknownkeyunknownkey1234'),
    json: { company_id: acme.id },
  })
  t.match(res, { status: 401, body: { error: { type: 'unauthorized', message: 'Invalid or missing API key' } } })
})

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

t.test('a client that hangs up ends the stall: no timer is left waiting out the delay to hold the process open', async (t) => {
  const mock = await startMockServer({ port: 0, logLevel: 'silent' })
  mock.addFault({ path: '/oauth/userinfo', status: 503, delay_ms: 20_000 })
  const before = timers()
  await t.rejects(fetch(`${mock.url}/oauth/userinfo`, { headers: bearer('whatever'), signal: AbortSignal.timeout(200) }), {
    name: 'TimeoutError',
  })
  await mock.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(timers() <= before, `timers before the call ${before}, after the mock closed ${timers()}`)
})
