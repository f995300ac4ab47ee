// @ts-check
/**
 * `npm run bench -- --tenants`: what tenants cost. Creating one (median, p99); RSS with 1, 100
 * and 1,000 idle tenants; mint and authorize → token throughput in a tenant against the default
 * tenant (target: within 5 %); export and import time of a tenant full of live refresh tokens.
 * Each part runs its own mock process, so one part's memory never colours another's.
 */
import { Pool } from 'undici'
import { httpLoad, loopLoad } from './load.mjs'
import { apiKey, company, member } from './fixtures.mjs'
import { FLOWS, roundTrip } from './oauth-flow.mjs'
import { cpuSeconds, rssMiB, startServer } from './processes.mjs'
import { percentile } from './stats.mjs'
import { must } from './must.mjs'
import { SERVERS } from '../targets.mjs'

/** @typedef {import('./load.mjs').LoadResult} LoadResult */

/** @param {string} prefix @returns {import('./load.mjs').HttpRequestSpec} */
const mint = (prefix) => ({
  method: 'POST',
  path: `${prefix}/api/v1/access_tokens`,
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ company_id: company.id, user_id: member }),
})
/**
 * @param {string} prefix
 * @returns {import('./oauth-flow.mjs').Flow}
 */
const flowIn = (prefix) => ({ ...FLOWS.mock, authorizePath: `${prefix}/oauth/authorize`, tokenPath: `${prefix}/oauth/token` })

/** Live refresh tokens in the exported tenant; the mock is started with --max-grants to hold them. */
const REFRESH_TOKENS = 10_000

/**
 * @param {import('undici').Dispatcher} pool
 * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path
 * @param {string} [body]  JSON
 * @returns {Promise<string>}
 */
