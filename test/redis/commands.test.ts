/**
 * What a request costs in Redis round trips: every command a replica sends (MONITOR; the
 * commands a script runs inside Redis do not travel and are not counted) for one token mint and
 * for one authorize → exchange → userinfo → refresh round trip. The counts are pinned, so a change
 * that adds a round trip fails here.
 */
import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import type { Redis } from 'ioredis'
import { acme, companyKey, jane } from '../helpers/fixtures.js'
import { bearer } from '../helpers/http.js'
import { pkce } from '../helpers/oauth.js'
import { startRedis } from './helpers/redis-server.js'
import { checkedCall, startReplica, type Replica } from './helpers/replicas.js'
import { codeAt, exchange, refresh, userinfo } from './helpers/flows.js'
import { RECORD_JOURNAL } from '../../src/state/redis/lua-shared.js'

/** The script RECORD_JOURNAL sends journal entries with when no request's sync carried them. */
const JOURNAL_ALONE = createHash('sha1').update(RECORD_JOURNAL).digest('hex')

interface Sent {
  /** Commands sent for the requests themselves. */
  requests: string[]
  /** Journal entries sent on their own (most ride on the next request's sync). */
  journalAlone: number
}

/** The commands `step` makes the replica send. */
async function commandsOf(redis: Redis, step: () => Promise<void>): Promise<Sent> {
  const monitor = await redis.monitor()
  const sent: Sent = { requests: [], journalAlone: 0 }
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') return
    if (args[1] === JOURNAL_ALONE) sent.journalAlone++
    else sent.requests.push(String(args[0]).toUpperCase())
  })
  await step()
  // The last entries go out on their own shortly after the last answer: let them arrive.
  await new Promise((r) => setTimeout(r, 300))
  monitor.disconnect()
  return sent
}

const mint = (t: Test, replica: Replica) =>
  checkedCall(t, 'POST', `${replica.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })

async function roundTrip(t: Test, replica: Replica): Promise<void> {
  const verifier = pkce()
  const tokens = await exchange(t, replica, await codeAt(t, replica, verifier), verifier)
  t.equal(tokens.status, 200)
  t.equal((await userinfo(t, replica, tokens.body.access_token)).status, 200)
  t.equal((await refresh(t, replica, tokens.body.refresh_token)).status, 200)
}

/** Mints, and round trips run back to back so the journal entries ride on the next request's sync. */
const STEPS = 10

t.test('Redis commands per mint and per sign-in round trip', async (t) => {
  const redis = await startRedis(t)
  const replica = await startReplica(t, redis.url, ['--auto-approve'])
  const client = redis.client()
  // Once first, so every script is loaded and nothing is counted that happens only once.
  t.equal((await mint(t, replica)).status, 200)
  await roundTrip(t, replica)

  // Mints at once, as a load test sends them: their journal entries leave together.
  const minting = await commandsOf(client, async () => {
    const answers = await Promise.all(Array.from({ length: STEPS }, () => mint(t, replica)))
    t.same(
      answers.map((a) => a.status),
      Array(STEPS).fill(200),
    )
  })
  t.comment(
    `per mint: ${minting.requests.length / STEPS} (${minting.requests.slice(0, 1).join(' ')}), journal sent alone ${minting.journalAlone} times in ${STEPS}`,
  )
  // The sync (clock, settings, fault shot, the journal entries waiting) is the mint's only command.
  t.same(minting.requests, Array(STEPS).fill('EVALSHA'), 'one command per mint')
  t.ok(minting.journalAlone <= STEPS / 2, `the ${STEPS} journal entries leave in a few commands, not one each`)

  const tripping = await commandsOf(client, async () => {
    for (let i = 0; i < STEPS; i++) await roundTrip(t, replica)
  })
  const perTrip = tripping.requests.slice(0, tripping.requests.length / STEPS)
  t.comment(
    `per round trip: ${tripping.requests.length / STEPS} (${perTrip.join(' ')}), journal sent alone ${tripping.journalAlone} times in ${STEPS}`,
  )
  // authorize: sync, issue code and write the session (sent together); token: sync, redeem;
  // userinfo: sync, the grant still active; refresh: sync, rotate.
  const oneTrip = ['EVALSHA', 'EVALSHA', 'SET', 'EVALSHA', 'EVALSHA', 'EVALSHA', 'GET', 'EVALSHA', 'EVALSHA']
  t.same(tripping.requests, Array.from({ length: STEPS }, () => oneTrip).flat(), `${oneTrip.length} commands per round trip`)
  t.ok(tripping.journalAlone < 4 * STEPS, 'journal entries ride on the next sync: fewer than one command each')
})
