/**
 * The clock refuses a move that would leave the range where every time it yields is still a
 * Date and a four-digit-year ISO time (spec: setClock), and after such an attempt the mock
 * serves as before: health, JWKS, a mint that verifies against the JWKS.
 */
import t from 'tap'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'

const RANGE_MESSAGE =
  'The clock can move only to times from 1970-01-01T00:00:00.000Z to 9999-01-01T00:00:00.000Z; this move leaves that range.'

t.test('moves outside the clock range are 400 naming the field, and the clock stays put', async (t) => {
  const mock = await startMock(t)
  for (const [json, param] of [
    [{ advance_seconds: 8.7e12 }, 'advance_seconds'],
    [{ advance_seconds: 1e300 }, 'advance_seconds'],
    [{ advance_seconds: -1e11 }, 'advance_seconds'],
    [{ now: '1969-12-31T23:59:59.999Z' }, 'now'],
    [{ now: '9999-06-01T00:00:00.000Z' }, 'now'],
  ] as const) {
    const res = await call('POST', `${mock.url}/_mock/clock`, { json })
    t.equal(res.status, 400, JSON.stringify(json))
    t.strictSame(res.body, { error: { code: 'parameter_invalid', message: RANGE_MESSAGE, param } }, JSON.stringify(json))
  }
  t.ok(Math.abs(mock.context.clock.offsetSeconds) < 1, 'the clock was not moved')
  t.equal((await call('POST', `${mock.url}/_mock/clock`, { json: { now: '9998-12-31T00:00:00.000Z' } })).status, 200, 'the edge is allowed')
})

t.test('after refused moves, health, JWKS and a mint that verifies still work', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 8.7e12 } })
  await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: -1e11 } })
  t.match(await call('GET', `${mock.url}/_mock/health`), { status: 200, body: { status: 'ok' } })
  const jwks = await call('GET', `${mock.url}/.well-known/jwks.json`)
  t.equal(jwks.status, 200)
  const minted = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })
  t.equal(minted.status, 200)
  const { payload } = await jwtVerify(minted.body.token, createLocalJWKSet(jwks.body))
  t.equal(payload.sub, jane.id)
})
