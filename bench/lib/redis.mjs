// @ts-check
/**
 * `npm run bench -- --redis`: what keeping state in Redis costs. Against its own redis-server on
 * a free loopback port: mint and authorize → token throughput of one replica with the Redis store
 * against one process with the memory store (target for round trips: ≥ 0.5×), two replicas against
 * one (the load spread over both, on this machine's cores), Redis round trips per request, and Redis
 * memory per live grant (INFO memory before and after N round trips).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'
import { httpLoad, loopLoad } from './load.mjs'
import { apiKey, company, member } from './fixtures.mjs'
import { FLOWS, roundTrip } from './oauth-flow.mjs'
import { startServer } from './processes.mjs'
import { percentile } from './stats.mjs'
import { must } from './must.mjs'
import { SERVERS } from '../targets.mjs'

/** @typedef {import('undici').Dispatcher} Dispatcher */
/** @typedef {import('./load.mjs').LoadResult} LoadResult */
/**
 * The bench's own redis-server: its URL, a client on it, and how to stop both.
 * @typedef {{ url: string, client: Redis, stop: () => Promise<void> }} RedisServer
 */
/**
 * A load on one of several replicas, given how many share it.
 * @typedef {(origin: string, share: number) => Promise<LoadResult>} SharedLoad
 */

const REDIS_SERVER = '/usr/bin/redis-server'
const mint = {
  method: /** @type {const} */ ('POST'),
  path: '/api/v1/access_tokens',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ company_id: company.id, user_id: member }),
}
/** Every replica advertises one URL, as behind a load balancer. */
const PUBLIC_URL = 'http://whop-mock.bench'

