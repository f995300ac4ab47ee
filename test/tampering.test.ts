/**
 * Tampering (`/_mock/tamper`): one-shot spoiling of the next id_token or userinfo answer for one
 * client, per tenant, bounded, cleared by reset; every answer checked against the spec.
 */
import t from 'tap'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { confidentialApp, jane, publicApp, sam } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce } from './helpers/oauth.js'
import { MAX_TAMPERINGS } from '../src/state/tampering.js'

/** A public-app sign-in as jane with `nonce`: the token answer. */
async function signIn(url: string, nonce: string) {
  const pair = pkce()
  const code = await codeFor(url, { pkce: pair, nonce })
  const res = await exchangeCurrent(url, {
    grant_type: 'authorization_code',
    code,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
    code_verifier: pair.verifier,
  })
  if (res.status !== 200) throw new Error(`the exchange answered ${res.status}: ${res.text}`)
  return res.body as { access_token: string; id_token: string }
}

const tamper = (url: string, json: unknown) => call('POST', `${url}/_mock/tamper`, { json })

t.test('each id_token tampering spoils the next id_token for that client, once, and the journal notes it', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const jwks = createLocalJWKSet((await call('GET', `${mock.url}/.well-known/jwks.json`)).body as JSONWebKeySet)
  const verify = (token: string) => jwtVerify(token, jwks, { algorithms: ['ES256'], currentDate: mock.context.clock.now() })
  const sound = await signIn(mock.url, 'sound-nonce-0123456789')
  const soundClaims = decodeJwt(sound.id_token)
  t.equal((await verify(sound.id_token)).payload.nonce, 'sound-nonce-0123456789', 'untampered, the id_token verifies')
  const nowSeconds = () => Math.floor(mock.context.clock.nowMs() / 1000)

  const checks: Record<string, (token: string) => Promise<void>> = {
    wrong_nonce: async (token) => {
      t.not(decodeJwt(token).nonce, 'nonce-for-this-sign-in-01', 'another nonce')
      t.match(decodeJwt(token).nonce, /^[\w-]{16,}$/)
      await verify(token)
    },
    other_aud: async (token) => {
      t.equal(decodeJwt(token).aud, confidentialApp.id, "the first other app's id")
      await verify(token)
    },
    wrong_iss: async (token) => {
      t.equal(decodeJwt(token).iss, 'https://issuer.invalid')
      await verify(token)
    },
    expired: async (token) => {
      const { exp, iat } = decodeJwt(token)
      t.ok(exp! < nowSeconds() - 3000 && iat! < exp!, `expired an hour ago (exp ${exp}, now ${nowSeconds()})`)
      await t.rejects(verify(token), { code: 'ERR_JWT_EXPIRED' })
    },
    alg_none: async (token) => {
      t.same(decodeProtectedHeader(token), { alg: 'none', typ: 'JWT' })
      t.equal(token.split('.')[2], '', 'no signature')
      t.equal(decodeJwt(token).sub, jane.id, 'the claims are sound')
    },
    bad_signature: async (token) => {
      t.equal(decodeJwt(token).nonce, 'nonce-for-this-sign-in-01', 'the claims are sound')
      await t.rejects(verify(token), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
    },
  }
  for (const [kind, check] of Object.entries(checks)) {
    const armed = await tamper(mock.url, { target: 'id_token', client_id: publicApp.id, kind })
    t.equal(armed.status, 201)
    t.match(armed.body, { id: Number, target: 'id_token', client_id: publicApp.id, kind })
    const spoiled = await signIn(mock.url, 'nonce-for-this-sign-in-01')
    t.equal(decodeJwt(spoiled.access_token).sub, jane.id, `${kind}: the access token is untouched`)
    await check(spoiled.id_token)
    const note = (await mock.context.journal.entries({ path: '/oauth/token' })).at(-1)?.note
    t.equal(note, `tampered id_token: ${kind}`, `${kind}: the journal notes it`)
    const next = await signIn(mock.url, 'nonce-for-this-sign-in-02')
    t.equal((await verify(next.id_token)).payload.nonce, 'nonce-for-this-sign-in-02', `${kind}: one shot, the next is sound`)
  }
  t.equal(soundClaims.aud, publicApp.id)
})

