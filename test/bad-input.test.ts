/**
 * Bad input never breaks the mock: each kind gets the documented error shape of its API
 * family, nothing answers 5xx unless a fault asked for it, and the server stays up.
 */
import t from 'tap'
import { request } from 'undici'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { companyKey } from './helpers/fixtures.js'

const v1 = (code: string) => ({ error: { type: 'invalid_request_error', code } })

t.test('malformed JSON is 400 invalid_json in the v1 envelope', async (t) => {
  const mock = await startMock(t)
  for (const body of ['{', '{"company_id":', 'undefined', "{'a':1}", '\u0000']) {
    const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
      headers: { ...bearer(companyKey.key), 'content-type': 'application/json' },
      body,
    })
    t.match(res, { status: 400, body: v1('invalid_json') }, JSON.stringify(body))
  }
})

t.test('a body in another content type is 400 invalid_json saying what to send', async (t) => {
  const mock = await startMock(t)
  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
    const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
      headers: { ...bearer(companyKey.key), 'content-type': type },
      body: 'company_id=biz_x',
    })
    t.match(res, { status: 400, body: { error: { code: 'invalid_json', message: /send application\/json/ } } }, type)
  }
})

t.test('a body over the size limit is 413 in the v1 envelope', async (t) => {
  const mock = await startMock(t, { bodyLimit: 4096 })
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: 'x'.repeat(5000) },
  })
  t.match(res, { status: 413, body: { error: { type: 'invalid_request_error', code: 'payload_too_large' } } })
})

t.test('by default a body of 1 MiB is read and one byte more is 413', async (t) => {
  const mock = await startMock(t)
  const MiB = 1024 * 1024
  /** A JSON body of exactly `bytes` bytes. */
  const body = (bytes: number) => {
    const text = JSON.stringify({ company_id: 'x'.repeat(bytes - JSON.stringify({ company_id: '' }).length) })
    t.equal(Buffer.byteLength(text), bytes)
    return text
  }
  const headers = { ...bearer(companyKey.key), 'content-type': 'application/json' }
  const atLimit = await call('POST', `${mock.url}/api/v1/access_tokens`, { headers, body: body(MiB) })
  t.not(atLimit.status, 413, 'a body of exactly 1 MiB is read')
  t.match(atLimit.body, { error: { param: 'company_id' } }, 'and judged on its content')
  const over = await call('POST', `${mock.url}/api/v1/access_tokens`, { headers, body: body(MiB + 1) })
  t.equal(over.status, 413)
  t.match(over.body, {
    error: { type: 'invalid_request_error', code: 'payload_too_large', message: `The request body is larger than ${MiB} bytes.` },
  })
})

t.test('unknown routes are 404 in the envelope of the family their path belongs to', async (t) => {
  const mock = await startMock(t)
  t.match(await call('GET', `${mock.url}/api/v1/nothing/here`), {
    status: 404,
    body: { error: { type: 'not_found', message: 'Route /api/v1/nothing/here not found' } },
  })
  const wrongMethod = await call('GET', `${mock.url}/api/v1/access_tokens`)
  t.match(wrongMethod, { status: 405, body: { error: { type: 'invalid_request_error', code: 'method_not_allowed' } } }, 'wrong method')
  t.equal(wrongMethod.headers.allow, 'POST', 'Allow names the method served there')
  t.match(await call('GET', `${mock.url}/v5/nope`), { status: 404, body: { error: { status: 404, message: 'Route /v5/nope not found' } } })
  t.match(await call('GET', `${mock.url}/api/v5/nope`), { status: 404, body: { error: { message: 'Route /api/v5/nope not found' } } })
  t.match(await call('GET', `${mock.url}/api/v2/nope`), { status: 404, body: { error: { code: 404 } } })
  t.match(await call('POST', `${mock.url}/oauth/nope`), {
    status: 404,
    body: { error: 'not_found', error_description: 'Route /oauth/nope not found' },
  })
  t.match(await call('GET', `${mock.url}/_mock/nope`), { status: 404, body: { error: { code: 'route_not_found' } } })
})