/** @returns {Promise<RedisServer>} */
async function startRedis() {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: apt-get install redis-server`)
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  // Commands wait in the client's queue until the server, just spawned, accepts the connection.
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 100 ? null : 50) })
  client.on('error', () => {})
  try {
    await client.ping()
  } catch (error) {
    client.disconnect()
    child.kill('SIGKILL')
    throw error
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    client,
    async stop() {
      client.disconnect()
      child.kill('SIGKILL')
    },
  }
}

/**
 * INFO counters of the Redis: commands processed, memory used (bytes).
 * @param {Redis} client
 */
async function info(client) {
  const text = await client.info()
  /** @param {string} name */
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
  return { commands: field('total_commands_processed'), memory: field('used_memory') }
}

/**
 * Load spread over several origins at once (each takes its share of connections or workers); rates add up.
 * @param {string[]} origins
 * @param {SharedLoad} run
 */
async function spread(origins, run) {
  const results = await Promise.all(origins.map((origin) => run(origin, origins.length)))
  return {
    perSecond: results.reduce((sum, r) => sum + r.perSecond, 0),
    completed: results.reduce((sum, r) => sum + r.completed, 0),
    invalid: results.find((r) => r.invalid !== null)?.invalid ?? null,
  }
}

/**
 * @param {number} seconds
 * @returns {SharedLoad}
 */
const mintLoad = (seconds) => (origin, share) => httpLoad(origin, mint, { connections: Math.max(1, Math.round(10 / share)), seconds })
/**
 * @param {number} seconds
 * @returns {SharedLoad}
 */
const tripLoad = (seconds) => (origin, share) =>
  loopLoad(origin, (d) => roundTrip(d, FLOWS.mock), { concurrency: Math.max(1, Math.round(10 / share)), seconds })

/**
 * @template T
 * @param {number} count  replicas
 * @param {string[]} flags
 * @param {(origins: string[]) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withServers(count, flags, work) {
  /** @type {import('./processes.mjs').RunningServer[]} */
  const servers = []
  try {
    for (let i = 0; i < count; i++) servers.push(await startServer(SERVERS.mock, flags))
    return await work(servers.map((s) => s.origin))
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

/**
 * Redis round trips per request, counted with MONITOR: every command a replica sends (the
 * commands a Lua script runs inside Redis are marked `lua` and not counted), over `count` steps.
 * @param {RedisServer} redis
 * @param {string} origin
 * @param {number} count
 * @param {(pool: Dispatcher) => Promise<unknown>} step
 */
async function roundTripsPer(redis, origin, count, step) {
  const monitor = await redis.client.monitor()
  let sent = 0
  monitor.on(
    'monitor',
    /**
     * @param {string} _time
     * @param {string[]} _args
     * @param {string} source  the client's address, or `lua` for a command a script ran
     */
    (_time, _args, source) => {
      if (source !== 'lua') sent++
    },
  )
  const { Pool } = await import('undici')
  const pool = new Pool(origin, { connections: 1 })
  for (let i = 0; i < count; i++) await step(pool)
  await pool.close()
  await new Promise((r) => setTimeout(r, 200))
  monitor.disconnect()
  return sent / count
}

/** @param {Dispatcher} pool */
async function mintOnce(pool) {
  const response = await pool.request(mint)
  await response.body.text()
  if (response.statusCode !== 200) throw new Error(`mint answered ${response.statusCode}`)
}

/** @param {number[]} runs */
const median = (runs) =>
  percentile(
    [...runs].sort((a, b) => a - b),
    0.5,
  )

/** @param {{ seconds: number, rounds: number, grants: number }} options  @param {(line: string) => void} log */
export async function runRedisBench(options, log) {
  const redis = await startRedis()
  try {
    const redisFlags = ['--auto-approve', '--redis-url', redis.url, '--public-url', PUBLIC_URL]
    /**
     * Each setup's replicas and their flags.
     * @type {Record<string, [number, string[]]>}
     */
    const setups = { memory: [1, ['--auto-approve']], redis1: [1, redisFlags], redis2: [2, redisFlags] }
    /** @type {Record<string, { mint: number[], trip: number[] }>} */
    const runs = Object.fromEntries(Object.keys(setups).map((k) => [k, { mint: [], trip: [] }]))
    /** @type {string[]} */
    const invalid = []
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, [count, flags]] of Object.entries(setups)) {
        log(`redis: round ${round + 1}, ${name}`)
        await withServers(count, flags, async (origins) => {
          const minted = await spread(origins, mintLoad(options.seconds))
          const tripped = await spread(origins, tripLoad(options.seconds))
          for (const r of [minted, tripped]) if (r.invalid !== null) invalid.push(`${name}: ${r.invalid}`)
          const run = must(runs[name], `runs of ${name}`)
          run.mint.push(minted.perSecond)
          run.trip.push(tripped.perSecond)
        })
      }
    }
    log('redis: round trips per request (MONITOR)')
    const perRequest = await withServers(1, redisFlags, async (origins) => {
      const origin = must(origins[0], 'the replica')
      return {
        mint: await roundTripsPer(redis, origin, 100, mintOnce),
        trip: await roundTripsPer(redis, origin, 50, (pool) => roundTrip(pool, FLOWS.mock)),
      }
    })
    log(`redis: memory per live grant (${options.grants} round trips)`)
    const perGrant = await withServers(1, redisFlags, async (origins) => {
      await redis.client.flushall()
      const before = await info(redis.client)
      const { Pool } = await import('undici')
      const pool = new Pool(must(origins[0], 'the replica'), { connections: 8 })
      for (let i = 0; i < options.grants; i += 50)
        await Promise.all(Array.from({ length: Math.min(50, options.grants - i) }, () => roundTrip(pool, FLOWS.mock)))
      await pool.close()
      const after = await info(redis.client)
      return (after.memory - before.memory) / options.grants
    })
    /** @param {string} name */
    const mediansOf = (name) => {
      const r = must(runs[name], `runs of ${name}`)
      return { mint: median(r.mint), trip: median(r.trip) }
    }
    const m = { memory: mediansOf('memory'), redis1: mediansOf('redis1'), redis2: mediansOf('redis2') }
    /**
     * @param {number} a
     * @param {number} b
     */
    const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : 'n/a')
    const tripRatio = m.memory.trip > 0 ? m.redis1.trip / m.memory.trip : 0
    const lines = [
      `mint (median of ${options.rounds} rounds, ${options.seconds} s each): memory ${m.memory.mint.toFixed(0)}/s, Redis 1 replica ${m.redis1.mint.toFixed(0)}/s (${ratio(m.redis1.mint, m.memory.mint)}×), Redis 2 replicas ${m.redis2.mint.toFixed(0)}/s (${ratio(m.redis2.mint, m.redis1.mint)}× of 1)`,
      `authorize → token: memory ${m.memory.trip.toFixed(0)}/s, Redis 1 replica ${m.redis1.trip.toFixed(0)}/s (${ratio(m.redis1.trip, m.memory.trip)}×, target ≥ 0.5: ${tripRatio >= 0.5 ? 'met' : 'NOT met'}), Redis 2 replicas ${m.redis2.trip.toFixed(0)}/s (${ratio(m.redis2.trip, m.redis1.trip)}× of 1)`,
      `Redis round trips (commands a replica sends; MONITOR): ${perRequest.mint.toFixed(2)} per mint, ${perRequest.trip.toFixed(2)} per authorize → token round trip`,
      `Redis memory per live grant: ${perGrant.toFixed(0)} bytes (INFO used_memory over ${options.grants} round trips)`,
      ...invalid.map((why) => `INVALID ${why}`),
    ]
    return {
      medians: m,
      roundTripsPerRequest: perRequest,
      bytesPerGrant: perGrant,
      tripRatio,
      summary: lines.join('\n'),
      valid: invalid.length === 0 && tripRatio >= 0.5,
    }
  } finally {
    await redis.stop()
  }
}
