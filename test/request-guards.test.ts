/**
 * Who may reach the mock: only configured hosts (DNS rebinding), no foreign Origin and no
 * non-JSON body on the control API, and with a control token a locked control API but health.
 * Every refusal is in its family's envelope, as the spec documents (the contract check runs on each).
 */
import t from 'tap'
import { request as rawRequest } from 'node:http'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { connectMock } from '../src/conformance/mock-handle.js'
import { exposureWarning } from '../src/http/allowed-hosts.js'
import { companyKey } from './helpers/fixtures.js'
import { currentAuthorizeQuery } from './helpers/oauth.js'

const TOKEN = 'control-secret-1234'

/** A request with a Host header of our choosing (undici's fetch would not let us set it). */
function withHost(url: string, path: string, host: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = rawRequest({ hostname, port, path, method, headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('only configured hosts are served: a rebinding Host is 421 in every family', async (t) => {
  const mock = await startMock(t, { publicUrl: 'http://whop-mock.test:4010', allowedHosts: ['extra.example'] })
  for (const path of ['/_mock/fixtures', '/.well-known/jwks.json', '/oauth/token', '/v5/me', '/oauth/authorize', '/nowhere']) {
    const res = await withHost(mock.url, path, 'attacker.example')
    t.equal(res.status, 421, `${path} refuses Host attacker.example`)
  }
  const jsonFamily = JSON.parse((await withHost(mock.url, '/_mock/fixtures', 'attacker.example:4010')).body)
  t.match(jsonFamily, { error: { code: 'forbidden', message: /attacker\.example.*--allowed-hosts/ } }, 'control envelope, names the fix')
  for (const host of ['127.0.0.1:1234', 'localhost', 'app.localhost:80', '[::1]:4010', 'whop-mock.test:4010', 'EXTRA.example']) {
    t.equal((await withHost(mock.url, '/_mock/health', host)).status, 200, `Host ${host} is served`)
  }
})

t.test("allowedHosts '*' serves any host", async (t) => {
  const mock = await startMock(t, { allowedHosts: ['*'] })
  t.equal((await withHost(mock.url, '/_mock/health', 'anything.example')).status, 200)
})

t.test('a foreign Origin is refused on the control API; the mock’s own origin is not', async (t) => {
  const mock = await startMock(t)
  const foreign = await call('POST', `${mock.url}/_mock/reset`, { headers: { origin: 'http://localhost:3000' } })
  t.match(foreign, { status: 403, body: { error: { code: 'forbidden' } } })
  t.equal((await call('GET', `${mock.url}/_mock/fixtures`, { headers: { origin: 'null' } })).status, 403, 'an opaque origin too')
  t.equal((await call('POST', `${mock.url}/_mock/reset`, { headers: { origin: mock.url } })).status, 204, 'its own origin passes')
  const whop = await call('GET', `${mock.url}/.well-known/jwks.json`, { headers: { origin: 'http://localhost:3000' } })
  t.equal(whop.status, 200, 'the Whop surfaces do not care about Origin')
})

t.test('control calls with a body must be application/json: no cross-site simple POST', async (t) => {
  const mock = await startMock(t)
  const plain = await call('POST', `${mock.url}/_mock/reset`, { headers: { 'content-type': 'text/plain' }, body: '{}' })
  t.match(plain, { status: 415, body: { error: { code: 'unsupported_media_type' } } })
  const form = await call('POST', `${mock.url}/_mock/clock`, { form: { advance_seconds: '10' } })
  t.equal(form.status, 415, 'a form post too')
  const clock = await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 10 } })
  t.equal(clock.status, 200, 'JSON passes')
  t.equal((await call('POST', `${mock.url}/_mock/reset`)).status, 204, 'no body, no type passes')
})

t.test('with a control token every control call but health needs it, as Bearer or x-mock-control-token', async (t) => {
  const mock = await startMock(t, { controlToken: TOKEN })
  const locked = await call('GET', `${mock.url}/_mock/fixtures`)
  t.match(locked, { status: 401, body: { error: { code: 'unauthorized' } } })
  t.match(locked.headers['www-authenticate'], /^Bearer realm="whop-auth-mock control"/)
  t.equal((await call('GET', `${mock.url}/_mock/fixtures`, { headers: bearer('wrong-token-0000') })).status, 401, 'a wrong token')
  t.equal((await call('POST', `${mock.url}/_mock/user_tokens`, { json: {} })).status, 401, 'minting needs it')
  t.equal((await call('GET', `${mock.url}/_mock/health`)).status, 200, 'health stays open')
  t.equal((await call('GET', `${mock.url}/_mock/fixtures`, { headers: bearer(TOKEN) })).status, 200, 'Bearer')
  t.equal((await call('GET', `${mock.url}/_mock/fixtures`, { headers: { 'x-mock-control-token': TOKEN } })).status, 200, 'header')
  const whop = await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: 'biz_x' } })
  t.not(whop.status, 401, 'the Whop surfaces keep their own credentials')
  const handle = await connectMock(mock.url, { controlToken: TOKEN })
  t.ok((await handle.fixtures()).users.length > 0, "the conformance runner's handle sends the token")
  await t.rejects(
    connectMock(mock.url, { controlToken: '' }).then((h) => h.fixtures()),
    /401/,
    'and without it is refused',
  )
})

t.test('a control token must be 8 to 256 visible characters', async (t) => {
  await t.rejects(startMock(t, { controlToken: 'short' }), { code: 'option_invalid' })
})

t.test('the exposure warning: beyond loopback without a token, one WARNING line', async (t) => {
  t.match(exposureWarning('0.0.0.0', undefined), /^WARNING: the mock listens beyond loopback without a control token/)
  t.notMatch(exposureWarning('0.0.0.0', undefined) ?? '', /\n/, 'one line')
  t.equal(exposureWarning('0.0.0.0', TOKEN), null, 'locked: no warning')
  t.equal(exposureWarning('127.0.0.1', undefined), null, 'loopback: no warning')
  t.equal(exposureWarning('localhost', undefined), null)
})

t.test("the sign-in page always carries a strict CSP that forbids framing (frame-ancestors 'none')", async (t) => {
  const mock = await startMock(t)
  const page = await call('GET', `${mock.url}/oauth/authorize?${currentAuthorizeQuery({ loginHint: null })}`)
  t.equal(page.status, 200)
  const csp = String(page.headers['content-security-policy'])
  for (const directive of ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) t.ok(csp.includes(directive), directive)
  t.notMatch(csp, /script-src|unsafe-eval/, 'no script is allowed')
})
