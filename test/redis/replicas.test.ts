/**
 * Several mock processes on one Redis act as one mock: codes, refresh tokens, revocations, the
 * clock, faults and the journal hold across replicas, and a replica killed mid-run loses nothing.
 * Needs `npm run build` and Debian's redis-server.
 */
import t from 'tap'
import { pkce } from '../helpers/oauth.js'
import { startRedis } from './helpers/redis-server.js'
import { checkedCall, startReplica } from './helpers/replicas.js'
import { codeAt, exchange, refresh, setUp, userinfo } from './helpers/flows.js'

t.test('a code issued at one replica is redeemed at another, once; the replay revokes what it issued everywhere', async (t) => {
  const [a, b] = await setUp(t)
  const verifier = pkce()
  const code = await codeAt(t, a!, verifier)
  const first = await exchange(t, b!, code, verifier)
  t.equal(first.status, 200, 'redeemed at the other replica')
  t.equal((await userinfo(t, a!, first.body.access_token)).status, 200, 'its access token works at the first replica')
  const replay = await exchange(t, a!, code, verifier)
  t.equal(replay.status, 400)
  t.equal(replay.body.error, 'invalid_grant')
  for (const replica of [a!, b!]) t.equal((await userinfo(t, replica, first.body.access_token)).status, 401, `revoked at ${replica.url}`)
  t.equal((await refresh(t, b!, first.body.refresh_token)).status, 400, 'its refresh token is dead too')
})

t.test('100 concurrent exchanges of one code over two replicas: exactly one succeeds', async (t) => {
  const [a, b] = await setUp(t)
  const verifier = pkce()
  const code = await codeAt(t, a!, verifier)
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => exchange(t, i % 2 === 0 ? a! : b!, code, verifier)))
  const won = answers.filter((r) => r.status === 200)
  t.equal(won.length, 1, 'one winner')
  t.equal(answers.filter((r) => r.status === 400 && r.body.error === 'invalid_grant').length, 99, 'every other one is invalid_grant')
  // Every loser was a replay, which revoked what the winner got.
  for (const replica of [a!, b!])
    t.equal((await userinfo(t, replica, won[0]!.body.access_token)).status, 401, `the winner's token is revoked at ${replica.url}`)
})

t.test('a refresh token rotated at one replica is dead at the other, and its reuse revokes the grant', async (t) => {
  const [a, b] = await setUp(t)
  const verifier = pkce()
  const issued = await exchange(t, a!, await codeAt(t, a!, verifier), verifier)
  const rotated = await refresh(t, b!, issued.body.refresh_token)
  t.equal(rotated.status, 200, 'rotated at the other replica')
  t.not(rotated.body.refresh_token, issued.body.refresh_token)
  const reused = await refresh(t, a!, issued.body.refresh_token)
  t.equal(reused.status, 400)
  t.match(reused.body.error_description, /already used/)
  t.equal((await refresh(t, a!, rotated.body.refresh_token)).status, 400, 'the reuse revoked the grant: its new token is dead too')
  t.equal((await userinfo(t, b!, rotated.body.access_token)).status, 401)
})

t.test('--max-grants bounds the codes the replicas keep together: past it, the oldest is forgotten', async (t) => {
  const maxGrants = 100
  const [a, b] = await setUp(t, 2, ['--max-grants', String(maxGrants)])
  const verifier = pkce()
  const codes: string[] = []
  for (let i = 0; i < maxGrants + 5; i++) codes.push(await codeAt(t, i % 2 === 0 ? a! : b!, verifier))
  const oldest = await exchange(t, b!, codes[0]!, verifier)
  t.equal(oldest.status, 400, 'the oldest code was forgotten')
  t.equal(oldest.body.error, 'invalid_grant')
  t.equal((await exchange(t, a!, codes[5]!, verifier)).status, 200, 'the oldest kept one is redeemed')
  t.equal((await exchange(t, b!, codes.at(-1)!, verifier)).status, 200, 'and the newest')
})

