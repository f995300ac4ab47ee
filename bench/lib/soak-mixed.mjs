// @ts-check
/**
 * `npm run bench -- --soak-mixed`: robustness under load. One mock process takes, from 50
 * concurrent clients, a mix of mints, authorize → token round trips, userinfo calls, bad
 * requests and control calls. Counted: 5xx (target 0), transport errors, whether the process
 * survived, RSS growth (first reading under load to the last) and latency percentiles per kind.
 * At the end, requests held in flight by a stall fault meet a SIGTERM: each must still get its
 * answer, and the process must exit 0.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'
import { SERVERS } from '../targets.mjs'
import { flagsByServer } from './probes.mjs'
import { FLOWS, roundTrip } from './oauth-flow.mjs'
import { rssMiB, startServer } from './processes.mjs'
import { percentile } from './stats.mjs'
import { ACTIONS, pickAction } from './soak-actions.mjs'
import { must } from './must.mjs'

const SAMPLE_EVERY_MS = 2000
/** Requests held in flight by a stall fault when SIGTERM arrives. */
const IN_FLIGHT_AT_SIGTERM = 20
const STALL_MS = 1500

/** @typedef {{ count: number, status5xx: number, unexpected: number, errors: number, latencies: number[], firstProblem: string | null }} KindStats */

/** @returns {KindStats} */
const emptyStats = () => ({ count: 0, status5xx: 0, unexpected: 0, errors: 0, latencies: [], firstProblem: null })

/**
 * Hold IN_FLIGHT_AT_SIGTERM requests in a stall fault, send SIGTERM while they wait, and count the answers.
 * @param {import('./processes.mjs').RunningServer} mock
 */
async function sigtermWhileInFlight(mock) {
  const pool = new Pool(mock.origin, { connections: IN_FLIGHT_AT_SIGTERM })
  const path = '/.well-known/jwks.json'
  await pool
    .request({
      method: 'POST',
      path: '/_mock/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path, method: 'GET', delay_ms: STALL_MS, times: IN_FLIGHT_AT_SIGTERM }),
    })
    .then((r) => r.body.dump())
  const inFlight = Array.from({ length: IN_FLIGHT_AT_SIGTERM }, () =>
    pool.request({ method: 'GET', path }).then(
      async (r) => (await r.body.dump(), r.statusCode),
      (error) => /** @type {Error} */ (error).message,
    ),
  )
  await sleep(STALL_MS / 3)
  const signalled = performance.now()
  process.kill(mock.pid, 'SIGTERM')
  const outcomes = await Promise.all(inFlight)
  const exit = await mock.exited
  await pool.close().catch(() => undefined)
  const answered = outcomes.filter((o) => o === 200).length
  return { inFlight: IN_FLIGHT_AT_SIGTERM, answered, outcomes, exit, exitMs: Math.round(performance.now() - signalled) }
}

/**
 * @param {{ seconds: number, concurrency: number }} options
 * @param {(line: string) => void} log
 */
export async function runMixedSoak(options, log) {
  const flags = await flagsByServer()
  const mock = await startServer(SERVERS.mock, flags.mock)
  /** @type {number[]} */
  const rss = []
  const sampler = setInterval(() => rss.push(Math.round(rssMiB(mock.pid) * 10) / 10), SAMPLE_EVERY_MS)
  const pool = new Pool(mock.origin, { connections: options.concurrency })
  /** @type {Record<string, KindStats>} */
  const stats = Object.fromEntries(ACTIONS.map((a) => [a.kind, emptyStats()]))
  /** Access tokens from round trips, for the userinfo calls (a few, replaced as new ones arrive). */
  const tokens = [(await roundTrip(pool, FLOWS.mock)).access_token]
  let crashed = false
  let stopping = false
  mock.exited.then(() => (crashed = !stopping))
  const deadline = performance.now() + options.seconds * 1000
  log(`soak-mixed: ${options.seconds} s at concurrency ${options.concurrency} (${ACTIONS.map((a) => a.kind).join(', ')})`)
  const worker = async () => {
    while (performance.now() < deadline && !crashed) {
      const action = pickAction()
      const s = must(stats[action.kind], `stats of ${action.kind}`)
      const t = performance.now()
      try {
        const statuses = await action.run(pool, { tokens })
        s.latencies.push(performance.now() - t)
        s.count++
        const bad = statuses.filter((status) => status >= 500)
        s.status5xx += bad.length
        const wrong = statuses.filter((status) => status < 500 && !action.expected(status))
        s.unexpected += wrong.length
        if (bad.length + wrong.length > 0) s.firstProblem ??= `answered ${[...bad, ...wrong].join(', ')}`
      } catch (error) {
        s.errors++
        s.firstProblem ??= /** @type {Error} */ (error).message
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker))
  } finally {
    clearInterval(sampler)
    await pool.close().catch(() => undefined)
  }
  const rssEnd = rssMiB(mock.pid)
  stopping = true
  const sigterm = crashed ? null : await sigtermWhileInFlight(mock)
  if (sigterm === null) await mock.stop()
  return report(options, stats, rss, rssEnd, crashed, sigterm)
}

