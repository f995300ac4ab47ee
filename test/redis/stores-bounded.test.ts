/**
 * The bounds and one-shot tables, against both stores alike: --max-grants holds codes, grants
 * and refresh tokens in Redis as in memory, and a tampering is used once in either.
 */
import t, { type Test } from 'tap'
import { MAX_TAMPERINGS } from '../../src/state/tampering.js'
import { MockError } from '../../src/errors.js'
import { MAX_GRANTS, binding, bothStores, redeem, type Stores } from './helpers/stores.js'

async function boundsSuite(t: Test, stores: Stores): Promise<void> {
  const { grants, clock } = stores
  t.test('codes and grants are bounded by --max-grants: past it, the oldest are forgotten', async (t) => {
    await grants.clear()
    t.equal(grants.capacity, MAX_GRANTS)
    const codes: string[] = []
    for (let i = 0; i < MAX_GRANTS + 5; i++) codes.push(await grants.issueCode(binding))
    t.equal((await grants.size()).codes, MAX_GRANTS, 'codes held at the bound')
    t.same(await grants.redeemCode(redeem(codes[4]!, clock)), { ok: false, refusal: 'unknown' }, 'an evicted code is unknown')
    const kept = codes.slice(5)
    const first = await grants.redeemCode(redeem(kept[0]!, clock))
    if (!first.ok) throw new Error(`redeem refused: ${first.refusal}`)
    for (const code of kept.slice(1)) t.equal((await grants.redeemCode(redeem(code, clock))).ok, true)
    const more = await grants.redeemCode(redeem(await grants.issueCode(binding), clock))
    t.equal(more.ok, true)
    const size = await grants.size()
    t.equal(size.grants, MAX_GRANTS, 'grants held at the bound')
    t.ok(size.refreshTokens <= MAX_GRANTS, 'refresh tokens go with their grants')
    t.equal(await grants.isGrantActive(first.grant.id), false, 'the oldest grant was forgotten')
    await grants.clear()
  })

  t.test('a tampering is used once, oldest first, for its target and client; bounded', async (t) => {
    const { tampering } = stores
    const first = await tampering.add({ target: 'id_token', client_id: 'app_a', kind: 'wrong_nonce' })
    const second = await tampering.add({ target: 'id_token', client_id: 'app_a', kind: 'expired' })
    await tampering.add({ target: 'userinfo', client_id: 'app_a', kind: 'other_sub' })
    t.ok(second.id > first.id)
    t.equal((await tampering.list()).length, 3)
    t.equal(await tampering.take('id_token', 'app_b'), undefined, 'another client has none')
    t.same(await tampering.take('id_token', 'app_a'), first)
    t.same(await tampering.take('id_token', 'app_a'), second)
    t.equal(await tampering.take('id_token', 'app_a'), undefined, 'each is used once')
    t.match(await tampering.take('userinfo', 'app_a'), { kind: 'other_sub' })
    await t.rejects(async () => tampering.add({ target: 'userinfo', client_id: 'app_a', kind: 'wrong_nonce' }), MockError)
    for (let i = 0; i < MAX_TAMPERINGS; i++) await tampering.add({ target: 'userinfo', client_id: 'app_c', kind: 'other_sub' })
    await t.rejects(async () => tampering.add({ target: 'userinfo', client_id: 'app_c', kind: 'other_sub' }), MockError)
    await tampering.clear()
    t.same(await tampering.list(), [])
  })
}

bothStores(t, boundsSuite)
