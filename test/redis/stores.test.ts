/**
 * One test body for both stores: the in-memory one and the Redis one (on a real redis-server)
 * must decide every code, refresh token, revocation, fault, journal entry and sign-in alike.
 */
import t, { type Test } from 'tap'
import { journalEntry } from '../helpers/journal-entry.js'
import type { JournalEntry } from '../../src/state/journal.js'
import type { AuthorizeRequest } from '../../src/state/sign-in.js'
import { JOURNAL_SIZE, binding, bothStores, redeem, rotate, type Stores } from './helpers/stores.js'

const entry = journalEntry

const signIn: AuthorizeRequest = {
  flow: 'current',
  clientId: binding.clientId,
  redirectUri: binding.redirectUri,
  redirectUriGiven: true,
  scope: 'openid',
  scopeGiven: true,
  state: null,
  nonce: null,
  codeChallenge: null,
  companyId: null,
  hintedUserId: null,
  signedInUserId: null,
}

/** Journal entries are sent without waiting: read until they are all there. */
async function journalOf(stores: Stores, count: number): Promise<JournalEntry[]> {
  for (let i = 0; ; i++) {
    const entries = await stores.journal.entries()
    if (entries.length >= count || i > 100) return entries
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function storeSuite(t: Test, stores: Stores): Promise<void> {
  const { grants, clock } = stores
  t.test('a code is redeemed once; its replay revokes the grant and its refresh token', async (t) => {
    const code = await grants.issueCode(binding)
    t.same(await grants.redeemCode(redeem(code, clock, { clientId: 'app_other' })), { ok: false, refusal: 'wrong_client' })
    t.same(await grants.redeemCode(redeem(code, clock, { pkce: { kind: 'absent' } })), { ok: false, refusal: 'verifier_missing' })
    t.same(await grants.redeemCode(redeem(code, clock, { pkce: { kind: 'hashed', s256: 'other' } })), {
      ok: false,
      refusal: 'verifier_mismatch',
    })
    t.same(await grants.redeemCode(redeem(code, clock, { redirectUri: 'https://evil.example/' })), {
      ok: false,
      refusal: 'redirect_mismatch',
    })
    t.same(await grants.redeemCode(redeem(code, clock, { flow: 'legacy' })), { ok: false, refusal: 'wrong_flow' })
    const won = await grants.redeemCode(redeem(code, clock))
    if (!won.ok) throw new Error(`redeem refused: ${won.refusal}`)
    t.same(won.grant.scopes, ['openid', 'profile'])
    t.equal(won.grant.companyId, null)
    t.equal(await grants.isGrantActive(won.grant.id), true)
    t.same(await grants.redeemCode(redeem(code, clock)), { ok: false, refusal: 'replayed' })
    t.equal(await grants.isGrantActive(won.grant.id), false, 'the replay revoked the grant')
    t.match(await grants.rotateRefreshToken(rotate(won.refreshToken ?? '', clock)), { ok: false, refusal: 'invalid' })
    t.same(await grants.redeemCode(redeem('no-such-code', clock)), { ok: false, refusal: 'unknown' })
  })

  t.test('a code expires on the mock clock', async (t) => {
    const code = await grants.issueCode(binding)
    clock.advance(301)
    t.same(await grants.redeemCode(redeem(code, clock)), { ok: false, refusal: 'expired' })
    clock.reset()
  })

  t.test('rotation kills the old refresh token; its reuse revokes the grant', async (t) => {
    const won = await grants.redeemCode(redeem(await grants.issueCode(binding), clock))
    if (!won.ok || won.refreshToken === null) throw new Error('redeem refused')
    const rotated = await grants.rotateRefreshToken(rotate(won.refreshToken, clock))
    if (!rotated.ok) throw new Error(`rotation refused: ${rotated.refusal}`)
    t.not(rotated.refreshToken, won.refreshToken)
    t.match(await grants.rotateRefreshToken({ ...rotate(rotated.refreshToken, clock), requestedScopes: ['admin'] }), {
      ok: false,
      refusal: 'scope_exceeded',
    })
    t.match(await grants.rotateRefreshToken(rotate(won.refreshToken, clock)), { ok: false, refusal: 'reused' })
    t.equal(await grants.isGrantActive(won.grant.id), false)
    t.match(await grants.rotateRefreshToken(rotate(rotated.refreshToken, clock)), { ok: false, refusal: 'invalid' })
  })

  t.test('only its own client revokes a refresh token; revoking a grant ends it', async (t) => {
    const won = await grants.redeemCode(redeem(await grants.issueCode(binding), clock))
    if (!won.ok || won.refreshToken === null) throw new Error('redeem refused')
    const nowMs = clock.nowMs()
    t.same(await grants.revokeRefreshToken({ token: won.refreshToken, clientId: 'app_other', nowMs }), { revoked: false })
    t.same(await grants.revokeRefreshToken({ token: won.refreshToken, clientId: binding.clientId, nowMs }), { revoked: true })
    t.match(await grants.rotateRefreshToken(rotate(won.refreshToken, clock)), { ok: false, refusal: 'invalid' })
    t.equal(await grants.isGrantActive(won.grant.id), true, 'access tokens live on')
    await grants.revokeGrant(won.grant.id)
    t.equal(await grants.isGrantActive(won.grant.id), false)
  })

  t.test('a snapshot restores into an empty store', async (t) => {
    const code = await grants.issueCode(binding)
    const snapshot = await grants.snapshot()
    await grants.clear()
    t.same(await grants.size(), { codes: 0, grants: 0, refreshTokens: 0 })
    await grants.restore(snapshot)
    t.match(await grants.redeemCode(redeem(code, clock)), { ok: true })
  })

  t.test('a fault fires `times`, then no more', async (t) => {
    const armed = await stores.faults.add({ path: '/x', status: 503, times: 2 })
    t.match(await stores.faults.list(), [{ id: armed.id, remaining: 2, status: 503 }])
    t.match(await stores.faults.take('GET', '/x'), { status: 503, remaining: 1 })
    t.equal(await stores.faults.take('GET', '/y'), undefined)
    t.match(await stores.faults.take('POST', '/x'), { status: 503, remaining: 0 })
    t.equal(await stores.faults.take('GET', '/x'), undefined)
    t.same(await stores.faults.list(), [])
  })

  t.test('the journal keeps the newest entries in order within its capacity', async (t) => {
    await stores.journal.clear()
    for (const path of ['/1', '/2', '/3', '/4', '/5']) stores.journal.record(entry(path), 100)
    const entries = await journalOf(stores, JOURNAL_SIZE)
    t.same(
      entries.map((e) => e.path),
      ['/3', '/4', '/5'],
    )
    t.ok(entries[0]!.id < entries[1]!.id && entries[1]!.id < entries[2]!.id, 'numbered in order')
    t.equal(await stores.journal.droppedCount(), 2)
  })

  t.test('a sign-in is pending until finished; an approval remembers the consent', async (t) => {
    const pending = await stores.signIn.begin(signIn)
    t.equal((await stores.signIn.pending(pending.id))?.csrf, pending.csrf)
    await stores.signIn.finish(pending.id)
    t.equal(await stores.signIn.pending(pending.id), undefined)
    const session = await stores.signIn.approve(undefined, 'user_1', binding.clientId, ['profile', 'openid'])
    t.equal(await stores.signIn.signedInUser(session), 'user_1')
    t.equal(await stores.signIn.consentedUser(session, binding.clientId, ['openid', 'profile']), 'user_1')
    t.equal(await stores.signIn.consentedUser(session, binding.clientId, ['openid', 'email']), null)
    clock.advance(24 * 3600 + 1)
    t.equal(await stores.signIn.signedInUser(session), null, 'sessions expire on the mock clock')
    clock.reset()
  })
}

bothStores(t, storeSuite)
