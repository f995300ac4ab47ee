import t from 'tap'
import { MockClock } from '../../src/state/clock.js'
import { CODE_TTL_MS, GrantStore, REFRESH_TTL_MS, STORE_CAPACITY, type CodeBinding } from '../../src/state/grants.js'

const binding: CodeBinding = {
  flow: 'current',
  clientId: 'app_x',
  redirectUri: 'http://localhost/cb',
  userId: 'user_x',
  scope: 'openid',
  companyId: null,
  codeChallenge: null,
  nonce: null,
}

t.test('a code is fresh, then redeemed once; its second lookup is a replay', async (t) => {
  const store = new GrantStore(new MockClock())
  const code = store.issueCode(binding)
  const found = store.lookupCode(code.code)
  t.equal(found.kind, 'fresh')
  const grant = store.redeem(code, 0)
  t.equal(store.lookupCode(code.code).kind, 'replayed')
  t.throws(() => store.redeem(code, 0), /spent code/)
  t.ok(store.isGrantActive(grant.id))
  store.revokeReplayed(code)
  t.notOk(store.isGrantActive(grant.id))
})

t.test('a code expires after CODE_TTL_MS of mock time', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const code = store.issueCode(binding)
  clock.advance(CODE_TTL_MS / 1000 - 1)
  t.equal(store.lookupCode(code.code).kind, 'fresh')
  clock.advance(1)
  t.equal(store.lookupCode(code.code).kind, 'expired')
})

t.test('unredeemed codes, dead refresh tokens and spent grants are swept as the clock passes them', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  for (let i = 0; i < 50; i++) store.issueCode(binding)
  const redeemed = store.issueCode(binding)
  const grant = store.redeem(redeemed, clock.nowMs() + 3600_000)
  store.issueRefreshToken(grant)
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
  const grant = store.redeem(code, clock.nowMs() + 3600_000)
  store.revokeGrant(grant.id)
  store.sweep()
  t.notOk(store.isGrantActive(grant.id), 'still known as revoked')
  t.equal(store.lookupCode(code.code).kind, 'replayed', 'and its code still reads as spent')
  clock.advance(3601)
  store.sweep()
  t.same(store.size(), { codes: 0, grants: 0, refreshTokens: 0 })
})

t.test('refresh rotation kills the old token and records the new access expiry', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const grant = store.redeem(store.issueCode(binding), clock.nowMs() + 1000)
  const first = store.issueRefreshToken(grant)
  const live = store.lookupRefreshToken(first)
  if (live.kind !== 'live') throw new Error('expected live')
  const expiry = clock.nowMs() + 7200_000
  const second = store.rotateRefreshToken(live, expiry)
  t.equal(store.lookupRefreshToken(first).kind, 'invalid')
  t.equal(store.lookupRefreshToken(second).kind, 'live')
  t.equal(grant.lastAccessExpiryMs, expiry)
})

t.test('the store is bounded: beyond STORE_CAPACITY the oldest grant is forgotten with its refresh token', async (t) => {
  const clock = new MockClock()
  const store = new GrantStore(clock)
  const first = store.redeem(store.issueCode(binding), clock.nowMs() + 3600_000)
  const firstRefresh = store.issueRefreshToken(first)
  for (let i = 1; i < STORE_CAPACITY; i++) store.issueRefreshToken(store.redeem(store.issueCode(binding), clock.nowMs() + 3600_000))
  t.ok(store.isGrantActive(first.id), 'at capacity the first grant is still there')
  const newest = store.redeem(store.issueCode(binding), clock.nowMs() + 3600_000)
  t.notOk(store.isGrantActive(first.id), 'one more forgets the oldest')
  t.equal(store.lookupRefreshToken(firstRefresh).kind, 'invalid')
  t.ok(store.isGrantActive(newest.id))
  t.same(store.size(), { codes: STORE_CAPACITY, grants: STORE_CAPACITY, refreshTokens: STORE_CAPACITY - 1 })
})
