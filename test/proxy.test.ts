/**
 * The HTTP proxy for Whop's hosts: a client that only sets a proxy and trusts the proxy's CA
 * reaches the mock at Whop's real URLs (CONNECT with TLS ended by the proxy, or plain HTTP);
 * other hosts are refused with a page naming them, or tunnelled with passthrough.
 * @see docs/whop-reference.md §1 (the hosts), §2.3 and §2.4 (the legacy flow driven here)
 */
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect as netConnect } from 'node:net'
import { connect } from 'node:tls'
import { ProxyAgent, request, type Dispatcher } from 'undici'
import { bearer } from './helpers/http.js'
import { confidentialApp, jane } from './helpers/fixtures.js'
import { legacyAuthorizeQuery, legacyTokenBody } from './helpers/legacy.js'
import { proxyAgent, rawConnect, startProxiedMock } from './helpers/proxy.js'

/** A JSON or text answer through a dispatcher. */
async function through(
  url: string,
  dispatcher: Dispatcher | undefined,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await request(url, {
    ...(dispatcher !== undefined && { dispatcher }),
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    body: init.body ?? null,
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> }
}

t.test(
  "a client through the proxy signs in at whop.com/oauth, exchanges at api.whop.com/v5/oauth/token and reads /v5/me, all at Whop's URLs",
  async (t) => {
    const { mock, agent } = await startProxiedMock(t, {}, { autoApprove: true })
    const authorize = await through(`https://whop.com/oauth/?${legacyAuthorizeQuery()}`, agent)
    t.equal(authorize.status, 302, 'the legacy page answers through the proxy')
    const redirect = new URL(String(authorize.headers.location))
    t.equal(`${redirect.origin}${redirect.pathname}`, confidentialApp.redirect_uris[0], 'back to the app, not to the mock')
    const code = redirect.searchParams.get('code') ?? ''
    t.match(code, /\S{8}/)
    const token = await through('https://api.whop.com/v5/oauth/token', agent, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(legacyTokenBody(code)),
    })
    t.equal(token.status, 200, token.text)
    const accessToken = String(token.json().access_token)
    const me = await through('https://api.whop.com/v5/me', agent, { headers: bearer(accessToken) })
    t.equal(me.status, 200)
    t.match(me.json(), { id: jane.id, username: jane.username })
    const journal = await mock.context.journal.entries()
    t.same(
      journal.map((entry) => [entry.path, entry.original_url?.split('?')[0]]),
      [
        ['/oauth/', 'https://whop.com/oauth/'],
        ['/v5/oauth/token', 'https://api.whop.com/v5/oauth/token'],
        ['/v5/me', 'https://api.whop.com/v5/me'],
      ],
      'the journal shows each request with the URL the client asked for',
    )
    t.ok(mock.checked() >= 3, 'the answers were checked against the spec')
  },
)

t.test(
  "the certificate presented for a Whop host is that host's, signed by the proxy's CA, and a client not trusting the CA is refused",
  async (t) => {
    const { proxy } = await startProxiedMock(t)
    const ca = new X509Certificate(proxy.caCertificate)
    t.equal(ca.ca, true, 'the CA certificate is a CA')
    const trusting = proxyAgent(t, proxy)
    const jwks = await through('https://sandbox-api.whop.com/.well-known/jwks.json', trusting)
    t.equal(jwks.status, 200)
    const untrusting = new ProxyAgent({ uri: proxy.url })
    t.teardown(() => untrusting.close())
    await t.rejects(request('https://api.whop.com/.well-known/jwks.json', { dispatcher: untrusting }), {
      code: /UNABLE_TO_GET_ISSUER|SELF_SIGNED|UNABLE_TO_VERIFY/,
    })
    const tunnel = await rawTunnelCertificate(proxy.url, 'data.whop.com', proxy.caCertificate)
    t.equal(tunnel.checkHost('data.whop.com'), 'data.whop.com')
    t.equal(tunnel.checkHost('example.com'), undefined, 'for that host only')
    t.ok(tunnel.checkIssued(ca) && tunnel.verify(ca.publicKey), 'issued and signed by the CA')
  },
)

/** The leaf certificate the proxy presents for `host`, through a raw CONNECT and a TLS handshake that trusts `ca`. */
async function rawTunnelCertificate(proxyUrl: string, host: string, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(proxyUrl, { method: 'CONNECT', path: `${host}:443` })
    req.once('connect', (_res, socket) => {
      const secure = connect({ socket, servername: host, ca }, () => {
        resolve(new X509Certificate(secure.getPeerCertificate().raw))
        secure.destroy()
      })
      secure.once('error', reject)
    })
    req.once('error', reject)
    req.end()
  })
}

