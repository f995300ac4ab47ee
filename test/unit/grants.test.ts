import t from 'tap'
import { MockClock } from '../../src/state/clock.js'
import {
  CODE_TTL_MS,
  GrantStore,
  REFRESH_TTL_MS,
  STORE_CAPACITY,
  type CodeBinding,
  type RedeemCodeRequest,
  type RotateRefreshTokenRequest,
} from '../../src/state/grants.js'

const binding: CodeBinding = {
  flow: 'current',
  clientId: 'app_x',
  redirectUri: 'http://localhost/cb',
  userId: 'user_x',
  scope: 'openid',
  scopes: ['openid'],
  companyId: null,
  codeChallenge: null,
  nonce: null,
}

/** A code exchange that passes every check but the code's own state. */
function exchange(clock: MockClock, code: string, extra: Partial<RedeemCodeRequest> = {}): RedeemCodeRequest {
  return {
    code,
    clientId: binding.clientId,
    flow: binding.flow,
    redirectUri: binding.redirectUri,
    pkce: null,
    issueRefreshToken: false,
    nowMs: clock.nowMs(),
    accessExpiresAtMs: clock.nowMs(),
    ...extra,
  }
}

function refresh(clock: MockClock, token: string, accessExpiresAtMs: number, reuseRevokesGrant = true): RotateRefreshTokenRequest {
  return {
    token,
    clientId: binding.clientId,
    flow: binding.flow,
    stickyCompanyId: null,
    requestedScopes: null,
    reuseRevokesGrant,
    nowMs: clock.nowMs(),
    accessExpiresAtMs,
  }
}

/** Redeem a fresh code; returns the grant and its refresh token. */
function grantOf(store: GrantStore, clock: MockClock, accessExpiresAtMs: number, issueRefreshToken = false) {
  const result = store.redeemCode(exchange(clock, store.issueCode(binding), { accessExpiresAtMs, issueRefreshToken }))
  if (!result.ok) throw new Error(`expected a grant, got ${result.refusal}`)
  return result
}

t.test('a code is redeemed once; its second exchange is a replay that revokes the grant', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const code = store.issueCode(binding)
  const first = store.redeemCode(exchange(clock, code))
  if (!first.ok) throw new Error('expected the first exchange to win')
  t.ok(store.isGrantActive(first.grant.id))
  t.same(store.redeemCode(exchange(clock, code)), { ok: false, refusal: 'replayed' })
  t.notOk(store.isGrantActive(first.grant.id))
})

t.test('a code is checked against its client, flow, redirect_uri and PKCE challenge before it is spent', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  t.same(store.redeemCode(exchange(clock, 'no-such-code')), { ok: false, refusal: 'unknown' })
  const code = store.issueCode({ ...binding, codeChallenge: 'c'.repeat(43) })
  t.same(store.redeemCode(exchange(clock, code, { clientId: 'app_y' })), { ok: false, refusal: 'wrong_client' })
  t.same(store.redeemCode(exchange(clock, code, { flow: 'legacy' })), { ok: false, refusal: 'wrong_flow' })
  t.same(store.redeemCode(exchange(clock, code, { redirectUri: null })), { ok: false, refusal: 'redirect_mismatch' })
  t.same(store.redeemCode(exchange(clock, code, { pkce: { kind: 'absent' } })), { ok: false, refusal: 'verifier_missing' })
  t.same(store.redeemCode(exchange(clock, code, { pkce: { kind: 'malformed' } })), { ok: false, refusal: 'verifier_mismatch' })
  t.same(store.redeemCode(exchange(clock, code, { pkce: { kind: 'hashed', s256: 'd'.repeat(43) } })), {
    ok: false,
    refusal: 'verifier_mismatch',
  })
  t.ok(store.redeemCode(exchange(clock, code, { pkce: { kind: 'hashed', s256: 'c'.repeat(43) } })).ok, 'refusals left the code unspent')
})

t.test('a code expires after CODE_TTL_MS of mock time', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const fresh = store.issueCode(binding)
  const late = store.issueCode(binding)
  clock.advance(CODE_TTL_MS / 1000 - 1)
  t.ok(store.redeemCode(exchange(clock, fresh)).ok)
  clock.advance(1)
  t.same(store.redeemCode(exchange(clock, late)), { ok: false, refusal: 'expired' })
})

t.test('unredeemed codes, dead refresh tokens and spent grants are swept as the clock passes them', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  for (let i = 0; i < 50; i++) store.issueCode(binding)
  grantOf(store, clock, clock.nowMs() + 3600_000, true)
  t.same(store.size(), { codes: 51, grants: 1, refreshTokens: 1 })
  clock.advance(2 * 3600)
  store.sweep()
  t.same(store.size(), { codes: 1, grants: 1, refreshTokens: 1 }, 'expired codes gone; the grant lives while its refresh token does')
  clock.advance(REFRESH_TTL_MS / 1000)
  store.sweep()
  t.same(store.size(), { codes: 0, grants: 0, refreshTokens: 0 }, 'everything gone once the refresh token died')
})

