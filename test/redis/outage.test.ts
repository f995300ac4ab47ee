/**
 * When Redis is away: at start the mock exits 2 with one line; while serving, requests that need
 * state answer 503 in their family's envelope with Retry-After, health says `degraded`, and
 * service resumes by itself when Redis is back, without a crash; the healthcheck command fails
 * while degraded.
 */
import t from 'tap'
import { bearer } from '../helpers/http.js'
import { runCliToEnd } from '../helpers/cli.js'
import { acme, companyKey, jane } from '../helpers/fixtures.js'
import { freePort } from '../helpers/ports.js'
import { startRedis } from './helpers/redis-server.js'
import { checkedCall, startReplica } from './helpers/replicas.js'

t.test('Redis unreachable at start: exit 2 with one line', async (t) => {
  const port = await freePort()
  const result = await runCliToEnd(t, ['serve', '--port', '0', '--redis-url', `redis://127.0.0.1:${port}`], { hangGuardMs: 30_000 })
  t.equal(result.code, 2)
  const lines = result.stderr.trim().split('\n')
  t.equal(lines.length, 1, `one line: ${result.stderr}`)
  t.match(lines[0], new RegExp(`^whop-auth-mock: cannot use Redis: redis://127.0.0.1:${port} cannot be reached`))
})

t.test('a URL that is not Redis is refused at start', async (t) => {
  const result = await runCliToEnd(t, ['serve', '--port', '0', '--redis-url', 'http://127.0.0.1:1'], { hangGuardMs: 30_000 })
  t.equal(result.code, 2)
  t.match(result.stderr.trim(), /^whop-auth-mock: redisUrl must start with redis:\/\/ or rediss:\/\//)
})

t.test('Redis lost while serving: 503 with Retry-After in each family, health degraded, then service resumes', async (t) => {
  const redis = await startRedis(t)
  const replica = await startReplica(t, redis.url)
  const mint = () =>
    checkedCall(t, 'POST', `${replica.url}/api/v1/access_tokens`, {
      headers: bearer(companyKey.key),
      json: { company_id: acme.id, user_id: jane.id },
    })
  t.equal((await mint()).status, 200, 'serving with Redis up')
  await redis.kill()

  const v1 = await mint()
  t.equal(v1.status, 503, 'v1 family')
  t.equal(v1.headers['retry-after'], '1')
  t.match(v1.body, { error: { type: 'internal_server_error', code: 'upstream_failure' } })
  const oauth = await checkedCall(t, 'POST', `${replica.url}/oauth/token`, { json: { grant_type: 'authorization_code', code: 'x' } })
  t.equal(oauth.status, 503, 'oauth family')
  t.equal(oauth.headers['retry-after'], '1')
  t.equal(oauth.body.error, 'server_error')
  const control = await checkedCall(t, 'GET', `${replica.url}/_mock/clock`)
  t.equal(control.status, 503, 'control family')
  const health = await checkedCall(t, 'GET', `${replica.url}/_mock/health`)
  t.equal(health.status, 200)
  t.equal(health.body.status, 'degraded')
  const probe = () => runCliToEnd(t, ['healthcheck', '--url', replica.url], { hangGuardMs: 30_000 })
  const degraded = await probe()
  t.equal(degraded.code, 1, 'the healthcheck (Docker HEALTHCHECK) fails while degraded')
  t.match(degraded.stderr, /^unhealthy: .* status degraded/)

  await redis.start()
  let status = ''
  for (let i = 0; i < 100 && status !== 'ok'; i++) {
    status = (await checkedCall(t, 'GET', `${replica.url}/_mock/health`)).body.status
    if (status !== 'ok') await new Promise((r) => setTimeout(r, 50))
  }
  t.equal(status, 'ok', 'health is ok again')
  t.equal((await mint()).status, 200, 'service resumed by itself')
  t.equal((await probe()).code, 0, 'the healthcheck passes again')
  t.equal(replica.run.child.exitCode, null, 'the replica never stopped')
})
