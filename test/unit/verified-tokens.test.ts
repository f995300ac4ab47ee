import t from 'tap'
import { generateSigningKey } from '../../src/crypto/keys.js'
import { signJwt } from '../../src/crypto/jwt.js'
import { VerifiedTokens } from '../../src/crypto/verified-tokens.js'

t.test('a remembered token is still judged expired against the clock of each call', async (t) => {
  const key = await generateSigningKey()
  const cache = new VerifiedTokens(key)
  const token = await signJwt(key, { iss: 'https://i', sub: 'user_x' }, { issuedAt: 1000, expiresAt: 2000 })
  t.match(await cache.verify(token, 1500, 'https://i'), { ok: true, claims: { sub: 'user_x' } })
  t.equal(cache.size, 1)
  t.same(await cache.verify(token, 2000, 'https://i'), { ok: false, reason: 'expired' }, 'from memory, but expired now')
  t.match(await cache.verify(token, 1999, 'https://i'), { ok: true })
})

t.test('a token is remembered per issuer, and a bad one is never remembered', async (t) => {
  const key = await generateSigningKey()
  const cache = new VerifiedTokens(key)
  const token = await signJwt(key, { iss: 'https://i', sub: 'user_x' }, { issuedAt: 1000, expiresAt: 2000 })
  t.match(await cache.verify(token, 1500, 'https://i'), { ok: true })
  t.equal(cache.size, 1, 'remembered for its issuer')
  t.match(
    await cache.verify(token, 1500, 'https://other'),
    { ok: false },
    'remembered for https://i does not make it good for another issuer',
  )
  t.equal(cache.size, 1)
  const tampered = `${token.slice(0, -4)}AAAA`
  t.match(await cache.verify(tampered, 1500, 'https://i'), { ok: false, reason: 'signature' })
  t.equal(cache.size, 1, 'neither failure was remembered')
})

t.test('the memory is bounded: the oldest token goes first', async (t) => {
  const key = await generateSigningKey()
  // The cache keeps this object; replacing its public half later makes a fresh verification
  // fail while an answer from memory still succeeds, which shows which tokens are remembered.
  const held = { ...key }
  const cache = new VerifiedTokens(held, 2)
  const tokens = await Promise.all(
    [1, 2, 3].map((n) => signJwt(key, { iss: 'https://i', sub: `user_${n}` }, { issuedAt: 1000, expiresAt: 2000 })),
  )
  for (const token of tokens) t.match(await cache.verify(token, 1500, 'https://i'), { ok: true })
  t.equal(cache.size, 2)
  held.publicKey = (await generateSigningKey()).publicKey
  t.match(await cache.verify(tokens[1]!, 1500, 'https://i'), { ok: true, claims: { sub: 'user_2' } }, 'the second is still remembered')
  t.match(await cache.verify(tokens[2]!, 1500, 'https://i'), { ok: true, claims: { sub: 'user_3' } }, 'the third is still remembered')
  t.same(
    await cache.verify(tokens[0]!, 1500, 'https://i'),
    { ok: false, reason: 'signature' },
    'the first was forgotten, so it is verified afresh',
  )
})
