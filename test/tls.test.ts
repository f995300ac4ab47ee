/**
 * HTTPS: a self-signed certificate made at start (or given files), because Auth.js's userinfo
 * call through oauth4webapi refuses plain http; clients trust the certificate the mock hands out.
 * @see whop-auth-reference §4.3 step 4, §9 ("Serve https")
 */
import t, { type Test } from 'tap'
import { X509Certificate } from 'node:crypto'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:tls'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { startMock } from './helpers/start-mock.js'
import { buildMockServer } from '../src/server.js'
import { selfSignedCertificate } from '../src/crypto/self-signed.js'

/** An undici agent that trusts exactly `ca`, closed at teardown. */
function trusting(t: Test, ca: string): Agent {
  const agent = new Agent({ connect: { ca } })
  t.teardown(() => agent.close())
  return agent
}

async function getJson(url: string, dispatcher: Agent): Promise<{ status: number; body: any }> {
  const res = await request(url, { dispatcher })
  return { status: res.statusCode, body: await res.body.json() }
}

/** The certificate a TLS handshake with `url` presents, verified against `ca`. */
function peerCertificate(url: string, ca: string): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca }, () => {
      resolve(socket.getPeerCertificate().raw)
      socket.end()
    })
    socket.on('error', reject)
  })
}

t.test('the mock serves https with a self-signed certificate for 127.0.0.1 and localhost when tls is true', async (t) => {
  const mock = await startMock(t, { tls: true })
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  const certificate = new X509Certificate(mock.tlsCertificate!)
  t.equal(certificate.checkIP('127.0.0.1'), '127.0.0.1')
  t.equal(certificate.checkIP('::1'), '::1')
  t.equal(certificate.checkHost('localhost'), 'localhost')
  t.equal(certificate.checkHost('example.com'), undefined, 'and nothing else')
  t.equal(certificate.issuer, certificate.subject, 'self-signed')
  t.ok(certificate.verify(certificate.publicKey), 'signed with its own key')
  const now = mock.context.clock.nowMs()
  t.ok(Date.parse(certificate.validFrom) <= now && now < Date.parse(certificate.validTo), 'valid now')
  t.ok((await peerCertificate(mock.url, mock.tlsCertificate!)).equals(certificate.raw), 'the handshake presents that certificate')
})

t.test('a client trusting the certificate gets discovery and JWKS over https, with https issuer and endpoints', async (t) => {
  const mock = await startMock(t, { tls: true })
  const agent = trusting(t, mock.tlsCertificate!)
  const discovery = await getJson(`${mock.url}/.well-known/openid-configuration`, agent)
  t.equal(discovery.status, 200)
  t.match(discovery.body, { issuer: mock.url, token_endpoint: `${mock.url}/oauth/token`, jwks_uri: `${mock.url}/.well-known/jwks.json` })
  t.match(discovery.body.issuer, /^https:/)
  const jwks = await getJson(discovery.body.jwks_uri, agent)
  t.equal(jwks.status, 200)
  t.match(jwks.body, { keys: [{ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: mock.context.key.kid }] })
})

t.test('a client that does not trust the certificate fails the handshake, and no request reaches the mock', async (t) => {
  const mock = await startMock(t, { tls: true })
  await t.rejects(request(`${mock.url}/.well-known/openid-configuration`), { code: /SELF_SIGNED|UNABLE_TO_VERIFY/ })
  const other = selfSignedCertificate(['127.0.0.1'], mock.context.clock.now())
  await t.rejects(
    request(`${mock.url}/.well-known/openid-configuration`, { dispatcher: trusting(t, other.cert) }),
    { code: /SELF_SIGNED|UNABLE_TO_VERIFY|SIGNATURE/ },
    'nor one trusting another certificate',
  )
  t.equal(mock.context.journal.entries().length, 0)
})

t.test('the mock serves the given certificate and key when tls names their files', async (t) => {
  const dir = t.testdir()
  const pair = selfSignedCertificate(['127.0.0.1', 'localhost'], new Date())
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  writeFileSync(certFile, pair.cert)
  writeFileSync(keyFile, pair.key)
  const mock = await startMock(t, { tls: { certFile, keyFile } })
  t.equal(mock.tlsCertificate, pair.cert)
  t.ok((await peerCertificate(mock.url, pair.cert)).equals(new X509Certificate(pair.cert).raw), 'the handshake presents the file')
  const health = await getJson(`${mock.url}/_mock/health`, trusting(t, pair.cert))
  t.match(health, { status: 200, body: { status: 'ok', base_url: mock.url } })
})

t.test('an unreadable certificate or key file stops the build with an OptionError naming it', async (t) => {
  const dir = t.testdir({ 'key.pem': 'not used' })
  const missing = join(dir, 'missing.pem')
  await t.rejects(buildMockServer({ port: 0, tls: { certFile: missing, keyFile: join(dir, 'key.pem') } }), {
    name: 'OptionError',
    message: `TLS certificate ${missing} cannot be read (ENOENT)`,
  })
})

t.test('an https publicUrl is advertised as issuer and endpoints, and the certificate covers its host', async (t) => {
  const mock = await startMock(t, { tls: true, publicUrl: 'https://whop-mock:4443' })
  t.equal(new X509Certificate(mock.tlsCertificate!).checkHost('whop-mock'), 'whop-mock')
  const discovery = await getJson(`${mock.url}/.well-known/openid-configuration`, trusting(t, mock.tlsCertificate!))
  t.match(discovery.body, {
    issuer: 'https://whop-mock:4443',
    authorization_endpoint: 'https://whop-mock:4443/oauth/authorize',
    jwks_uri: 'https://whop-mock:4443/.well-known/jwks.json',
  })
})

t.test(
  'the CLI with --tls prints an https URL and the certificate file, which clients can trust and which goes when it stops',
  async (t) => {
    const cli = new URL('../dist/cli/main.cjs', import.meta.url).pathname
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--tls', '--log-level', 'silent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let certificateFile: string | undefined = undefined // set once the banner names it; the teardown reads it
    t.teardown(() => {
      child.kill('SIGKILL')
      if (certificateFile !== undefined) rmSync(certificateFile, { force: true })
    })
    // Read on without breaking off: a closed stdout would fail the mock's own "stopping" line.
    let banner = ''
    child.stdout.setEncoding('utf8')
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        banner += chunk
        if (/^TLS certificate: .*\n/m.test(banner)) resolve()
      })
    })
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)$/m.exec(banner)?.[1]
    t.ok(url, 'an https URL')
    certificateFile = /^TLS certificate: (\S+) /m.exec(banner)?.[1]
    t.ok(certificateFile !== undefined && existsSync(certificateFile), `the certificate file ${certificateFile} exists`)
    t.match(banner, new RegExp(`NODE_EXTRA_CA_CERTS=${certificateFile}`))
    const pem = readFileSync(certificateFile!, 'utf8')
    t.equal(new X509Certificate(pem).checkIP('127.0.0.1'), '127.0.0.1')
    const health = await getJson(`${url}/_mock/health`, trusting(t, pem))
    t.match(health, { status: 200, body: { status: 'ok', base_url: url } })
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    t.same(await exited, [0, null])
    t.notOk(existsSync(certificateFile!), 'the certificate file is removed when the mock stops')
  },
)
