/**
 * Parallel safety: eight workers drive one server at once, each in its own tenant, each moving
 * its clock, arming faults, resetting and racing code exchanges in a loop. No worker sees another's
 * journal entries, expiries or faults, and every code still has exactly one winner.
 */
import t, { type Test } from 'tap'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { publicApp } from './helpers/fixtures.js'
import { codeFor, exchangeCurrent, pkce } from './helpers/oauth.js'

const WORKERS = 8
const ROUNDS = 5

/** One round in one tenant; every expectation is about this worker's own world. */
async function round(t: Test, base: string, worker: number, round: number): Promise<void> {
  const who = `worker ${worker} round ${round}`
  t.equal((await call('POST', `${base}/_mock/reset`)).status, 204)
  await call('POST', `${base}/_mock/settings`, { json: { auto_approve: true } })
  const advance = 17 * worker + round
  await call('POST', `${base}/_mock/clock`, { json: { advance_seconds: advance } })
  t.equal((await call('GET', `${base}/_mock/clock`)).body.offset_seconds, advance, `${who}: the clock moved by this worker only`)

  const exchange = (code: string, verifier: string) =>
    exchangeCurrent(base, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: publicApp.redirect_uris[0]!,
      client_id: publicApp.id,
      code_verifier: verifier,
    })
  const state = `w${worker}-r${round}`
  const raced = pkce()
  const code = await codeFor(base, { pkce: raced, state: `${state}-race` })
  const statuses = (await Promise.all([exchange(code, raced.verifier), exchange(code, raced.verifier)])).map((r) => r.status).sort()
  t.strictSame(statuses, [200, 400], `${who}: the code has exactly one winner`)

  const pair = pkce()
  const second = await codeFor(base, { pkce: pair, state: `${state}-fault` })
  await call('POST', `${base}/_mock/faults`, { json: { path: '/oauth/token', status: 503 } })
  t.equal((await exchange(second, pair.verifier)).status, 503, `${who}: its own fault answers`)
  const won = await exchange(second, pair.verifier)
  t.equal(won.status, 200, `${who}: no other worker's fault, and the code survived the fault`)
  const userinfo = () => call('GET', `${base}/oauth/userinfo`, { headers: bearer(won.body.access_token) })
  t.equal((await userinfo()).status, 200, `${who}: not expired by another worker's clock`)
  await call('POST', `${base}/_mock/clock`, { json: { advance_seconds: 3601 } })
  t.equal((await userinfo()).status, 401, `${who}: expired by its own clock`)

  const entries = (await call('GET', `${base}/_mock/journal`)).body.entries as {
    path: string
    status: number
    query: Record<string, string>
  }[]
  // Order is by arrival; the two raced exchanges may land either way, so compare sorted lines.
  t.strictSame(
    entries.map((e) => `${e.path} ${e.status}`).sort(),
    [
      '/oauth/authorize 302',
      ...statuses.map((s) => `/oauth/token ${s}`),
      '/oauth/authorize 302',
      '/oauth/token 503',
      '/oauth/token 200',
      '/oauth/userinfo 200',
      '/oauth/userinfo 401',
    ].sort(),
    `${who}: the journal holds this worker's requests, all of them and nothing else`,
  )
  const states = entries.filter((e) => e.path === '/oauth/authorize').map((e) => e.query.state)
  t.strictSame(states, [`${state}-race`, `${state}-fault`], `${who}: its own authorize requests`)
}

t.test('8 workers in 8 tenants of one server never see each other', async (t) => {
  const mock = await startMock(t)
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      const base = `${mock.url}/t/worker-${worker}`
      for (let r = 0; r < ROUNDS; r++) await round(t, base, worker, r)
    }),
  )
  t.equal((await mock.context.journal.entries()).length, 0, 'the default tenant saw none of it')
  t.equal(mock.context.clock.offsetSeconds, 0)
})