t.test('a clock moved at one replica holds at the other, and codes expire on it', async (t) => {
  const [a, b] = await setUp(t)
  const verifier = pkce()
  const code = await codeAt(t, a!, verifier)
  const moved = await checkedCall(t, 'POST', `${a!.url}/_mock/clock`, { json: { advance_seconds: 3600 } })
  t.equal(moved.status, 200)
  const seen = await checkedCall(t, 'GET', `${b!.url}/_mock/clock`)
  t.equal(seen.body.offset_seconds, 3600, 'the other replica reads the moved clock')
  const late = await exchange(t, b!, code, verifier)
  t.equal(late.status, 400)
  t.match(late.body.error_description, /expired/)
  await Promise.all([
    checkedCall(t, 'POST', `${a!.url}/_mock/clock`, { json: { advance_seconds: 10 } }),
    checkedCall(t, 'POST', `${b!.url}/_mock/clock`, { json: { advance_seconds: 20 } }),
  ])
  for (const replica of [a!, b!])
    t.equal(
      (await checkedCall(t, 'GET', `${replica.url}/_mock/clock`)).body.offset_seconds,
      3630,
      `moves made at once add up at ${replica.url}`,
    )
})

t.test('a fault armed at one replica fires `times` in all across both', async (t) => {
  const [a, b] = await setUp(t)
  const armed = await checkedCall(t, 'POST', `${a!.url}/_mock/faults`, { json: { path: '/oauth/userinfo', status: 503, times: 3 } })
  t.equal(armed.status, 201)
  const statuses: number[] = []
  for (const replica of [a!, b!, a!, b!, a!, b!]) statuses.push((await checkedCall(t, 'GET', `${replica.url}/oauth/userinfo`)).status)
  t.same(statuses, [503, 503, 503, 401, 401, 401], 'three shots across both, then the real answer')
  t.same((await checkedCall(t, 'GET', `${b!.url}/_mock/faults`)).body.faults, [])
})

t.test("the journal shows both replicas' requests in order, each marked with its replica", async (t) => {
  const [a, b] = await setUp(t)
  await checkedCall(t, 'DELETE', `${a!.url}/_mock/journal`)
  // An entry is written as its answer goes out: wait for each before the next request, so the order is known.
  let entries: { id: number; replica: string; path: string }[] = []
  for (const [i, replica] of [a!, b!, a!, b!].entries()) {
    await checkedCall(t, 'GET', `${replica.url}/.well-known/jwks.json`)
    for (let tries = 0; tries < 100 && entries.length <= i; tries++) {
      entries = (await checkedCall(t, 'GET', `${b!.url}/_mock/journal`)).body.entries
      if (entries.length <= i) await new Promise((r) => setTimeout(r, 20))
    }
  }
  t.equal(entries.length, 4)
  const replicas = entries.map((e) => e.replica)
  t.equal(new Set(replicas).size, 2, 'two replicas named')
  t.same(replicas, [replicas[0], replicas[1], replicas[0], replicas[1]], 'alternating as the requests were')
  t.same(
    entries.map((e) => e.id),
    [...entries.map((e) => e.id)].sort((x, y) => x - y),
    'numbered in order',
  )
  t.same((await checkedCall(t, 'GET', `${a!.url}/_mock/journal`)).body.entries, entries, 'the same journal at either replica')
})

t.test('a replica killed with SIGKILL and started again mid-run loses nothing', async (t) => {
  const redis = await startRedis(t)
  const a = await startReplica(t, redis.url)
  let b = await startReplica(t, redis.url)
  await checkedCall(t, 'POST', `${a.url}/_mock/settings`, { json: { auto_approve: true } })
  const verifier = pkce()
  const code = await codeAt(t, b, verifier)
  const issued = await exchange(t, b, await codeAt(t, b, verifier), verifier)
  await checkedCall(t, 'POST', `${b.url}/_mock/clock`, { json: { advance_seconds: 60 } })
  await b.kill()
  t.equal((await userinfo(t, a, issued.body.access_token)).status, 200, 'the survivor serves what the dead replica issued')
  b = await startReplica(t, redis.url)
  t.equal((await exchange(t, b, code, verifier)).status, 200, 'a code issued before the kill is redeemed after the restart')
  t.equal((await refresh(t, b, issued.body.refresh_token)).status, 200, 'a refresh token issued before the kill rotates')
  t.equal((await checkedCall(t, 'GET', `${b.url}/_mock/clock`)).body.offset_seconds, 60, 'the clock is where it was')
  t.equal((await checkedCall(t, 'GET', `${b.url}/_mock/settings`)).body.auto_approve, true, 'the settings are as they were')
  const tokenAtB = (await userinfo(t, b, issued.body.access_token)).status
  t.equal(tokenAtB, 200, 'tokens signed before the restart verify at the restarted replica (one shared key)')
})
