/**
 * `whop-auth-mock serve` reads each option from its flag or, when the flag is absent, from its
 * environment variable: fixtures, key file, journal size, auto-approve, and the TLS files
 * (which go together).
 */
import t, { type Test } from 'tap'
import { X509Certificate } from 'node:crypto'
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { request } from 'undici'
import { runCli, within, type CliRun } from '../../helpers/cli.js'
import { certificateFiles, peerCertificate, trusting } from '../../helpers/tls.js'
import { bearer, call } from '../../helpers/http.js'
import { acme, defaults } from '../../helpers/fixtures.js'

const GUARD_MS = 30_000

/** An API key only the custom fixture file has. */
const CUSTOM_KEY = 'whop_customFixtureKey0123456789'

function customFixtures(): string {
  const fixtures = structuredClone(defaults)
  fixtures.api_keys.push({ key: CUSTOM_KEY, name: 'custom', kind: 'company', company_ids: [acme.id], permissions: [] })
  return JSON.stringify(fixtures)
}

async function stop(cli: CliRun) {
  cli.child.kill('SIGTERM')
  return within(GUARD_MS, 'serve exit', cli.exited)
}

/** Serve with these options, check what it says it was given, and mint a token with the custom key. */
async function serveAndCheck(t: Test, args: string[], env: Record<string, string>, expected: { journalSize: number }) {
  const cli = runCli(t, ['serve', '--port', '0', '--log-level', 'silent', ...args], env)
  const url = await within(GUARD_MS, 'serve listening', cli.listening())
  t.strictSame(
    (await call('GET', `${url}/_mock/settings`)).body,
    { auto_approve: true, strict_scopes: true, allow_openid_without_nonce: true, revoke_grant_on_refresh_reuse: false },
    'auto-approve and strict scopes are on, refresh reuse revocation off',
  )
  t.equal((await call('GET', `${url}/_mock/journal`)).body.capacity, expected.journalSize, 'the journal size')
  const minted = await call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(CUSTOM_KEY), json: { company_id: acme.id } })
  t.equal(minted.status, 200, 'a key only the fixture file has mints')
  const jwks = (await call('GET', `${url}/.well-known/jwks.json`)).body
  t.same(await stop(cli), { code: 0, signal: null })
  return { token: minted.body.token as string, jwks }
}

t.test('fixtures, key file, journal size, auto-approve and strict scopes, from the environment and then from flags', async (t) => {
  const dir = t.testdir({ 'fixtures.json': customFixtures() })
  const fixtures = join(dir, 'fixtures.json')
  const keyFile = join(dir, 'signing-key.json')
  const first = await serveAndCheck(
    t,
    [],
    {
      WHOP_MOCK_FIXTURES: fixtures,
      WHOP_MOCK_KEY_FILE: keyFile,
      WHOP_MOCK_JOURNAL_SIZE: '7',
      WHOP_MOCK_AUTO_APPROVE: 'true',
      WHOP_MOCK_STRICT_SCOPES: 'true',
      WHOP_MOCK_ALLOW_OPENID_WITHOUT_NONCE: 'true',
      WHOP_MOCK_KEEP_GRANT_ON_REFRESH_REUSE: 'true',
    },
    { journalSize: 7 },
  )
  t.ok(existsSync(keyFile), 'the key file was created')
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'readable by its owner only')

  const second = await serveAndCheck(
    t,
    [
      '--fixtures',
      fixtures,
      '--key-file',
      keyFile,
      '--journal-size',
      '3',
      '--auto-approve',
      '--strict-scopes',
      '--allow-openid-without-nonce',
      '--keep-grant-on-refresh-reuse',
    ],
    {},
    { journalSize: 3 },
  )
  t.same(second.jwks, first.jwks, 'the same key after a restart')
  const verified = await jwtVerify(first.token, createLocalJWKSet(second.jwks), { algorithms: ['ES256'] })
  t.match(verified.payload, { sub: acme.id, company_id: acme.id }, 'a token from before the restart verifies')
})

t.test('--tls-cert and --tls-key (or their environment variables) serve HTTPS with those files', async (t) => {
  const { cert, certFile, keyFile } = await certificateFiles(t)
  const agent = trusting(t, cert)
  for (const [how, args, env] of [
    ['flags', ['--tls-cert', certFile, '--tls-key', keyFile], {}],
    ['environment', [], { WHOP_MOCK_TLS_CERT: certFile, WHOP_MOCK_TLS_KEY: keyFile }],
  ] as const) {
    const cli = runCli(t, ['serve', '--port', '0', '--log-level', 'silent', ...args], env)
    await within(GUARD_MS, 'banner', cli.printed(/^Control API: /m))
    const banner = cli.stdout()
    const written = /^TLS certificate: (\S+) /m.exec(banner)?.[1]
    t.teardown(() => {
      if (written !== undefined) rmSync(written, { force: true })
    })
    const url = /listening on (https:\/\/127\.0\.0\.1:(\d+))$/m.exec(banner)
    t.ok(url, `${how}: an https URL`)
    const presented = await peerCertificate(url![1]!, cert)
    t.ok(presented.equals(new X509Certificate(cert).raw), `${how}: the handshake presents the given certificate`)
    const health = await request(`${url![1]}/_mock/health`, { dispatcher: agent })
    t.equal(health.statusCode, 200)
    await health.body.dump()
    t.same(await stop(cli), { code: 0, signal: null })
  }
})

t.test('only one of the TLS files exits 2 with one line', async (t) => {
  const dir = t.testdir({ 'cert.pem': 'unused', 'key.pem': 'unused' })
  for (const [how, args, env] of [
    ['--tls-cert', ['--tls-cert', join(dir, 'cert.pem')], {}],
    ['--tls-key', ['--tls-key', join(dir, 'key.pem')], {}],
    ['WHOP_MOCK_TLS_CERT', [], { WHOP_MOCK_TLS_CERT: join(dir, 'cert.pem') }],
  ] as const) {
    const cli = runCli(t, ['serve', '--port', '0', ...args], env)
    t.same(await within(GUARD_MS, 'exit', cli.exited), { code: 2, signal: null }, how)
    t.equal(cli.stderr(), 'whop-auth-mock: --tls-cert and --tls-key go together\n', how)
    t.equal(cli.stdout(), '', `${how}: nothing started`)
  }
})