t.test('a revoked grant is kept while its access tokens could still be presented', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const code = store.issueCode(binding)
  const redeemed = store.redeemCode(exchange(clock, code, { accessExpiresAtMs: clock.nowMs() + 3600_000 }))
  if (!redeemed.ok) throw new Error('expected a grant')
  store.revokeGrant(redeemed.grant.id)
  store.sweep()
  t.notOk(store.isGrantActive(redeemed.grant.id), 'still known as revoked')
  t.same(store.redeemCode(exchange(clock, code)), { ok: false, refusal: 'replayed' }, 'and its code still reads as spent')
  clock.advance(3601)
  store.sweep()
  t.same(store.size(), { codes: 0, grants: 0, refreshTokens: 0 })
})

t.test('refresh rotation kills the old token and records the new access expiry', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const { refreshToken: first } = grantOf(store, clock, clock.nowMs() + 1000, true)
  if (first === null) throw new Error('expected a refresh token')
  const expiry = clock.nowMs() + 7200_000
  const rotated = store.rotateRefreshToken(refresh(clock, first, expiry))
  if (!rotated.ok) throw new Error('expected a rotation')
  // With reuse revocation off (its effect is pinned below), the old token is refused and the new one lives on.
  t.same(store.rotateRefreshToken(refresh(clock, first, expiry, false)), { ok: false, refusal: 'reused' })
  t.equal(rotated.grant.lastAccessExpiryMs, expiry)
  t.ok(store.rotateRefreshToken(refresh(clock, rotated.refreshToken, expiry)).ok)
})

t.test('a refresh token is revoked only by its own client', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const { refreshToken } = grantOf(store, clock, clock.nowMs() + 1000, true)
  if (refreshToken === null) throw new Error('expected a refresh token')
  t.same(store.revokeRefreshToken({ token: refreshToken, clientId: 'app_y', nowMs: clock.nowMs() }), { revoked: false })
  t.same(store.revokeRefreshToken({ token: refreshToken, clientId: binding.clientId, nowMs: clock.nowMs() }), { revoked: true })
  t.same(store.rotateRefreshToken(refresh(clock, refreshToken, clock.nowMs())), { ok: false, refusal: 'invalid' })
})

t.test('the store is bounded: beyond STORE_CAPACITY the oldest grant is forgotten with its refresh token', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const first = grantOf(store, clock, clock.nowMs() + 3600_000, true)
  for (let i = 1; i < STORE_CAPACITY; i++) grantOf(store, clock, clock.nowMs() + 3600_000, true)
  t.ok(store.isGrantActive(first.grant.id), 'at capacity the first grant is still there')
  const newest = grantOf(store, clock, clock.nowMs() + 3600_000)
  t.notOk(store.isGrantActive(first.grant.id), 'one more forgets the oldest')
  t.same(store.rotateRefreshToken(refresh(clock, first.refreshToken ?? '', clock.nowMs())), { ok: false, refusal: 'invalid' })
  t.ok(store.isGrantActive(newest.grant.id))
  t.same(store.size(), { codes: STORE_CAPACITY, grants: STORE_CAPACITY, refreshTokens: STORE_CAPACITY - 1 })
})

t.test('a rotated-out refresh token presented again revokes its grant, unless the setting is off', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  for (const revokes of [true, false]) {
    const { grant, refreshToken } = grantOf(store, clock, clock.nowMs() + 1000, true)
    if (refreshToken === null) throw new Error('expected a refresh token')
    const rotated = store.rotateRefreshToken(refresh(clock, refreshToken, clock.nowMs() + 1000, revokes))
    if (!rotated.ok) throw new Error(`expected a rotation, got ${rotated.refusal}`)
    t.same(store.rotateRefreshToken(refresh(clock, refreshToken, clock.nowMs() + 1000, revokes)), { ok: false, refusal: 'reused' })
    t.equal(store.isGrantActive(grant.id), !revokes, `grant active after reuse: ${!revokes} (setting ${revokes})`)
    const next = store.rotateRefreshToken(refresh(clock, rotated.refreshToken, clock.nowMs() + 1000, revokes))
    t.equal(next.ok, !revokes, `the live refresh token ${revokes ? 'died with the grant' : 'still rotates'}`)
  }
})

t.test('rotated-out refresh tokens are forgotten once they would have expired', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const { refreshToken } = grantOf(store, clock, clock.nowMs() + 1000, true)
  if (refreshToken === null) throw new Error('expected a refresh token')
  clock.advance(60)
  const rotated = store.rotateRefreshToken(refresh(clock, refreshToken, clock.nowMs() + 1000))
  if (!rotated.ok) throw new Error('expected a rotation')
  clock.advance(REFRESH_TTL_MS / 1000 - 30)
  t.same(
    store.rotateRefreshToken(refresh(clock, refreshToken, clock.nowMs() + 1000)),
    { ok: false, refusal: 'invalid' },
    'an old token past its life is only invalid',
  )
  t.ok(store.rotateRefreshToken(refresh(clock, rotated.refreshToken, clock.nowMs() + 1000)).ok, 'and revokes nothing')
})
