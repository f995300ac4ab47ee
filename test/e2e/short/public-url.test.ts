/**
 * The URL the mock advertises comes from PUBLIC_URL (--public-url) when set, independent of the
 * address it binds: a container bound to 0.0.0.0 and reached as http://whop-mock:4010 says so in
 * its banner, its health answer, the pasteable settings and the `iss` of its tokens.
 */
import t, { type Test } from 'tap'
import { decodeJwt } from 'jose'
import { runCli, within } from '../../helpers/cli.js'
import { bearer, call } from '../../helpers/http.js'
import { acme, companyKey } from '../../helpers/fixtures.js'

const GUARD_MS = 30_000

async function serve(t: Test, args: string[], env: Record<string, string> = {}) {
  const cli = runCli(t, ['serve', '--port', '0', '--log-level', 'warn', ...args], env)
  const url = await within(GUARD_MS, 'banner', cli.listening())
  return { url, banner: cli.stdout() }
}

for (const [how, args, env] of [
  ['--public-url', ['--host', '0.0.0.0', '--public-url', 'http://whop-mock:4010'], {}],
  ['PUBLIC_URL', [], { HOST: '0.0.0.0', PUBLIC_URL: 'http://whop-mock:4010/' }],
] as const) {
  t.test(`${how} is advertised everywhere while the server is reached on its bind address`, async (t) => {
    const { url, banner } = await serve(t, [...args], env)
    t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'a wildcard bind is reached on loopback')
    const elsewhere = url.replace('127.0.0.1', '127.0.0.2')
    t.equal(
      (await call('GET', `${elsewhere}/_mock/health`)).status,
      200,
      `${how === 'PUBLIC_URL' ? 'HOST' : '--host'} was read: the wildcard bind answers on another local address too`,
    )
    t.match(banner, `public URL http://whop-mock:4010, issuer http://whop-mock:4010\n`)
    t.match(banner, '  WHOP_BASE_URL=http://whop-mock:4010/api/v1\n')
    t.match(banner, '  WHOP_USER_TOKEN_JWKS_URL=http://whop-mock:4010/.well-known/jwks.json\n')
    t.match(banner, 'Control API: http://whop-mock:4010/_mock/health')
    const health = await call('GET', `${url}/_mock/health`)
    t.match(health, { status: 200, body: { status: 'ok', base_url: 'http://whop-mock:4010', issuer: 'http://whop-mock:4010' } })
    const minted = await call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })
    t.equal(minted.status, 200)
    t.equal(decodeJwt(minted.body.token).iss, 'http://whop-mock:4010', 'tokens carry the public URL as iss')
  })
}

t.test('WHOP_MOCK_ISSUER sets iss apart from the public URL', async (t) => {
  const { url, banner } = await serve(t, ['--host', '0.0.0.0'], {
    PUBLIC_URL: 'http://localhost:4010',
    WHOP_MOCK_ISSUER: 'https://api.whop.com',
  })
  t.match(banner, 'public URL http://localhost:4010, issuer https://api.whop.com\n')
  const health = await call('GET', `${url}/_mock/health`)
  t.match(health.body, { base_url: 'http://localhost:4010', issuer: 'https://api.whop.com' })
})

t.test('without a public URL a wildcard bind advertises loopback, never 0.0.0.0', async (t) => {
  const { url, banner } = await serve(t, ['--host', '0.0.0.0'])
  t.notMatch(banner, '0.0.0.0')
  t.match(banner, `  WHOP_BASE_URL=${url}/api/v1\n`)
  t.match((await call('GET', `${url}/_mock/health`)).body, { base_url: url, issuer: url })
})

t.test('a public URL that is not an absolute http(s) URL exits 2 with one line', async (t) => {
  for (const bad of ['whop-mock:4010', 'ftp://whop-mock']) {
    const cli = runCli(t, ['serve', '--port', '0', '--public-url', bad])
    t.same(await within(GUARD_MS, 'exit', cli.exited), { code: 2, signal: null }, bad)
    t.same(cli.stderr().split('\n').filter(Boolean).length, 1, cli.stderr())
    t.match(cli.stderr(), /^whop-auth-mock: .*must be (an absolute URL|http\(s\))/, bad)
  }
})