async function send(pool, method, path, body) {
  const response = await pool.request({
    method,
    path,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body }),
  })
  const text = await response.body.text()
  if (response.statusCode >= 300) throw new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 200)}`)
  return text
}

/**
 * @template T
 * @param {string[]} flags
 * @param {(server: import('./processes.mjs').RunningServer, pool: Pool) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withMock(flags, work) {
  const server = await startServer(SERVERS.mock, flags)
  const pool = new Pool(server.origin, { connections: 8 })
  try {
    return await work(server, pool)
  } finally {
    await pool.close()
    await server.stop()
  }
}

/** @param {number} count */
async function creation(count) {
  return withMock([], async (_server, pool) => {
    /** @type {number[]} */
    const samples = []
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      await send(pool, 'POST', '/_mock/tenants', JSON.stringify({ name: `create-${i}` }))
      samples.push(performance.now() - started)
      // Stay under the default limit, so every sample is a creation and none an eviction.
      await send(pool, 'DELETE', `/_mock/tenants/create-${i}`)
    }
    samples.sort((a, b) => a - b)
    return { medianMs: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) }
  })
}

async function idleRss() {
  return withMock(['--max-tenants', '1000'], async (server, pool) => {
    let made = 0
    /**
     * RSS once `target` tenants exist (each made by a first request to it).
     * @param {number} target
     */
    const rssWith = async (target) => {
      for (; made < target; made++) await send(pool, 'GET', `/t/idle-${made}/_mock/clock`)
      return rssMiB(server.pid)
    }
    return { 1: await rssWith(1), 100: await rssWith(100), 1000: await rssWith(1000) }
  })
}

/**
 * One load with the server's CPU time per completed request or step: on a machine where the
 * client and the server share two cores, throughput also measures how the scheduler split them,
 * while the server's CPU per request is what the server itself spent.
 * @typedef {LoadResult & { serverCpuMicros: number }} CostedLoad
 * @param {number} pid
 * @param {() => Promise<LoadResult>} load
 * @returns {Promise<CostedLoad>}
 */
async function costed(pid, load) {
  const before = cpuSeconds(pid)
  const result = await load()
  const spent = cpuSeconds(pid) - before
  return { ...result, serverCpuMicros: result.completed > 0 ? (spent / result.completed) * 1e6 : 0 }
}

/**
 * The median of one measurement repeated over interleaved rounds, so a busy moment hits both sides.
 * @param {CostedLoad[]} results
 */
const medianOf = (results) => {
  const rates = results.map((r) => r.perSecond).sort((a, b) => a - b)
  const costs = results.map((r) => r.serverCpuMicros).sort((a, b) => a - b)
  return {
    perSecond: percentile(rates, 0.5),
    serverCpuMicros: percentile(costs, 0.5),
    invalid: results.find((r) => r.invalid !== null)?.invalid ?? null,
  }
}

/**
 * @param {number} seconds
 * @param {number} rounds
 */
async function throughput(seconds, rounds) {
  return withMock(['--auto-approve'], async (server, pool) => {
    await send(pool, 'POST', '/t/bench/_mock/settings', JSON.stringify({ auto_approve: true }))
    const http = { connections: 10, seconds }
    const loop = { concurrency: 4, seconds }
    /** @type {Record<string, CostedLoad[]>} */
    const runs = { mintDefault: [], mintTenant: [], rtDefault: [], rtTenant: [] }
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first, so neither always runs on a warmer process; the two
      // sides of one kind run back to back.
      const order = round % 2 === 0 ? ['', '/t/bench'] : ['/t/bench', '']
      for (const prefix of order) {
        const side = prefix === '' ? 'Default' : 'Tenant'
        must(runs[`mint${side}`], `mint${side}`).push(await costed(server.pid, () => httpLoad(server.origin, mint(prefix), http)))
      }
      for (const prefix of order) {
        const side = prefix === '' ? 'Default' : 'Tenant'
        must(runs[`rt${side}`], `rt${side}`).push(
          await costed(server.pid, () => loopLoad(server.origin, (d) => roundTrip(d, flowIn(prefix)), loop)),
        )
      }
    }
    /** @param {string} id */
    const median = (id) => medianOf(must(runs[id], id))
    /**
     * Each round's tenant figure over the same round's default one (the two ran back to back),
     * median and range over the rounds: a slow spell of a shared machine then moves both sides
     * of a ratio, where the ratio of two separate medians can pair a fast round with a slow one.
     * @param {string} kind  @param {(r: CostedLoad) => number} figure
     */
    const paired = (kind, figure) => {
      const tenant = must(runs[`${kind}Tenant`], kind)
      const ratios = must(runs[`${kind}Default`], kind)
        .map((root, i) => (figure(root) > 0 ? figure(must(tenant[i], kind)) / figure(root) : 0))
        .sort((a, b) => a - b)
      return { median: percentile(ratios, 0.5), min: ratios[0] ?? 0, max: ratios[ratios.length - 1] ?? 0 }
    }
    return {
      mintDefault: median('mintDefault'),
      mintTenant: median('mintTenant'),
      rtDefault: median('rtDefault'),
      rtTenant: median('rtTenant'),
      /** Every round's figures, in order, for bench/tenants-results.json. */
      rounds: Object.fromEntries(
        Object.entries(runs).map(([id, results]) => [
          id,
          results.map((r) => ({ perSecond: Math.round(r.perSecond), serverCpuMicros: Math.round(r.serverCpuMicros) })),
        ]),
      ),
      ratios: {
        mintThroughput: paired('mint', (r) => r.perSecond),
        rtThroughput: paired('rt', (r) => r.perSecond),
        mintCpu: paired('mint', (r) => r.serverCpuMicros),
        rtCpu: paired('rt', (r) => r.serverCpuMicros),
      },
    }
  })
}

/** @param {number} refreshTokens */
async function stateTransfer(refreshTokens) {
  return withMock(['--max-grants', String(refreshTokens)], async (server, pool) => {
    await send(pool, 'POST', '/t/full/_mock/settings', JSON.stringify({ auto_approve: true }))
    const flow = flowIn('/t/full')
    for (let i = 0; i < refreshTokens; i += 50) await Promise.all(Array.from({ length: 50 }, () => roundTrip(pool, flow)))
    let started = performance.now()
    const document = await send(pool, 'GET', '/t/full/_mock/state')
    const exportMs = performance.now() - started
    /** @type {import('../../src/generated/state.js').WhopAuthMockState} */
    const exported = JSON.parse(document)
    const held = must(exported.tenants[0], 'the exported tenant').refresh_tokens.length
    started = performance.now()
    await send(pool, 'PUT', '/t/copy/_mock/state', document)
    const importMs = performance.now() - started
    return { refreshTokens: held, bytes: Buffer.byteLength(document), exportMs, importMs }
  })
}

/** @param {number} n */
const fixed = (n, digits = 1) => n.toFixed(digits)
/** @param {{ median: number, min: number, max: number }} r */
const pairedRatio = (r) => `${fixed(r.median, 3)} (rounds ${fixed(r.min, 2)}-${fixed(r.max, 2)})`

/** @param {{ seconds: number, rounds: number, creations: number }} options  @param {(line: string) => void} log */
export async function runTenantBench(options, log) {
  log('tenants: creation')
  const created = await creation(options.creations)
  log('tenants: idle RSS')
  const rss = await idleRss()
  log('tenants: throughput in a tenant vs the default tenant')
  const load = await throughput(options.seconds, options.rounds)
  log(`tenants: export/import of a tenant with ${REFRESH_TOKENS} refresh tokens`)
  const state = await stateTransfer(REFRESH_TOKENS)
  const { ratios, rounds: _rounds, ...loads } = load
  const invalid = Object.entries(loads).filter(([, r]) => r.invalid !== null)
  const lines = [
    `tenant creation (POST /_mock/tenants, ${options.creations} samples): median ${fixed(created.medianMs, 2)} ms, p99 ${fixed(created.p99Ms, 2)} ms`,
    `RSS with idle tenants: 1 → ${fixed(rss[1])} MiB, 100 → ${fixed(rss[100])} MiB, 1000 → ${fixed(rss[1000])} MiB (≈ ${fixed(((rss[1000] - rss[1]) * 1024) / 999, 0)} KiB per tenant)`,
    `mint (medians of ${options.rounds} interleaved rounds): default ${fixed(load.mintDefault.perSecond, 0)}/s, tenant ${fixed(load.mintTenant.perSecond, 0)}/s; tenant/default, median of the rounds' own ratios: ${pairedRatio(ratios.mintThroughput)}`,
    `authorize → token (likewise): default ${fixed(load.rtDefault.perSecond, 0)}/s, tenant ${fixed(load.rtTenant.perSecond, 0)}/s; tenant/default ${pairedRatio(ratios.rtThroughput)}`,
    `server CPU per mint: default ${fixed(load.mintDefault.serverCpuMicros, 0)} µs, tenant ${fixed(load.mintTenant.serverCpuMicros, 0)} µs, tenant/default ${pairedRatio(ratios.mintCpu)}; per authorize → token: default ${fixed(load.rtDefault.serverCpuMicros, 0)} µs, tenant ${fixed(load.rtTenant.serverCpuMicros, 0)} µs, tenant/default ${pairedRatio(ratios.rtCpu)}`,
    `state of a tenant with ${state.refreshTokens} live refresh tokens (${fixed(state.bytes / 1048576, 2)} MiB): export ${fixed(state.exportMs, 0)} ms, import ${fixed(state.importMs, 0)} ms`,
    `(started with --max-grants ${REFRESH_TOKENS}: by default a tenant keeps 5000 grants)`,
    ...invalid.map(([id, r]) => `INVALID ${id}: ${r.invalid}`),
  ]
  return { created, rss, load, state, summary: lines.join('\n'), valid: invalid.length === 0 }
}