t.test('a malformed URL or header is a 4xx, never a crash', async (t) => {
  const mock = await startMock(t)
  const badUrl = await call('GET', `${mock.url}/api/v1/%E0%A4%A`)
  t.ok(badUrl.status >= 400 && badUrl.status < 500, `bad percent-encoding → ${badUrl.status}`)
  const badLength = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: { ...bearer(companyKey.key), 'content-type': 'application/json; charset=utf-16' },
    body: '{}',
  })
  t.ok(badLength.status < 500, `odd charset → ${badLength.status}`)
  t.equal((await call('GET', `${mock.url}/_mock/health`)).status, 200)
})

/** A small deterministic PRNG so a failing fuzz case can be replayed from its seed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
}

t.test('a bounded run of random requests never gets a 5xx and leaves the server up', async (t) => {
  const mock = await startMock(t, { bodyLimit: 64 * 1024 })
  const random = prng(20261122)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const paths = [
    '/api/v1/access_tokens',
    '/.well-known/jwks.json',
    '/_mock/clock',
    '/_mock/faults',
    '/_mock/journal',
    '/v5/me',
    '/oauth/token',
    '/api/v1/x',
    '/',
  ]
  const types = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', undefined]
  const values = [
    null,
    0,
    -1,
    1e308,
    '',
    'biz_',
    'user_',
    '\u0000',
    'x'.repeat(3000),
    [],
    {},
    [[]],
    true,
    '2030-01-01T00:00:00Z',
    '9999-99-99',
  ]
  const fields = [
    'company_id',
    'account_id',
    'user_id',
    'expires_at',
    'scoped_actions',
    'advance_seconds',
    'now',
    'path',
    'status',
    'times',
    '__proto__',
    'constructor',
  ]
  const statuses: number[] = []
  for (let i = 0; i < 300; i++) {
    const body: Record<string, unknown> = {}
    for (let j = Math.floor(random() * 4); j > 0; j--) body[pick(fields)] = pick(values)
    const type = pick(types)
    const text =
      random() < 0.2
        ? JSON.stringify(body).slice(0, Math.floor(random() * 20))
        : type === 'application/x-www-form-urlencoded'
          ? new URLSearchParams(body as Record<string, string>).toString()
          : JSON.stringify(body)
    const path = pick(paths)
    if (path === '/_mock/faults' || (path === '/_mock/clock' && 'now' in body)) continue // arming faults or moving time is not "bad input"
    const response = await request(`${mock.url}${path}${random() < 0.3 ? '?limit=' + encodeURIComponent(String(pick(values))) : ''}`, {
      method: pick(['GET', 'POST', 'DELETE', 'PUT'] as const),
      headers: {
        ...(type ? { 'content-type': type } : {}),
        ...(random() < 0.5 ? bearer(pick([companyKey.key, 'whop_x', 'a.b.c', ''])) : {}),
      },
      body: text,
    })
    await response.body.dump()
    statuses.push(response.statusCode)
    if (response.statusCode >= 500) t.fail(`request ${i} (${path}) answered ${response.statusCode}`)
  }
  t.ok(statuses.length > 200, `${statuses.length} random requests sent`)
  t.ok(
    statuses.some((s) => s >= 400),
    'some were refused',
  )
  t.equal((await call('GET', `${mock.url}/_mock/health`)).status, 200, 'still serving')
})

t.test('query keys named __proto__ and constructor reach the journal as keys, like any other', async (t) => {
  const mock = await startMock(t)
  t.equal((await call('GET', `${mock.url}/v5/me?__proto__=p&constructor=c&plain=x`)).status, 401)
  const journal = await call('GET', `${mock.url}/_mock/journal?path=/v5/me`)
  const entry = journal.body.entries.at(-1)
  t.same(Object.keys(entry.query).sort(), ['__proto__', 'constructor', 'plain'])
  t.equal(entry.query.constructor, 'c')
})
