/**
 * Every token is an ES256 JWT with a kid that verifies against /.well-known/jwks.json;
 * the key is made at start or kept in --key-file so tokens verify across restarts.
 * @see docs/whop-reference.md §3
 */
import t from 'tap'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { buildMockServer } from '../src/server.js'
import { KeyFileError } from '../src/errors/startup.js'

async function mintFrom(url: string) {
  const res = await call('POST', `${url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })
  return res.body.token as string
}

t.test('a minted token verifies against the key set at /.well-known/jwks.json', async (t) => {
  const mock = await startMock(t)
  const token = await mintFrom(mock.url)
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`))
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: mock.url, algorithms: ['ES256'] })
  t.equal(protectedHeader.kid, mock.context.key.kid)
  t.match(payload, {
    iss: mock.url,
    sub: jane.id,
    company_id: acme.id,
    user_id: jane.id,
    scoped_actions: companyKey.permissions,
    iat: Number,
    exp: Number,
    jti: String,
  })
})

t.test('the key set publishes only the public half of a P-256 key', async (t) => {
  const mock = await startMock(t)
  const { body } = await call('GET', `${mock.url}/.well-known/jwks.json`)
  t.equal(body.keys.length, 1)
  t.match(body.keys[0], { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: mock.context.key.kid })
  t.notOk('d' in body.keys[0], 'no private part')
})

t.test('the issuer is configurable and lands in iss', async (t) => {
  const mock = await startMock(t, { issuer: 'https://api.whop.com/' })
  const token = await mintFrom(mock.url)
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`))
  const { payload } = await jwtVerify(token, jwks, { issuer: 'https://api.whop.com' })
  t.equal(payload.iss, 'https://api.whop.com', 'trailing slash dropped: issuers compare exactly')
})

t.test('each start without a key file signs with a new key', async (t) => {
  const a = await startMock(t)
  const b = await startMock(t)
  t.not(a.context.key.kid, b.context.key.kid)
})

t.test('a key file is created when absent and reused, so tokens verify across restarts', async (t) => {
  const dir = t.testdir({})
  const keyFile = `${dir}/signing-key.json`
  const first = await startMock(t, { keyFile })
  const token = await mintFrom(first.url)
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'written readable by the owner only')
  t.match(JSON.parse(readFileSync(keyFile, 'utf8')), { kty: 'EC', crv: 'P-256', d: String })
  const second = await startMock(t, { keyFile })
  t.equal(second.context.key.kid, first.context.key.kid)
  const jwks = createRemoteJWKSet(new URL(`${second.url}/.well-known/jwks.json`))
  const { payload } = await jwtVerify(token, jwks)
  t.equal(payload.sub, jane.id, 'a token of the first run verifies against the second run')
})

t.test('an unusable key file stops the build with a KeyFileError', async (t) => {
  const dir = t.testdir({ 'text.json': 'not json', 'rsa.json': JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' }) })
  await t.rejects(buildMockServer({ keyFile: `${dir}/text.json` }), KeyFileError)
  await t.rejects(buildMockServer({ keyFile: `${dir}/rsa.json` }), /does not hold a private P-256/)
  writeFileSync(`${dir}/public.json`, JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }))
  await t.rejects(buildMockServer({ keyFile: `${dir}/public.json` }), KeyFileError)
})
