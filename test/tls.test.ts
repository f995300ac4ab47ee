/**
 * HTTPS: a self-signed certificate made at start (or given files), because Auth.js's userinfo
 * call through oauth4webapi refuses plain http; clients trust the certificate the mock hands out.
 * @see docs/whop-reference.md §4.3 step 4, §9 ("Serve https")
 */
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { request } from 'undici'
import { startMock } from './helpers/start-mock.js'
import { certificateFiles, getJson, peerCertificate, trusting } from './helpers/tls.js'
import { buildMockServer } from '../src/server.js'
import { selfSignedCertificate } from '../src/crypto/self-signed.js'

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
  const other = await selfSignedCertificate(['127.0.0.1'], mock.context.clock.now())
  await t.rejects(
    request(`${mock.url}/.well-known/openid-configuration`, { dispatcher: trusting(t, other.cert) }),
    { code: /SELF_SIGNED|UNABLE_TO_VERIFY|SIGNATURE/ },
    'nor one trusting another certificate',
  )
  t.equal((await mock.context.journal.entries()).length, 0)
})

t.test('the mock serves the given certificate and key when tls names their files', async (t) => {
  const pair = await certificateFiles(t)
  const mock = await startMock(t, { tls: { certFile: pair.certFile, keyFile: pair.keyFile } })
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
