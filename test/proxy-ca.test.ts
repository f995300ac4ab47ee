/**
 * The proxy's CA: where its files go and with which modes, that its key is never served and is
 * removed with the proxy, a CA of the user's own (checked before use), the bounded leaf cache,
 * and the library option that starts the proxy beside the mock on loopback.
 */
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { ProxyAgent, request } from 'undici'
import { makeCa } from '../src/proxy/ca.js'
import { LeafCertificates } from '../src/proxy/leaf-certificates.js'
import { selfSignedCertificate } from '../src/crypto/self-signed.js'
import { startMockServer } from '../src/index.js'
import { proxyAgent, startProxiedMock } from './helpers/proxy.js'

t.test('a CA made at start is written to a private temp directory, its key mode 0600, and all of it removed at close', async (t) => {
  const { proxy } = await startProxiedMock(t)
  const dir = dirname(proxy.caFile)
  t.equal(dirname(dir), tmpdir(), "in the OS's temp dir")
  t.equal(statSync(dir).mode & 0o777, 0o700, 'the directory is private')
  const keyFile = join(dir, 'ca-key.pem')
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key is readable by its owner only')
  t.equal(readFileSync(proxy.caFile, 'utf8'), proxy.caCertificate)
  const bundle = readFileSync(proxy.caBundleFile, 'utf8')
  t.ok(bundle.endsWith(proxy.caCertificate), 'the bundle ends with the CA')
  t.ok((bundle.match(/BEGIN CERTIFICATE/g) ?? []).length > 50, 'after the public roots Node trusts')
  const key = readFileSync(keyFile, 'utf8')
  t.match(key, /BEGIN PRIVATE KEY/)
  const answers = await Promise.all(
    ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/_mock/fixtures'].map(async (path) => {
      const res = await request(`https://api.whop.com${path}`, { dispatcher: proxyAgent(t, proxy) })
      return res.body.text()
    }),
  )
  const keyBody = key.replace(/-----[^-]+-----|\s/g, '')
  t.notOk(
    answers.some((text) => text.includes(keyBody)),
    'the CA key is in no answer',
  )
  await proxy.close()
  t.notOk(existsSync(dir), 'the directory is gone once the proxy stops')
})

t.test(
  "a CA of the user's own signs the leaves; a key that is not the certificate's, or a certificate that is no CA, is refused",
  async (t) => {
    const dir = t.testdir()
    const ca = await makeCa(new Date())
    const other = await makeCa(new Date())
    writeFileSync(join(dir, 'ca.pem'), ca.pem)
    writeFileSync(join(dir, 'ca-key.pem'), ca.madeKeyPem ?? '')
    writeFileSync(join(dir, 'other-key.pem'), other.madeKeyPem ?? '')
    const leaf = await selfSignedCertificate(['localhost'], new Date())
    writeFileSync(join(dir, 'leaf.pem'), leaf.cert)
    writeFileSync(join(dir, 'leaf-key.pem'), leaf.key)
    const { proxy } = await startProxiedMock(t, { ca: { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca-key.pem') } })
    t.equal(proxy.caCertificate, ca.pem, "the proxy uses the user's CA")
    t.notOk(existsSync(join(dirname(proxy.caFile), 'ca-key.pem')), 'and copies its key nowhere')
    const res = await request('https://api.whop.com/.well-known/jwks.json', { dispatcher: proxyAgent(t, proxy) })
    await res.body.dump()
    t.equal(res.statusCode, 200, 'a client trusting that CA gets through')
    await t.rejects(startProxiedMock(t, { ca: { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'other-key.pem') } }), {
      name: 'OptionError',
      message: /does not belong to the certificate/,
    })
    await t.rejects(startProxiedMock(t, { ca: { certFile: join(dir, 'leaf.pem'), keyFile: join(dir, 'leaf-key.pem') } }), {
      name: 'OptionError',
      message: /is not a CA certificate/,
    })
    await t.rejects(startProxiedMock(t, { ca: { certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'ca-key.pem') } }), {
      name: 'OptionError',
      message: /cannot be read \(ENOENT\)/,
    })
  },
)

t.test('leaf contexts are cached per host and bounded: the least recently used goes first', async (t) => {
  const leaves = new LeafCertificates(await makeCa(new Date()), 2)
  const first = leaves.contextFor('api.whop.com')
  t.equal(leaves.contextFor('API.whop.com'), first, 'the same host (any case) reuses its context')
  await leaves.contextFor('data.whop.com')
  leaves.contextFor('api.whop.com')
  await leaves.contextFor('whop.com')
  t.equal(leaves.size, 2, 'never more than the bound')
  t.equal(leaves.contextFor('api.whop.com'), first, 'the host used most recently was kept')
  t.not(await leaves.contextFor('data.whop.com'), undefined)
  t.equal(leaves.size, 2)
})

t.test('the library option starts the proxy beside the mock, on loopback, and close() stops both', async (t) => {
  const mock = await startMockServer({ port: 0, proxy: { port: 0 } })
  t.teardown(() => mock.close())
  t.ok(mock.proxy !== null)
  if (mock.proxy === null) return
  t.match(mock.proxy.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'loopback by default')
  t.ok(new X509Certificate(mock.proxy.caCertificate).ca)
  const agent = new ProxyAgent({ uri: mock.proxy.url, requestTls: { ca: mock.proxy.caCertificate } })
  const res = await request('https://api.whop.com/api/v1/users/me', { dispatcher: agent })
  await res.body.dump()
  t.equal(res.statusCode, 401, 'the mock answers (no token sent)')
  t.match(mock.journal()[0], { path: '/api/v1/users/me', original_url: 'https://api.whop.com/api/v1/users/me' })
  await agent.close()
  const dir = dirname(mock.proxy.caFile)
  await mock.close()
  t.notOk(existsSync(dir))
  const plain = await startMockServer({ port: 0 })
  t.equal(plain.proxy, null, 'no proxy unless asked for')
  await plain.close()
})
