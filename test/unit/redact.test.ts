import t from 'tap'
import { maskHeaders, maskSecret, maskUrl, maskValue } from '../../src/redact.js'

t.test('a secret keeps an eight-character prefix, after any auth scheme', async (t) => {
  t.equal(maskSecret('whop_SwMFLZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFd'), 'whop_SwM…')
  t.equal(maskSecret('Bearer whop_SwMFLZDe1f8rESQedUStPKR0'), 'Bearer whop_SwM…')
  t.equal(maskSecret('Bearer apik_SxCiwMH55BMwW_C3130490_3560c661606729aae6'), 'Bearer apik_SxC…')
  t.equal(maskSecret('Basic YXBwX3g6c2VjcmV0'), 'Basic YXBwX3g6…')
  t.equal(maskSecret('short'), '…', 'a value no longer than the prefix is hidden whole')
})

t.test('secret field names are masked at any depth; other values are kept', async (t) => {
  const masked = maskValue({ client_id: 'app_x', client_secret: 'supersecretvalue123', nested: [{ refresh_token: 'r'.repeat(30) }], n: 1 })
  t.same(masked, { client_id: 'app_x', client_secret: 'supersec…', nested: [{ refresh_token: 'rrrrrrrr…' }], n: 1 })
})

t.test('Whop keys and JWTs are masked wherever they stand', async (t) => {
  const jwt = `${'a'.repeat(20)}.${'b'.repeat(20)}.${'c'.repeat(20)}`
  t.same(maskValue({ note: jwt, other: 'whop_abcdefghijklmnopqrst' }), { note: 'aaaaaaaa…', other: 'whop_abc…' })
  t.same(maskValue({ note: 'apik_SxCiwMH55BMwW_C3130490_3560c661' }), { note: 'apik_SxC…' }, 'real-format Whop keys too')
})

t.test('headers are flattened and Authorization and cookies masked', async (t) => {
  t.same(maskHeaders({ authorization: 'Bearer whop_abcdefghijklmnop', cookie: 'sid=1234567890', accept: ['a', 'b'], skip: undefined }), {
    authorization: 'Bearer whop_abc…',
    cookie: 'sid=1234…',
    accept: 'a, b',
  })
})

t.test('secret query values are masked in URLs for the log', async (t) => {
  t.equal(maskUrl('/oauth/token?code=abcdefghijkl&state=xyz'), '/oauth/token?code=abcdefgh%E2%80%A6&state=xyz')
  t.equal(maskUrl('/plain/path'), '/plain/path')
})

t.test('maskValue and maskHeaders keep a key named __proto__ as an own key, masked', async (t) => {
  const masked = maskValue(JSON.parse('{"__proto__": {"refresh_token": "rrrrrrrrrrrrrrrrrrrrrrrrr"}}') as unknown)
  t.same(Object.keys(masked as object), ['__proto__'])
  t.equal(JSON.stringify(masked), '{"__proto__":{"refresh_token":"rrrrrrrr…"}}')
  t.same(Object.keys(maskHeaders(JSON.parse('{"__proto__": "Bearer whop_abcdefghijklmnop"}') as Record<string, string>)), ['__proto__'])
})