t.test('a tampering waits for its own client: another app signs in untouched', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  await tamper(mock.url, { target: 'id_token', client_id: confidentialApp.id, kind: 'wrong_iss' })
  const token = await signIn(mock.url, 'nonce-for-this-sign-in-03')
  t.equal(decodeJwt(token.id_token).iss, mock.url)
  const listed = await call('GET', `${mock.url}/_mock/tamper`)
  t.equal(listed.status, 200)
  t.match(listed.body, { tamperings: [{ target: 'id_token', client_id: confidentialApp.id, kind: 'wrong_iss' }] })
})

t.test("other_sub answers the next userinfo for that client with another user's sub, once", async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const { access_token } = await signIn(mock.url, 'nonce-for-this-sign-in-04')
  const armed = await tamper(mock.url, { target: 'userinfo', client_id: publicApp.id, kind: 'other_sub' })
  t.equal(armed.status, 201)
  const spoiled = await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(access_token) })
  t.equal(spoiled.status, 200)
  t.equal(spoiled.body.sub, sam.id, 'the first other user in the fixtures')
  t.equal(spoiled.body.preferred_username, jane.username, "the rest is still jane's")
  t.equal((await mock.context.journal.entries({ path: '/oauth/userinfo' })).at(-1)?.note, 'tampered userinfo: other_sub')
  const next = await call('GET', `${mock.url}/oauth/userinfo`, { headers: bearer(access_token) })
  t.equal(next.body.sub, jane.id)
  t.same((await call('GET', `${mock.url}/_mock/tamper`)).body, { tamperings: [] }, 'used up')
})

t.test('a kind that does not fit its target, an unknown kind or a missing client is 400 in the control envelope', async (t) => {
  const mock = await startMock(t)
  const misfits = [
    [{ target: 'userinfo', client_id: publicApp.id, kind: 'alg_none' }, 'kind'],
    [{ target: 'id_token', client_id: publicApp.id, kind: 'other_sub' }, 'kind'],
  ] as const
  for (const [json, param] of misfits) {
    const res = await tamper(mock.url, json)
    t.equal(res.status, 400, JSON.stringify(json))
    t.equal(res.body.error.param, param)
  }
  for (const json of [{ target: 'id_token', client_id: publicApp.id, kind: 'forged' }, { target: 'id_token', kind: 'alg_none' }, {}])
    t.equal((await tamper(mock.url, json)).status, 400, JSON.stringify(json))
  t.same((await call('GET', `${mock.url}/_mock/tamper`)).body, { tamperings: [] }, 'nothing armed')
})

t.test(`at most ${MAX_TAMPERINGS} are armed per tenant; DELETE and reset clear them; tenants keep their own`, async (t) => {
  const mock = await startMock(t)
  const spec = { target: 'id_token', client_id: publicApp.id, kind: 'expired' }
  for (let i = 0; i < MAX_TAMPERINGS; i++) t.equal((await tamper(mock.url, spec)).status, 201)
  const over = await tamper(mock.url, spec)
  t.equal(over.status, 400)
  t.match(over.body.error.message, /At most 100 tamperings/)
  const tenant = `${mock.url}/t/other`
  t.equal((await tamper(tenant, spec)).status, 201, "another tenant's table is its own")
  t.equal((await call('DELETE', `${mock.url}/_mock/tamper`)).status, 204)
  t.same((await call('GET', `${mock.url}/_mock/tamper`)).body, { tamperings: [] })
  t.equal((await call('GET', `${tenant}/_mock/tamper`)).body.tamperings.length, 1)
  t.equal((await call('POST', `${tenant}/_mock/reset`)).status, 204)
  t.same((await call('GET', `${tenant}/_mock/tamper`)).body, { tamperings: [] }, 'reset clears them')
})
