/**
 * Where a rerouted request goes and what it carries: the mock URL's origin and base path, the
 * path kept, the caller's headers in any of the shapes Node and undici use, without a Host header
 * and with the original URL.
 */
import t from 'tap'
import { reroutedHeaders } from '../../src/intercept/headers.js'
import { mockTarget, reroutedUrl } from '../../src/intercept/target.js'

t.test('a mock URL gives an origin and a base path without a trailing slash', async (t) => {
  t.same(mockTarget('http://127.0.0.1:4010'), { origin: 'http://127.0.0.1:4010', basePath: '' })
  t.same(mockTarget('https://localhost:4443/t/ci/'), { origin: 'https://localhost:4443', basePath: '/t/ci' })
  for (const bad of ['ftp://127.0.0.1', 'http://127.0.0.1:4010/?x=1', 'http://u:p@127.0.0.1:4010', 'not a url'])
    t.throws(() => mockTarget(bad), { name: 'TypeError' }, bad)
})

t.test('a Whop URL keeps its path and query under the base path; other URLs are not rerouted', async (t) => {
  const target = mockTarget('http://127.0.0.1:4010/t/ci')
  t.equal(reroutedUrl(target, new URL('https://api.whop.com/oauth/token?x=1'))?.href, 'http://127.0.0.1:4010/t/ci/oauth/token?x=1')
  t.equal(reroutedUrl(target, new URL('https://whop.com/')), null)
  t.equal(reroutedUrl(target, new URL('http://127.0.0.1:4010/oauth/token')), null)
})

t.test('headers in every shape keep their values, lose Host, and gain the original URL', async (t) => {
  const original = 'https://api.whop.com/v5/me'
  const expected = { authorization: 'Bearer x', accept: ['a', 'b'], 'x-whop-mock-original-url': original }
  t.same(reroutedHeaders({ Authorization: 'Bearer x', accept: ['a', 'b'], Host: 'api.whop.com', skipped: undefined }, original), expected)
  t.same(reroutedHeaders(['authorization', 'Bearer x', 'host', 'api.whop.com', 'accept', 'a', 'Accept', 'b'], original), expected)
  t.same(
    reroutedHeaders(
      new Headers([
        ['authorization', 'Bearer x'],
        ['accept', 'a'],
      ]),
      original,
    ),
    { authorization: 'Bearer x', accept: 'a', 'x-whop-mock-original-url': original },
  )
  t.same(
    reroutedHeaders({ 'X-Whop-Mock-Original-Url': 'https://forged.test/' }, original),
    { 'x-whop-mock-original-url': original },
    'a forged one is replaced',
  )
  t.same(reroutedHeaders(undefined, original), { 'x-whop-mock-original-url': original })
})

t.test('a header named constructor or __proto__ is carried like any other, not mixed with Object.prototype', async (t) => {
  const original = 'https://api.whop.com/api/v1/me'
  const headers = reroutedHeaders(['constructor', 'c', '__proto__', 'p', 'toString', 't'], original)
  t.same(Object.entries(headers), [
    ['constructor', 'c'],
    ['__proto__', 'p'],
    ['tostring', 't'],
    ['x-whop-mock-original-url', original],
  ])
})