/**
 * @param {{ seconds: number, concurrency: number }} options
 * @param {Record<string, KindStats>} stats
 * @param {number[]} rss
 * @param {number} rssEnd
 * @param {boolean} crashed
 * @param {Awaited<ReturnType<typeof sigtermWhileInFlight>> | null} sigterm
 */
function report(options, stats, rss, rssEnd, crashed, sigterm) {
  const all = Object.values(stats).flatMap((s) => s.latencies)
  /**
   * @param {number[]} list
   * @param {number} q
   */
  const p = (list, q) =>
    Math.round(
      percentile(
        [...list].sort((a, b) => a - b),
        q,
      ) * 10,
    ) / 10
  const total = Object.values(stats).reduce((sum, s) => sum + s.count, 0)
  const status5xx = Object.values(stats).reduce((sum, s) => sum + s.status5xx, 0)
  const errors = Object.values(stats).reduce((sum, s) => sum + s.errors, 0)
  const unexpected = Object.values(stats).reduce((sum, s) => sum + s.unexpected, 0)
  const rssStart = rss[0] ?? rssEnd
  const drained = sigterm !== null && sigterm.answered === sigterm.inFlight && sigterm.exit.code === 0
  const verdict = status5xx === 0 && errors === 0 && unexpected === 0 && !crashed && drained ? 'PASS' : 'FAIL'
  const lines = [
    `soak-mixed: ${total} actions in ${options.seconds} s at concurrency ${options.concurrency} (${Math.round(total / options.seconds)}/s)`,
    ...Object.entries(stats).map(
      ([kind, s]) =>
        `  ${kind.padEnd(12)} ${String(s.count).padStart(7)}  p50 ${p(s.latencies, 0.5)} ms  p99 ${p(s.latencies, 0.99)} ms  5xx ${s.status5xx}  other unexpected ${s.unexpected}  errors ${s.errors}` +
        (s.firstProblem === null ? '' : `  first: ${s.firstProblem.slice(0, 160)}`),
    ),
    `5xx: ${status5xx} (target 0); other unexpected statuses: ${unexpected}; transport errors: ${errors}; crashed: ${crashed ? 'yes' : 'no'}`,
    `latency over all actions: p50 ${p(all, 0.5)} ms, p99 ${p(all, 0.99)} ms`,
    `RSS: ${rssStart} MiB at the first reading under load, ${Math.round(rssEnd * 10) / 10} MiB at the end (${(rssEnd - rssStart).toFixed(1)} MiB growth), peak ${Math.max(rssEnd, ...rss).toFixed(1)} MiB`,
    sigterm === null
      ? 'SIGTERM: not tried (the process was gone)'
      : `SIGTERM with ${sigterm.inFlight} requests in flight: ${sigterm.answered} answered 200, exit ${sigterm.exit.code ?? sigterm.exit.signal} after ${sigterm.exitMs} ms` +
        (sigterm.answered === sigterm.inFlight ? '' : `; outcomes: ${[...new Set(sigterm.outcomes)].join(', ')}`),
    `verdict: ${verdict}`,
  ]
  return {
    verdict,
    total,
    status5xx,
    errors,
    crashed,
    rssMiB: { start: rssStart, end: rssEnd, samples: rss },
    sigterm,
    summary: lines.join('\n'),
  }
}
