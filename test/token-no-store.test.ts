/**
 * RFC 6749 §5.1: every answer of every token endpoint (each `x-token-era` operation and its
 * aliases, as the spec lists them, plus the v1 mint and the control API's user tokens) carries `Cache-Control: no-store` and `Pragma: no-cache`:
 * tokens, errors, a body over the limit and an injected fault alike.
 */
import t, { type Test } from 'tap'
import { loadBundledSpec } from '../src/spec/load-spec.js'
import { startMock } from './helpers/start-mock.js'
import type { JsonResponse } from './helpers/http.js'
import { call } from './helpers/http.js'
import { codeFor, exchangeCurrent, pkce, publicApp } from './helpers/oauth.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { legacyCode, legacyTokenBody, postToken } from './helpers/legacy.js'

const BODY_LIMIT = 4096

function noStore(t: Test, res: JsonResponse, what: string): void {
  t.match(res.headers, { 'cache-control': 'no-store', pragma: 'no-cache' }, what)
}

async function tokens(url: string, path: string): Promise<JsonResponse> {
  if (path === '/oauth/token') {
    const pair = pkce()
    const code = await codeFor(url, { pkce: pair })
    return exchangeCurrent(url, {
      grant_type: 'authorization_code',
      code,
      client_id: publicApp.id,
      redirect_uri: publicApp.redirect_uris[0]!,
      code_verifier: pair.verifier,
    })
  }
  return postToken(url, path, legacyTokenBody(await legacyCode(url), { grant_type: 'authorization_code' }))
}

t.test('every token endpoint answers no-store, no-cache: tokens, errors, a body too large and a fault', async (t) => {
  const spec = await loadBundledSpec()
  const paths = spec.operations.filter((op) => op.extensions['x-token-era'] !== undefined).flatMap((op) => op.routePaths)
  t.ok(paths.length >= 7, `${paths.length} token endpoint paths`)
  const mock = await startMock(t, { autoApprove: true, bodyLimit: BODY_LIMIT })
  for (const path of paths) {
    const ok = await tokens(mock.url, path)
    t.equal(ok.status, 200, `${path} mints`)
    noStore(t, ok, `${path} 200`)
    const bad = await call('POST', `${mock.url}${path}`, { form: { grant_type: 'authorization_code', code: 'nope' } })
    t.ok(bad.status === 400 || bad.status === 401, `${path} refuses a bad request (${bad.status})`)
    noStore(t, bad, `${path} ${bad.status}`)
    const large = await call('POST', `${mock.url}${path}`, { form: { code: 'x'.repeat(BODY_LIMIT) } })
    t.equal(large.status, 413, `${path} refuses a body over the limit`)
    noStore(t, large, `${path} 413`)
    await call('POST', `${mock.url}/_mock/faults`, { json: { path, status: 503 } })
    const fault = await call('POST', `${mock.url}${path}`, { form: {} })
    t.equal(fault.status, 503, `${path} faulted`)
    noStore(t, fault, `${path} fault 503`)
  }
})

t.test('the v1 mint and the control API user tokens answer no-store too, success and error', async (t) => {
  const mock = await startMock(t)
  const minted = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: { authorization: `Bearer ${companyKey.key}` },
    json: { company_id: acme.id, user_id: jane.id },
  })
  t.equal(minted.status, 200)
  noStore(t, minted, 'mint 200')
  const refused = await call('POST', `${mock.url}/api/v1/access_tokens`, { json: { company_id: acme.id } })
  t.equal(refused.status, 401)
  noStore(t, refused, 'mint 401')
  const userToken = await call('POST', `${mock.url}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: publicApp.id } })
  t.equal(userToken.status, 201)
  noStore(t, userToken, 'user token 201')
})

t.test('other endpoints do not claim it: JWKS stays cacheable', async (t) => {
  const mock = await startMock(t)
  const jwks = await call('GET', `${mock.url}/.well-known/jwks.json`)
  t.equal(jwks.status, 200)
  t.not(jwks.headers['cache-control'], 'no-store')
  t.equal(jwks.headers.pragma, undefined)
})
