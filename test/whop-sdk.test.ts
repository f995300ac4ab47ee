/**
 * The official client, @whop/sdk 0.0.42, pointed at the mock with baseURL and used unmodified.
 * @see docs/whop-reference.md §4.1
 */
import t from 'tap'
import Whop from '@whop/sdk'
import { decodeJwt } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { acme, companyKey, initech, jane } from './helpers/fixtures.js'

const client = (url: string, apiKey = companyKey.key) => new Whop({ apiKey, baseURL: `${url}/api/v1`, maxRetries: 2 })

t.test('accessTokens.create mints a token for a user in a company', async (t) => {
  const mock = await startMock(t)
  const result = await client(mock.url).accessTokens.create({ company_id: acme.id, user_id: jane.id, scoped_actions: ['chat:read'] })
  t.match(result, { token: String, expires_at: String })
  t.match(decodeJwt(result.token), { sub: jane.id, company_id: acme.id, scoped_actions: ['chat:read'] })
})

const documentedErrors = [
  { name: 'BadRequestError', status: 400, params: {} },
  { name: 'AuthenticationError', status: 401, params: { company_id: acme.id }, apiKey: 'whop_notarealkeynotarealkey00' },
  { name: 'PermissionDeniedError', status: 403, params: { company_id: initech.id } },
  { name: 'NotFoundError', status: 404, params: { company_id: 'biz_00000000000000' } },
] as const

for (const { name, status, params, ...rest } of documentedErrors) {
  t.test(`a ${status} surfaces as Whop.${name} and is not retried`, async (t) => {
    const mock = await startMock(t)
    const apiKey = 'apiKey' in rest ? rest.apiKey : companyKey.key
    const error = await client(mock.url, apiKey)
      .accessTokens.create(params)
      .then(
        () => null,
        (e: unknown) => e,
      )
    const ErrorClass = (Whop as unknown as Record<string, abstract new (...args: never[]) => Error>)[name]!
    t.ok(error instanceof ErrorClass, `${name}`)
    t.equal((error as { status: number }).status, status)
    t.match((error as { error: unknown }).error, { error: { type: String, message: String } }, 'the v1 envelope is the error body')
    t.equal((await mock.context.journal.entries({ path: '/api/v1/access_tokens' })).length, 1, 'exactly one request reached the mock')
  })
}

t.test('the SDK retries an injected 503 and then succeeds, as it does against Whop', async (t) => {
  const mock = await startMock(t)
  mock.context.faults.add({ path: '/api/v1/access_tokens', status: 503, headers: { 'retry-after-ms': '1' } })
  const result = await client(mock.url).accessTokens.create({ company_id: acme.id })
  t.match(result, { token: String })
  t.same(
    (await mock.context.journal.entries({ path: '/api/v1/access_tokens' })).map((e) => [e.status, e.fault]),
    [
      [503, true],
      [200, false],
    ],
  )
})
