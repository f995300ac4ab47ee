// @ts-check
/**
 * What a server serves and how a load row is put on it: the probes a row may require (they speak
 * the mock's API), which optional flags each server's build accepts, and one load of a row.
 */
import { Pool } from 'undici'
import { SERVERS } from '../targets.mjs'
import { httpLoad, loopLoad } from './load.mjs'
import { clientLoad } from './client-load.mjs'
import { FLOWS, FlowError, roundTrip } from './oauth-flow.mjs'
import { serveHelpText } from './processes.mjs'
import { must } from './must.mjs'

/** @typedef {import('../targets.mjs').MeasureRow} MeasureRow */
/** @typedef {import('../targets.mjs').ProbeContext} ProbeContext */
/** @typedef {import('../targets.mjs').ServerName} ServerName */
/** @typedef {import('./processes.mjs').RunningServer} RunningServer */
/** @typedef {import('./load.mjs').LoadResult} LoadResult */

/** @typedef {import('./run-record.js').RoundDetail} RoundDetail */

/**
 * Capabilities a load row may need (its `requires`), checked in this order once per round on
 * each fresh server that such a row loads. They speak the mock's API. Each resolves with null
 * when the server serves it, else a reason; it may fill the context.
 * @type {Record<string, (origin: string, ctx: ProbeContext) => Promise<string | null>>}
 */
const PROBES = {
  async oauth(origin, ctx) {
    const pool = new Pool(origin)
    try {
      ctx.accessToken = (await roundTrip(pool, FLOWS.mock)).access_token
      return null
    } catch (error) {
      if (error instanceof FlowError && error.stage === 'authorize' && error.status === 404)
        return 'GET /oauth/authorize answers 404: the OAuth surfaces are not in this build'
      return `authorize → token failed: ${/** @type {Error} */ (error).message}`
    } finally {
      await pool.close()
    }
  },
  async me(origin, ctx) {
    if (ctx.accessToken === undefined) return 'needs an access token from the OAuth round trip'
    const pool = new Pool(origin)
    try {
      const response = await pool.request({ method: 'GET', path: '/v5/me', headers: { authorization: `Bearer ${ctx.accessToken}` } })
      const text = await response.body.text()
      return response.statusCode === 200 ? null : `GET /v5/me answers ${response.statusCode}: ${text.slice(0, 200)}`
    } finally {
      await pool.close()
    }
  },
}

/**
 * Run every probe against a mock, in order.
 * @param {string} origin
 * @returns {Promise<Probed>}
 */
export async function probeMock(origin) {
  /** @type {ProbeContext} */
  const ctx = {}
  /** @type {Record<string, string | null>} */
  const missing = {}
  for (const [name, probe] of Object.entries(PROBES)) missing[name] = await probe(origin, ctx)
  return { ctx, missing }
}

/** @typedef {{ ctx: ProbeContext, missing: Record<string, string | null> }} Probed */

/**
 * What a server whose rows require nothing is given: no probes run, nothing learnt.
 * @type {Probed}
 */
const NOT_PROBED = { ctx: {}, missing: {} }

/**
 * Probe a running server only when the row (or some row on it) requires probes.
 * @param {MeasureRow[]} rows
 * @param {string} origin
 * @returns {Promise<Probed> | Probed}
 */
export function probesFor(rows, origin) {
  return rows.some((row) => row.requires !== undefined) ? probeMock(origin) : NOT_PROBED
}

/**
 * Why a load row cannot run, given its server's probe results; null when all it requires is served.
 * @param {MeasureRow} row
 * @param {Record<string, string | null>} missing
 */
export function unmetRequirement(row, missing) {
  for (const name of row.requires ?? []) if (missing[name] !== null) return missing[name] ?? `probe ${name} did not run`
  return null
}

/** Which of each server's optional flags this build accepts. */
export async function flagsByServer() {
  const help = await serveHelpText()
  return Object.fromEntries(
    Object.entries(SERVERS).map(([name, def]) => [
      name,
      (def.optionalFlags ?? []).filter((flag) => help.includes(`${flag} `) || help.includes(`${flag}\n`)),
    ]),
  )
}

/**
 * Run a load row once against a running server for `seconds`.
 * @param {MeasureRow} row
 * @param {RunningServer} server
 * @param {ProbeContext} ctx
 * @param {number} seconds
 * @returns {Promise<LoadResult>}
 */
export function runLoad(row, server, ctx, seconds) {
  if (row.kind === 'http') {
    const spec = must(row.request, `request of ${row.id}`)
    const request = typeof spec === 'function' ? spec(ctx) : spec
    return httpLoad(server.origin, request, { connections: must(row.connections, `connections of ${row.id}`), seconds })
  }
  if (row.kind === 'client') return clientLoad(server.origin, must(row.client, `client of ${row.id}`), { seconds })
  return loopLoad(server.origin, must(row.step, `step of ${row.id}`), {
    concurrency: must(row.concurrency, `concurrency of ${row.id}`),
    seconds,
  })
}
