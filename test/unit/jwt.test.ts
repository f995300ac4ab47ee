/**
 * The mock's JWT signing (src/crypto/jwt.ts): ES256 compact JWS that any JOSE library verifies
 * against the published key, with the header and claims jose's own SignJWT would write.
 */
import t from 'tap'
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose'
import { randomId, signJwt, verifyJwt } from '../../src/crypto/jwt.js'
import { generateSigningKey } from '../../src/crypto/keys.js'

const claims = { iss: 'http://127.0.0.1:4010', sub: 'user_J2isAjIhKtJ0R', company_id: 'biz_u8jzPde0IgxLd6', scoped_actions: ['chat:read'] }
const times = { issuedAt: 1_800_000_000, expiresAt: 1_800_003_600, jti: 'Uu-jti_0123456789' }
const joseToken = (key: Awaited<ReturnType<typeof generateSigningKey>>, audience?: string) => {
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(times.issuedAt)
    .setExpirationTime(times.expiresAt)
    .setJti(times.jti)
  if (audience !== undefined) jwt.setAudience(audience)
  return jwt.sign(key.privateKey)
}

t.test('a signed token verifies with jose against the key set the mock publishes', async (t) => {
  const key = await generateSigningKey()
  const token = await signJwt(key, claims, { ...times, audience: 'app_FAc9QeWJKY40uv' })
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), {
    algorithms: ['ES256'],
    currentDate: new Date((times.issuedAt + 60) * 1000),
  })
  t.same(protectedHeader, { alg: 'ES256', kid: key.kid, typ: 'JWT' })
  t.same(payload, { ...claims, iat: times.issuedAt, exp: times.expiresAt, jti: times.jti, aud: 'app_FAc9QeWJKY40uv' })
})

t.test('the header and claims segments are byte for byte those of jose SignJWT, with and without an audience', async (t) => {
  const key = await generateSigningKey()
  for (const audience of [undefined, 'app_FAc9QeWJKY40uv']) {
    const ours = (await signJwt(key, claims, { ...times, ...(audience !== undefined && { audience }) })).split('.')
    const theirs = (await joseToken(key, audience)).split('.')
    t.equal(ours.length, 3)
    t.same(ours.slice(0, 2), theirs.slice(0, 2), `audience ${audience ?? '(none)'}`)
    t.equal(Buffer.from(ours[2]!, 'base64url').length, 64, 'the signature is the 64-byte r‖s pair of ES256')
  }
})

t.test('a token is expired on the mock clock once its exp has passed, and a changed byte breaks the signature', async (t) => {
  const key = await generateSigningKey()
  const token = await signJwt(key, claims, times)
  t.match(await verifyJwt(key, token, times.issuedAt + 10), { ok: true, claims: { sub: claims.sub, jti: times.jti } })
  t.same(await verifyJwt(key, token, times.expiresAt + 1), { ok: false, reason: 'expired' })
  const [h, p, s] = token.split('.')
  const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`
  t.same(await verifyJwt(key, flipped, times.issuedAt + 10), { ok: false, reason: 'signature' })
})

t.test('a non-finite issuedAt or expiresAt is refused before anything is signed', async (t) => {
  const key = await generateSigningKey()
  await t.rejects(signJwt(key, claims, { ...times, expiresAt: Number.NaN }), TypeError)
  await t.rejects(signJwt(key, claims, { ...times, issuedAt: Number.POSITIVE_INFINITY }), TypeError)
})

t.test('every token gets its own jti, without asking for one', async (t) => {
  const key = await generateSigningKey()
  const jtis = new Set<string>()
  for (let i = 0; i < 200; i++) {
    const token = await signJwt(key, claims, { issuedAt: times.issuedAt, expiresAt: times.expiresAt })
    jtis.add(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti)
  }
  t.equal(jtis.size, 200)
})

t.test('random ids carry the bytes asked for and never repeat, across refills of the entropy pool', async (t) => {
  // 24-byte ids: 4096 bytes hold 170 of them, so 1000 ids cross several refills.
  const ids = Array.from({ length: 1000 }, () => randomId(24))
  t.same(new Set(ids.map((id) => Buffer.from(id, 'base64url').length)), new Set([24]))
  t.equal(new Set(ids).size, 1000)
  t.equal(Buffer.from(randomId(16), 'base64url').length, 16)
  t.equal(Buffer.from(randomId(5000), 'base64url').length, 5000, 'more than the pool holds')
})
