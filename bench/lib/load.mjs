// @ts-check
/**
 * The two load generators, both run in the bench process against a server process on loopback,
 * both bounded in time:
 *  - httpLoad: autocannon, for one fixed request repeated on N keep-alive connections;
 *  - loopLoad: N undici workers each repeating an async step (e.g. authorize → token) back to
 *    back, for sequences whose later requests depend on earlier answers. Only steps that
 *    completed in full count; a step may answer EXCUSED instead (counted apart, neither done nor failed).
 * Either way a measurement with any error or unexpected status is invalid, not slow.
 */
import autocannon from 'autocannon'
import { Pool } from 'undici'
import { percentile } from './stats.mjs'

/**
 * @typedef {object} HttpRequestSpec
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 */

/**
 * @typedef {object} LoadResult
 * @property {number} perSecond  completed requests (or steps) per second
 * @property {number} completed
 * @property {number} excused  loop steps that answered EXCUSED (always 0 for httpLoad)
 * @property {number} seconds  wall time the load ran
 * @property {{ p50: number, p99: number }} latencyMs
 * @property {string | null} invalid  why the measurement cannot be used, or null
 * @property {number} [clientCpuSeconds]  CPU time of a client process that did the load (client rows)
 */

/**
 * @param {string} origin
 * @param {HttpRequestSpec} request
 * @param {{ connections: number, seconds: number }} options
 * @returns {Promise<LoadResult>}
 */
export async function httpLoad(origin, request, { connections, seconds }) {
  const result = await autocannon({
    url: origin + request.path,
    method: request.method,
    headers: request.headers ?? {},
    body: request.body,
    connections,
    pipelining: 1,
    duration: seconds,
  })
  const ok = result['2xx']
  const bad = result.non2xx + result.errors + result.timeouts
  return {
    perSecond: ok / result.duration,
    completed: ok,
    excused: 0,
    seconds: result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    invalid: bad > 0 ? `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts` : ok === 0 ? 'no responses' : null,
  }
}

/**
 * What a loop step returns when it did not complete for a reason that is not the server's fault
 * (the soak's clock jump expired its code): counted in `excused`, not in `completed` or the latency.
 */
export const EXCUSED = Symbol('excused')

/** Stop a loop after this many failed steps rather than measure how fast errors come back. */
const MAX_FAILURES = 5

/**
 * @param {string} origin
 * @param {(dispatcher: import('undici').Dispatcher) => Promise<unknown>} step  may resolve with EXCUSED
 * @param {{ concurrency: number, seconds: number }} options
 * @returns {Promise<LoadResult>}
 */
export async function loopLoad(origin, step, { concurrency, seconds }) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 })
  /** @type {number[]} */
  const latencies = []
  let failures = 0
  let excused = 0
  /** @type {unknown} */
  let firstError = null
  const started = performance.now()
  const deadline = started + seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline && failures < MAX_FAILURES) {
      const t = performance.now()
      try {
        if ((await step(pool)) === EXCUSED) excused++
        else latencies.push(performance.now() - t)
      } catch (error) {
        failures++
        firstError ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  await pool.close()
  latencies.sort((a, b) => a - b)
  return {
    perSecond: latencies.length / elapsed,
    completed: latencies.length,
    excused,
    seconds: elapsed,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    invalid:
      failures > 0
        ? `${failures} failed: ${/** @type {Error} */ (firstError).message}`
        : latencies.length === 0
          ? 'nothing completed'
          : null,
  }
}
