/**
 * OpenID discovery as third parties have seen it on api.whop.com: the issuer exactly as
 * configured, absolute endpoints from the public URL, S256 only, ES256 id_tokens; and
 * openid-client, whose issuer check is strict, accepting it.
 * @see docs/whop-reference.md §2.2 Discovery and JWKS [T2-T5], §4.3 (O4W processDiscoveryResponse)
 */
import t from 'tap'
import * as client from 'openid-client'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { publicApp } from './helpers/fixtures.js'

const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/oauth/.well-known/openid-configuration']
const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'revocation_endpoint', 'jwks_uri'] as const

t.test('discovery is served at /.well-known and /oauth/.well-known with the mock as issuer and its endpoints', async (t) => {
  const mock = await startMock(t)
  const [root, oauthAlias] = await Promise.all(DISCOVERY_PATHS.map((path) => call('GET', `${mock.url}${path}`)))
  t.equal(root!.status, 200)
  t.equal(oauthAlias!.status, 200)
  t.strictSame(oauthAlias!.body, root!.body, 'one document at both paths [T3]')
  const doc = root!.body
  t.match(doc, {
    issuer: mock.url,
    authorization_endpoint: `${mock.url}/oauth/authorize`,
    token_endpoint: `${mock.url}/oauth/token`,
    userinfo_endpoint: `${mock.url}/oauth/userinfo`,
    revocation_endpoint: `${mock.url}/oauth/revoke`,
    jwks_uri: `${mock.url}/.well-known/jwks.json`,
  })
  t.strictSame(doc.response_types_supported, ['code'])
  t.strictSame(doc.code_challenge_methods_supported, ['S256'], 'S256 only')
  t.strictSame(doc.token_endpoint_auth_methods_supported, ['none', 'client_secret_post', 'client_secret_basic'])
  t.strictSame(doc.id_token_signing_alg_values_supported, ['ES256'])
  t.ok(doc.claims_supported.includes('nonce'), 'claims_supported lists nonce')
  for (const scope of ['openid', 'profile', 'email']) t.ok(doc.scopes_supported.includes(scope), `scopes_supported lists ${scope}`)
  const jwks = await call('GET', doc.jwks_uri)
  t.match(
    jwks,
    { status: 200, body: { keys: [{ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: mock.context.key.kid }] } },
    'jwks_uri serves the signing key',
  )
})

t.test("discovery's issuer is exactly the configured one, with no trailing slash, whatever URL the mock is reached on", async (t) => {
  const mock = await startMock(t, { issuer: 'https://api.whop.com/' })
  const { body } = await call('GET', `${mock.url}/.well-known/openid-configuration`)
  t.equal(body.issuer, 'https://api.whop.com')
  t.equal(body.token_endpoint, `${mock.url}/oauth/token`, 'endpoints still point where the mock is reached')
})

t.test('discovery endpoints are absolute URLs built from publicUrl, not from the address the request came to', async (t) => {
  const mock = await startMock(t, { publicUrl: 'http://whop-mock:4010' })
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  for (const path of DISCOVERY_PATHS) {
    const { body } = await call('GET', `${mock.url}${path}`)
    t.equal(body.issuer, 'http://whop-mock:4010', `${path}: the issuer defaults to the public URL`)
    for (const name of ENDPOINTS) t.equal(new URL(body[name]).origin, 'http://whop-mock:4010', `${path} ${name}`)
    t.equal(body.jwks_uri, 'http://whop-mock:4010/.well-known/jwks.json', path)
  }
})

t.test("openid-client's discovery() accepts the document fetched from the mock's own URL", async (t) => {
  const mock = await startMock(t)
  // Plain http on loopback: openid-client refuses it unless told otherwise.
  const config = await client.discovery(new URL(mock.url), publicApp.id, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  })
  const metadata = config.serverMetadata()
  t.equal(metadata.issuer, mock.url)
  t.equal(metadata.token_endpoint, `${mock.url}/oauth/token`)
  t.ok(metadata.supportsPKCE(), 'S256 PKCE is advertised')
})

t.test('openid-client accepts issuer https://api.whop.com only when the document is fetched as that issuer', async (t) => {
  const mock = await startMock(t, { issuer: 'https://api.whop.com' })
  const refused = await client
    .discovery(new URL(mock.url), publicApp.id, undefined, client.None(), { execute: [client.allowInsecureRequests] })
    .then(
      () => null,
      (error: unknown) => error,
    )
  t.match(
    refused,
    { code: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', cause: { attribute: 'issuer' } },
    'fetched from 127.0.0.1, issuer https://api.whop.com does not match',
  )

  // As when api.whop.com resolves to the mock (DNS or a proxy): the issuer then matches exactly.
  const remapped = (url: string, init: client.CustomFetchOptions) =>
    fetch(url.replace('https://api.whop.com', mock.url), init as RequestInit)
  const config = await client.discovery(new URL('https://api.whop.com'), publicApp.id, undefined, client.None(), {
    [client.customFetch]: remapped,
  })
  t.equal(config.serverMetadata().issuer, 'https://api.whop.com')
  t.equal((await mock.context.journal.entries({ path: '/.well-known/openid-configuration' })).length, 2, 'both attempts reached the mock')
})
