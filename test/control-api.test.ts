/**
 * The test-control API under /_mock/: health, fixtures, reset, clock, journal, faults.
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, confidentialApp, jane, tom } from './helpers/fixtures.js'
import {
  codeFor,
  currentAuthorizeQuery,
  exchangeCurrent,
  getNoFollow,
  pkce,
  publicApp,
  type CurrentAuthorize,
  type Pkce,
} from './helpers/oauth.js'

const mint = (url: string, body: unknown = { company_id: acme.id }) =>
  call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: body })

t.test('health answers 200 with the version, issuer and base URL', async (t) => {
  const mock = await startMock(t)
  const res = await call('GET', `${mock.url}/_mock/health`)
  t.equal(res.status, 200)
  t.match(res.body, { status: 'ok', version: String, issuer: mock.url, base_url: mock.url })
})

t.test('fixtures are served whole, secrets included, because they are test data', async (t) => {
  const mock = await startMock(t)
  const { body } = await call('GET', `${mock.url}/_mock/fixtures`)
  t.equal(body.api_keys[0].key, companyKey.key)
  t.equal(body.apps[0].client_secret, confidentialApp.client_secret)
})

t.test('the clock moves by advance_seconds or to an ISO time, and keeps running', async (t) => {
  const mock = await startMock(t)
  const before = await call('GET', `${mock.url}/_mock/clock`)
  t.ok(Math.abs(before.body.offset_seconds) < 1)
  const advanced = await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 301 } })
  t.equal(advanced.status, 200)
  t.ok(Math.abs(advanced.body.offset_seconds - 301) < 0.01)
  t.ok(Date.parse(advanced.body.now) - Date.parse(before.body.now) >= 301_000)
  const set = await call('POST', `${mock.url}/_mock/clock`, { json: { now: '2030-01-01T00:00:00.000Z' } })
  t.ok(Math.abs(Date.parse(set.body.now) - Date.parse('2030-01-01T00:00:00.000Z')) < 1000)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const later = await call('GET', `${mock.url}/_mock/clock`)
  t.ok(Date.parse(later.body.now) > Date.parse(set.body.now), `still running after the move: ${set.body.now} then ${later.body.now}`)
  t.ok(Math.abs(Date.parse(later.body.now) - Date.parse('2030-01-01T00:00:00.000Z')) < 60_000, 'from where it was set')
  const back = await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: -60 } })
  t.ok(Date.parse(back.body.now) < Date.parse('2030-01-01T00:00:00.000Z'))
})

t.test('a clock request with neither, both, or malformed fields is 400 in the control envelope', async (t) => {
  const mock = await startMock(t)
  for (const json of [
    {},
    { advance_seconds: 1, now: '2030-01-01T00:00:00Z' },
    { advance_seconds: 'soon' },
    { now: 'tomorrow' },
    { speed: 2 },
  ]) {
    const res = await call('POST', `${mock.url}/_mock/clock`, { json })
    t.equal(res.status, 400, JSON.stringify(json))
    t.match(res.body, { error: { code: /^parameter_/, message: String } })
  }
  t.match(await call('POST', `${mock.url}/_mock/clock`), { status: 400, body: { error: { message: 'A request body is required.' } } })
})

t.test('the journal records each request with time, method, path, query, headers, body and status', async (t) => {
  const mock = await startMock(t)
  await mint(mock.url, { company_id: acme.id, user_id: jane.id })
  await call('GET', `${mock.url}/.well-known/jwks.json?x=1`)
  const { body } = await call('GET', `${mock.url}/_mock/journal`)
  t.equal(body.entries.length, 2, 'control API calls are not journaled')
  t.match(body.entries[0], {
    id: Number,
    time: String,
    method: 'POST',
    path: '/api/v1/access_tokens',
    query: {},
    headers: { 'content-type': 'application/json' },
    body: { company_id: acme.id, user_id: jane.id },
    status: 200,
    operation_id: 'createAccessToken',
    fault: false,
  })
  t.match(body.entries[1], { method: 'GET', path: '/.well-known/jwks.json', query: { x: '1' }, status: 200 })
})

t.test('the journal masks Authorization values, secrets and tokens to a short prefix', async (t) => {
  const mock = await startMock(t)
  const token = (await mint(mock.url)).body.token as string
  await call('POST', `${mock.url}/api/v1/access_tokens?access_token=${token}`, {
    headers: { ...bearer(companyKey.key), cookie: 'session=abcdefghijklmnop' },
    json: { company_id: acme.id, client_secret: confidentialApp.client_secret, note: token },
  })
  const raw = (await call('GET', `${mock.url}/_mock/journal`)).text
  t.notMatch(raw, companyKey.key, 'the API key never appears whole')
  t.notMatch(raw, confidentialApp.client_secret!, 'nor the client secret')
  t.notMatch(raw, token, 'nor a token')
  t.notMatch(raw, 'abcdefghijklmnop', 'nor a cookie')
  const entry = (await call('GET', `${mock.url}/_mock/journal?limit=1`)).body.entries[0]
  t.equal(entry.headers.authorization, `Bearer ${companyKey.key.slice(0, 8)}…`)
  t.equal(entry.body.client_secret, `${confidentialApp.client_secret!.slice(0, 8)}…`)
  t.equal(entry.query.access_token, `${token.slice(0, 8)}…`)
  t.equal(entry.body.note, `${token.slice(0, 8)}…`, 'a JWT is masked wherever it stands')
})

t.test('the journal filters by path and method and keeps the newest with limit', async (t) => {
  const mock = await startMock(t)
  await mint(mock.url)
  await call('GET', `${mock.url}/.well-known/jwks.json`)
  await mint(mock.url, {})
  const byPath = await call('GET', `${mock.url}/_mock/journal?path=/api/v1/access_tokens`)
  t.same(
    byPath.body.entries.map((e: { status: number }) => e.status),
    [200, 400],
  )
  const byMethod = await call('GET', `${mock.url}/_mock/journal?method=get`)
  t.same(
    byMethod.body.entries.map((e: { path: string }) => e.path),
    ['/.well-known/jwks.json'],
  )
  const newest = await call('GET', `${mock.url}/_mock/journal?limit=1`)
  t.same(
    newest.body.entries.map((e: { status: number }) => e.status),
    [400],
  )
  t.match(await call('GET', `${mock.url}/_mock/journal?limit=0`), { status: 400, body: { error: { param: 'limit' } } })
  t.match(await call('GET', `${mock.url}/_mock/journal?limit=ten`), { status: 400 })
})

t.test('the journal is bounded: the oldest entries are dropped and counted', async (t) => {
  const mock = await startMock(t, { journalSize: 3 })
  for (let i = 0; i < 5; i++) await call('GET', `${mock.url}/.well-known/jwks.json?i=${i}`)
  const { body } = await call('GET', `${mock.url}/_mock/journal`)
  t.same(
    body.entries.map((e: { query: { i: string } }) => e.query.i),
    ['2', '3', '4'],
  )
  t.equal(body.capacity, 3)
  t.equal(body.dropped, 2)
})

t.test('DELETE /_mock/journal empties it', async (t) => {
  const mock = await startMock(t)
  await mint(mock.url)
  t.equal((await call('DELETE', `${mock.url}/_mock/journal`)).status, 204)
  t.same((await call('GET', `${mock.url}/_mock/journal`)).body.entries, [])
})

t.test('a fault answers the next matching request with its status and body, then disarms', async (t) => {
  const mock = await startMock(t)
  const armed = await call('POST', `${mock.url}/_mock/faults`, {
    json: { method: 'POST', path: '/api/v1/access_tokens', status: 502, body: { oops: true }, headers: { 'x-upstream': 'down' } },
  })
  t.equal(armed.status, 201)
  t.match(armed.body, { id: Number, method: 'POST', path: '/api/v1/access_tokens', status: 502, remaining: 1 })
  const failed = await mint(mock.url)
  t.match(failed, { status: 502, body: { oops: true }, headers: { 'x-upstream': 'down' } })
  t.equal((await mint(mock.url)).status, 200, 'disarmed after one shot')
  t.match(
    (await mock.context.journal.entries()).map((e) => [e.status, e.fault]),
    [
      [502, true],
      [200, false],
    ],
  )
})

t.test('a fault without a body answers the documented error of that status in the route family', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', status: 429, times: 2 } })
  for (let i = 0; i < 2; i++) {
    const res = await mint(mock.url)
    t.equal(res.status, 429)
    t.match(res.body, { error: { type: 'rate_limit_exceeded', message: /^Try again in \d+ seconds\.$/ } })
    t.match(res.headers, { 'retry-after': /^\d+$/ })
  }
  t.equal((await mint(mock.url)).status, 200)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', status: 500 } })
  t.match(await mint(mock.url), {
    status: 500,
    body: { error: { type: 'internal_server_error', message: 'An unexpected error occurred' } },
  })
})

t.test('a fault without a body answers in the family of its route: oauth, v5 and v2', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/oauth/token', status: 400 } })
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/v5/me', status: 401 } })
  const checkedBefore = mock.checked()
  const oauth = await call('POST', `${mock.url}/oauth/token`, { json: {} })
  t.equal(oauth.status, 400)
  t.strictSame(oauth.body, { error: 'invalid_request', error_description: 'The request is invalid.' }, 'oauth')
  const v5 = await call('GET', `${mock.url}/v5/me`)
  t.equal(v5.status, 401)
  t.strictSame(
    v5.body,
    {
      error: {
        status: 401,
        message: 'Your access token is invalid. Please make sure you are passing an access token, and that it is correctly formatted.',
      },
    },
    'v5',
  )
  t.equal(mock.checked() - checkedBefore, 2, 'both documented statuses were checked against the spec')
  // Every v2 operation is an OAuth one; the v2 family answers the rest of /v2/.
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/v2/me', status: 500 } })
  const v2 = await call('GET', `${mock.url}/v2/me`)
  t.equal(v2.status, 500)
  t.strictSame(
    v2.body,
    {
      error: {
        code: 500,
        message:
          "Uh oh, something went wrong. This is something we need to fix, and isn't on your end. We've been notified and are working on a fix",
      },
    },
    'v2',
  )
})

t.test('the control API is never faulted, so no fault answers in its family', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/_mock/health', status: 503 } })
  t.match(await call('GET', `${mock.url}/_mock/health`), { status: 200, body: { status: 'ok' } })
  t.match(
    (await call('GET', `${mock.url}/_mock/faults`)).body.faults,
    [{ path: '/_mock/health', remaining: 1 }],
    'still armed, never taken',
  )
})

t.test('a fault matches only its method when one is given', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { method: 'GET', path: '/api/v1/access_tokens', status: 503 } })
  t.equal((await mint(mock.url)).status, 200)
  t.equal((await call('GET', `${mock.url}/_mock/faults`)).body.faults.length, 1, 'still armed')
})

t.test('a fault with only delay_ms stalls the request, which is then served normally', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', delay_ms: 150 } })
  const res = await mint(mock.url)
  t.equal(res.status, 200)
  const entry = (await mock.context.journal.entries())[0]!
  t.ok(entry.duration_ms >= 140, `journal shows the stall (${entry.duration_ms} ms)`)
  t.equal(entry.fault, false)
})

t.test('a fault answers even a request whose body is malformed', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', status: 503 } })
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: { 'content-type': 'application/json' }, body: '{oops' })
  t.equal(res.status, 503)
})

t.test('faults are listed, and DELETE disarms them all', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/a', status: 500 } })
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/b', status: 500, times: 3 } })
  t.same(
    (await call('GET', `${mock.url}/_mock/faults`)).body.faults.map((f: { path: string; remaining: number }) => [f.path, f.remaining]),
    [
      ['/a', 1],
      ['/b', 3],
    ],
  )
  t.equal((await call('DELETE', `${mock.url}/_mock/faults`)).status, 204)
  t.same((await call('GET', `${mock.url}/_mock/faults`)).body.faults, [])
})

t.test('a malformed fault is refused with a 400 naming the field', async (t) => {
  const mock = await startMock(t)
  for (const [json, param] of [
    [{ status: 500 }, 'path'],
    [{ path: 'no-slash', status: 500 }, 'path'],
    [{ path: '/x', status: 99 }, 'status'],
    [{ path: '/x', status: 500, times: 0 }, 'times'],
    [{ path: '/x' }, 'status'],
    [{ path: '/x', status: 500, color: 'red' }, 'color'],
  ] as const) {
    const res = await call('POST', `${mock.url}/_mock/faults`, { json })
    t.equal(res.status, 400, JSON.stringify(json))
    t.equal(res.body.error.param, param)
  }
})

t.test('a fault with a body or headers but no status is refused, and a stall is listed as one', async (t) => {
  const mock = await startMock(t)
  for (const json of [
    { path: '/x', body: { oops: true } },
    { path: '/x', headers: { 'x-a': 'b' }, delay_ms: 10 },
  ]) {
    const res = await call('POST', `${mock.url}/_mock/faults`, { json })
    t.equal(res.status, 400, JSON.stringify(json))
    t.match(res.body.error, { param: 'status', message: 'A fault with a body or headers needs a status to answer with.' })
  }
  const stall = await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/x', delay_ms: 10 } })
  t.strictSame(stall.body, { id: 1, method: null, path: '/x', remaining: 1, kind: 'stall', delay_ms: 10 })
  const answer = await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/x', status: 500 } })
  t.strictSame(answer.body, { id: 2, method: null, path: '/x', remaining: 1, kind: 'answer', status: 500, headers: {}, delay_ms: 0 })
})

t.test('reset forgets codes, tokens and sign-in sessions', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const authorizeUrl = (o: CurrentAuthorize) => `${mock.url}/oauth/authorize?${currentAuthorizeQuery(o)}`
  const exchange = (code: string, pair: Pkce) =>
    exchangeCurrent(mock.url, {
      grant_type: 'authorization_code',
      code,
      client_id: publicApp.id,
      redirect_uri: publicApp.redirect_uris[0]!,
      code_verifier: pair.verifier,
    })
  // A sign-in that leaves a session behind, and its tokens.
  const signedIn = pkce()
  const first = await getNoFollow(authorizeUrl({ pkce: signedIn, loginHint: tom.id }))
  const cookie = String(first.headers['set-cookie']).split(';')[0]!
  const tokens = await exchange(first.location!.searchParams.get('code')!, signedIn)
  t.equal(tokens.status, 200)
  // A code not yet exchanged.
  const unused = pkce()
  const code = await codeFor(mock.url, { pkce: unused })
  // Before the reset all of them work: the session is sent straight back without the page.
  t.equal((await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(tokens.body.access_token) })).status, 200)
  t.equal((await getNoFollow(authorizeUrl({ pkce: pkce(), loginHint: null }), { cookie })).status, 302, 'the session consented')

  t.equal((await call('POST', `${mock.url}/_mock/reset`)).status, 204)
  t.match(await exchange(code, unused), { status: 400, body: { error: 'invalid_grant' } }, 'the code is gone')
  t.match(
    await exchangeCurrent(mock.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: publicApp.id }),
    { status: 400, body: { error: 'invalid_grant' } },
    'the refresh token is gone',
  )
  t.match(
    await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(tokens.body.access_token) }),
    { status: 401, body: { error: 'invalid_token' } },
    'the access token is gone',
  )
  const page = await getNoFollow(authorizeUrl({ pkce: pkce(), loginHint: null }), { cookie })
  t.equal(page.status, 200, 'the session is gone: the sign-in page again')
  t.match(page.text, publicApp.name)
})

t.test('reset brings fixtures, clock, journal and faults back to their start state', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 3600 } })
  await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/api/v1/access_tokens', status: 500 } })
  await call('GET', `${mock.url}/.well-known/jwks.json`)
  mock.context.fixtures.data.users[0]!.name = 'Changed'
  t.equal((await call('POST', `${mock.url}/_mock/reset`)).status, 204)
  t.ok(Math.abs((await call('GET', `${mock.url}/_mock/clock`)).body.offset_seconds) < 1)
  t.same((await call('GET', `${mock.url}/_mock/faults`)).body.faults, [])
  t.same((await call('GET', `${mock.url}/_mock/journal`)).body.entries, [])
  t.equal((await call('GET', `${mock.url}/_mock/fixtures`)).body.users[0].name, jane.name)
  t.equal((await mint(mock.url)).status, 200)
})
