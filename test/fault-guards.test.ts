/**
 * A fault cannot break HTTP itself: no 1xx answer, no body on 204/304, no hop-by-hop or
 * framing header, no header Node could not write, no body too deep to send (spec: addFault). Each is a 400 in the control envelope naming the field.
 */
import t from 'tap'
import { MockError } from '../src/errors.js'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { memoryFaults } from './helpers/memory-stores.js'

const path = '/api/v1/access_tokens'
const mint = (url: string) =>
  call('POST', `${url}${path}`, { headers: bearer(companyKey.key), json: { company_id: acme.id, user_id: jane.id } })

const refused: [string, Record<string, unknown>, string, RegExp][] = [
  ['a 100 status', { path, status: 100 }, 'status', /^Invalid parameter: status must be >= 200\.$/],
  ['a 1xx status', { path, status: 101 }, 'status', /^Invalid parameter: status must be >= 200\.$/],
  ['a header name that is no HTTP token', { path, status: 502, headers: { 'X Bad': 'x' } }, 'headers', /^Invalid parameter: headers/],
  [
    'a header value with CR LF',
    { path, status: 502, headers: { 'X-Split': 'a\r\nSet-Cookie: b=c' } },
    'headers.X-Split',
    /^Invalid parameter: headers\.X-Split/,
  ],
  [
    'a header value past Latin-1',
    { path, status: 502, headers: { 'X-Arrow': 'a → b' } },
    'headers.X-Arrow',
    /^Invalid parameter: headers\.X-Arrow/,
  ],
  ['a body on 304', { path, status: 304, body: 'x' }, 'body', /^A fault answering 304 cannot have a body/],
  ['a body on 204', { path, status: 204, body: {} }, 'body', /^A fault answering 204 cannot have a body/],
  ...['Connection', 'keep-alive', 'Transfer-Encoding', 'Upgrade', 'TE', 'Trailer', 'Proxy-Authenticate', 'Content-Length'].map(
    (name): [string, Record<string, unknown>, string, RegExp] => [
      `a ${name} header`,
      { path, status: 502, headers: { [name]: 'x' } },
      `headers.${name}`,
      new RegExp(`^A fault cannot set ${name}: it belongs to the connection`),
    ],
  ),
]

t.test('faults HTTP could not carry are refused with a 400 naming the field, and nothing is armed', async (t) => {
  const mock = await startMock(t)
  for (const [what, json, param, message] of refused) {
    const res = await call('POST', `${mock.url}/_mock/faults`, { json })
    t.equal(res.status, 400, what)
    t.match(res.body, { error: { code: 'parameter_invalid', param, message } }, what)
  }
  t.same(memoryFaults(mock.context).list(), [])
  t.equal((await mint(mock.url)).status, 200, 'requests are served as before')
})

t.test('the library refuses the same faults with the same error', async (t) => {
  const mock = await startMock(t)
  t.throws(
    () => memoryFaults(mock.context).add({ path, status: 103 }),
    new MockError('parameter_invalid', 'A fault cannot answer with 103: a 1xx status is interim, never the answer.', 'status'),
  )
  t.throws(() => memoryFaults(mock.context).add({ path, status: 502, headers: { 'Proxy-Connection': 'x' } }), MockError)
  const unwritable: Record<string, string>[] = [{ 'X Bad': 'x' }, { 'X-Split': 'a\r\nb' }, { 'X-Arrow': '→' }]
  for (const headers of unwritable) {
    t.throws(
      () => memoryFaults(mock.context).add({ path, status: 502, headers }),
      new MockError(
        'parameter_invalid',
        'A fault cannot send this header: its name must be an HTTP token and its value one line of Latin-1 text.',
        `headers.${Object.keys(headers)[0]}`,
      ),
    )
  }
  const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown
  t.throws(() => memoryFaults(mock.context).add({ path, status: 502, body: deep }), MockError, 'a body too deep to send')
  t.same(memoryFaults(mock.context).list(), [])
})

t.test('a 304 or 204 fault without a body answers with none, and the server keeps serving', async (t) => {
  const mock = await startMock(t)
  for (const status of [304, 204]) {
    t.equal((await call('POST', `${mock.url}/_mock/faults`, { json: { path, status, headers: { 'x-fault': 'yes' } } })).status, 201)
    const res = await mint(mock.url)
    t.match(res, { status, text: '', headers: { 'x-fault': 'yes' } }, String(status))
  }
  t.equal((await mint(mock.url)).status, 200)
})
