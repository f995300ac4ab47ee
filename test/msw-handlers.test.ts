/**
 * The MSW handlers: a test that already uses MSW gets Whop's hosts answered by a real mock in
 * the same process (Fastify's inject, no port). @whop/sdk at its default base URL mints, gets
 * Whop's errors, and meets faults armed through the control API, all through the handlers.
 * @see docs/whop-reference.md §1, §4.1
 */
import t from 'tap'
import type { Test } from 'tap'
import Whop from '@whop/sdk'
import { decodeJwt } from 'jose'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { createWhopMock, releaseResponseClones, whopHandlers, type WhopMock } from '../src/intercept/msw.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { checkResponses } from './helpers/start-mock.js'

/** A mock behind MSW for one test, every answer checked against the spec; unhandled requests fail the test. */
async function mswMock(t: Test, ...others: Parameters<typeof setupServer>): Promise<{ mock: WhopMock; checked: () => number }> {
  const mock = await createWhopMock()
  const checked = await checkResponses(t, mock.app)
  const server = setupServer(...whopHandlers(mock), ...others)
  releaseResponseClones(server)
  server.listen({ onUnhandledRequest: (request) => t.fail(`unhandled ${request.method} ${request.url}`) })
  t.teardown(async () => {
    server.close()
    await mock.close()
  })
  return { mock, checked }
}

const sdk = (maxRetries = 0, apiKey = companyKey.key) => new Whop({ apiKey, maxRetries })

t.test('@whop/sdk at its default base URL mints through the handlers; the journal keeps the URL it called', async (t) => {
  const { mock, checked } = await mswMock(t)
  const client = sdk()
  t.equal(client.baseURL, 'https://api.whop.com/api/v1')
  const { token } = await client.accessTokens.create({ company_id: acme.id, user_id: jane.id })
  t.match(decodeJwt(token), { sub: jane.id, company_id: acme.id, iss: 'https://api.whop.com' })
  t.match(mock.journal(), [{ path: '/api/v1/access_tokens', status: 200, original_url: 'https://api.whop.com/api/v1/access_tokens' }])
  t.equal(checked(), 1)
})

t.test("the mock's errors reach @whop/sdk as Whop's error classes", async (t) => {
  const { mock } = await mswMock(t)
  const notFound = await sdk()
    .accessTokens.create({ company_id: 'biz_00000000000000' })
    .catch((e: unknown) => e)
  t.ok(notFound instanceof Whop.NotFoundError, 'an unknown company is NotFoundError')
  t.match(notFound, { status: 404, error: { error: { type: String, message: String } } })
  const badKey = await sdk(0, 'apik_notarealkeynotarealkey00')
    .accessTokens.create({ company_id: acme.id })
    .catch((e: unknown) => e)
  t.ok(badKey instanceof Whop.AuthenticationError, 'an unknown key is AuthenticationError')
  t.same(
    mock.journal().map((e) => e.status),
    [404, 401],
  )
})

t.test('a fault armed through /_mock/faults on the same host answers @whop/sdk, which retries as against Whop', async (t) => {
  const { mock } = await mswMock(t)
  const armed = await fetch('https://api.whop.com/_mock/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/api/v1/access_tokens', status: 503, headers: { 'retry-after-ms': '1' } }),
  })
  t.equal(armed.status, 201)
  t.match(await sdk(2).accessTokens.create({ company_id: acme.id }), { token: String })
  const limited = await fetch('https://api.whop.com/_mock/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/api/v1/access_tokens', status: 429, times: 3, headers: { 'retry-after-ms': '1' } }),
  })
  t.equal(limited.status, 201)
  const error = await sdk(2)
    .accessTokens.create({ company_id: acme.id })
    .catch((e: unknown) => e)
  t.ok(error instanceof Whop.RateLimitError, 'three 429s in a row are RateLimitError after two retries')
  t.same(
    mock.journal({ path: '/api/v1/access_tokens' }).map((e) => [e.status, e.fault]),
    [
      [503, true],
      [200, false],
      [429, true],
      [429, true],
      [429, true],
    ],
  )
})

t.test("whop.com's authorize page is the mock's, the rest of whop.com and other hosts are left to other handlers", async (t) => {
  const other = http.all('https://whop.com/*', () => HttpResponse.text('not the mock'))
  const example = http.get('https://example.test/hello', () => HttpResponse.text('example'))
  const { mock } = await mswMock(t, other, example)
  const page = await fetch('https://whop.com/oauth/?client_id=app_unknown&response_type=code', { redirect: 'manual' })
  t.equal(page.status, 400, 'the legacy page refuses an unknown client')
  t.equal(await (await fetch('https://whop.com/discover')).text(), 'not the mock')
  t.equal(await (await fetch('https://example.test/hello')).text(), 'example')
  t.same(
    mock.journal().map((e) => [e.path, e.original_url]),
    [['/oauth/', 'https://whop.com/oauth/?client_id=app_unknown&response_type=code']],
  )
})

t.test('every Whop host is answered, over https and http', async (t) => {
  const { mock } = await mswMock(t)
  for (const origin of ['https://api.whop.com', 'http://api.whop.com', 'https://sandbox-api.whop.com', 'https://data.whop.com'])
    t.equal((await fetch(`${origin}/.well-known/jwks.json`)).status, 200, origin)
  t.equal(mock.journal().length, 4)
})