t.test('plain-HTTP proxy requests for Whop hosts are served, in absolute form and through a tunnel alike', async (t) => {
  const { mock, proxy } = await startProxiedMock(t)
  const absolute = await through('http://api.whop.com/.well-known/jwks.json', proxyAgent(t, proxy, false))
  t.equal(absolute.status, 200)
  t.match(absolute.json(), { keys: [{ kid: mock.context.key.kid }] })
  const tunnelled = await through('http://data.whop.com/.well-known/openid-configuration', proxyAgent(t, proxy, true))
  t.equal(tunnelled.status, 200)
  t.same(
    (await mock.context.journal.entries()).map((entry) => entry.original_url),
    ['http://api.whop.com/.well-known/jwks.json', 'http://data.whop.com/.well-known/openid-configuration'],
  )
})

t.test('other hosts are refused with a 502 page naming the host, and nothing is contacted', async (t) => {
  const { mock, proxy } = await startProxiedMock(t)
  const connect = await rawConnect(proxy.url, 'example.com:443')
  t.equal(connect.status, 502)
  t.match(connect.body, /example\.com is not served/)
  t.match(connect.body, /offline by design/)
  const plain = await through('http://example.com/path', proxyAgent(t, proxy, false))
  t.equal(plain.status, 502)
  t.match(plain.headers['content-type'], /^text\/html/)
  t.match(plain.text, /example\.com is not served/)
  const site = await through('https://whop.com/discover', proxyAgent(t, proxy))
  t.equal(site.status, 502, "Whop's website outside its authorize page is not the mock's")
  t.match(site.text, /whop\.com\/discover is not served/)
  const direct = await through(`${proxy.url}/`, undefined)
  t.equal(direct.status, 400, 'a request addressed to the proxy itself is not a proxy request')
  t.equal((await mock.context.journal.entries()).length, 0, 'the mock saw none of them')
})

t.test('with passthrough, other hosts are tunnelled and relayed to where they are (a loopback server here)', async (t) => {
  const seen: string[] = []
  const server = createServer((req, res) => {
    seen.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'text/plain' }).end('from the real host')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { proxy: closed } = await startProxiedMock(t)
  t.equal((await through(`${target}/refused`, proxyAgent(t, closed, false))).status, 502, 'without passthrough: refused')
  t.equal((await rawConnect(closed.url, new URL(target).host)).status, 502, 'tunnels too')
  t.same(seen, [], 'and the server saw nothing')
  const { proxy } = await startProxiedMock(t, { passthrough: true })
  const tunnelled = await through(`${target}/tunnelled`, proxyAgent(t, proxy, true))
  t.equal(tunnelled.text, 'from the real host')
  const relayed = await through(`${target}/relayed`, proxyAgent(t, proxy, false))
  t.equal(relayed.text, 'from the real host')
  t.same(seen, ['/tunnelled', '/relayed'])
})

/** Send raw bytes to the proxy and collect what it answers until it closes (or 3 s pass). */
function rawExchange(proxyUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(proxyUrl)
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: hostname, port: Number(port) }, () => socket.write(bytes))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.setTimeout(3000, () => socket.destroy())
    socket.once('close', () => resolve(answer))
    socket.once('error', reject)
  })
}

t.test('malformed proxy input is refused and the proxy keeps serving', async (t) => {
  const { mock, proxy, agent } = await startProxiedMock(t)
  t.match(
    await rawExchange(proxy.url, 'CONNECT api.whop.com HTTP/1.1\r\nHost: api.whop.com\r\n\r\n'),
    /^HTTP\/1\.1 400 .*CONNECT needs host:port/s,
  )
  t.match(await rawExchange(proxy.url, 'CONNECT [zz:443 HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400 /)
  const garbage = await rawExchange(proxy.url, 'CONNECT api.whop.com:443 HTTP/1.1\r\n\r\nnot tls and not http\r\n\r\n')
  t.match(garbage, /^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 400 Bad Request/, 'bytes that are neither TLS nor HTTP: 400')
  t.match(await rawExchange(proxy.url, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/)
  const huge = await through('https://api.whop.com/oauth/token', agent, { method: 'POST', body: 'x'.repeat(9 * 1024 * 1024) })
  t.equal(huge.status, 413, 'a body beyond 8 MiB is refused by the proxy')
  const after = await through('https://api.whop.com/.well-known/jwks.json', agent)
  t.equal(after.status, 200, 'and the proxy still serves')
  t.equal((await mock.context.journal.entries()).length, 1, 'only the good request reached the mock')
})
