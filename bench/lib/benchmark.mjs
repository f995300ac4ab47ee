// @ts-check
/**
 * The benchmark run: rounds of (cold starts, fresh servers, every load row once, RSS), so each
 * target is measured once per round and rounds interleave. Samples become medians and min–max;
 * checks become ratios of medians with a verdict (INVALID when a round of either measure had errors).
 */
import { Pool } from 'undici'
import { CHECKS, COLD_STARTS, LOADS, MEASURES, RSS, SERVERS } from '../targets.mjs'
import { httpLoad, loopLoad } from './load.mjs'
import { clientLoad } from './client-load.mjs'
import { FLOWS, FlowError, roundTrip } from './oauth-flow.mjs'
import { cpuSeconds, machineBusySeconds, ownAndChildrenCpuSeconds, rssMiB, serveHelpText, startServer } from './processes.mjs'
import { summarize } from './stats.mjs'
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

/**
 * A measure's rounds so far, or why it could not run.
 * @typedef {{ rounds: { round: number, values: number[], detail?: RoundDetail }[], unavailable: string | null, invalid: string[] }} MeasureData
 */

/**
 * @param {import('./run-record.js').BenchmarkOptions} options
 * @param {(line: string) => void} log
 * @returns {Promise<import('./run-record.js').BenchmarkResult>}
 */
export async function runBenchmark(options, log) {
  const flags = await flagsByServer()
  /** @type {Map<string, MeasureData>} */
  const data = new Map(MEASURES.map((m) => [m.id, { rounds: [], unavailable: null, invalid: [] }]))
  /**
   * @param {string} id
   * @param {number} round
   * @param {number} value
   * @param {RoundDetail} [detail]
   */
  const record = (id, round, value, detail) => {
    const rounds = must(data.get(id), `measure ${id}`).rounds
    let entry = rounds.find((r) => r.round === round)
    if (entry === undefined) {
      entry = { round, values: [] }
      rounds.push(entry)
    }
    entry.values.push(value)
    if (detail !== undefined) entry.detail = detail
  }
  /** @param {ServerName} name */
  const start = (name) => startServer(SERVERS[name], flags[name])

  // One discarded spawn of each, so the first measured cold start does not also pay for a cold page cache.
  for (const row of COLD_STARTS) await (await start(row.server)).stop()

  const used = [...new Set([...LOADS, ...RSS].map((row) => row.server))]
  for (let round = 1; round <= options.rounds; round++) {
    log(
      `round ${round}/${options.rounds}: ${options.coldStarts} cold starts each of ${COLD_STARTS.map((r) => SERVERS[r.server].label).join(', ')}`,
    )
    const cold = await whenQuiet(
      'cold starts',
      () => coldStartBlock(options.coldStarts, start),
      (b) => b.otherCpuPercent,
      options,
      log,
    )
    for (const [id, ms] of cold.samples) record(id, round, ms, { otherCpuPercent: cold.otherCpuPercent, attempts: cold.attempts })

    /** @type {Partial<Record<ServerName, RunningServer>>} */
    const running = {}
    /** @param {ServerName} name */
    const runningServer = (name) => must(running[name], `running server ${name}`)
    for (const name of used) {
      const server = await start(name)
      running[name] = server
      for (const row of RSS.filter((r) => r.server === name && r.at === 'start')) record(row.id, round, rssMiB(server.pid))
    }
    try {
      /** @type {Partial<Record<ServerName, Probed>>} */
      const probed = {}
      for (const name of used)
        probed[name] = await probesFor(
          LOADS.filter((row) => row.server === name),
          runningServer(name).origin,
        )
      /**
       * RSS of each server read right after its latest load: an idle server's heap may shrink while others are loaded.
       * @type {Partial<Record<ServerName, number>>}
       */
      const rssAfterLoad = {}

      for (const row of LOADS) {
        const { ctx, missing } = must(probed[row.server], `probes of ${row.server}`)
        const reason = unmetRequirement(row, missing)
        if (reason !== null) {
          must(data.get(row.id), `measure ${row.id}`).unavailable = reason
          log(`  ${row.id}: not available (${reason})`)
          continue
        }
        const server = runningServer(row.server)
        if (options.warmupSeconds > 0) await runLoad(row, server, ctx, options.warmupSeconds)
        const measured = await whenQuiet(
          row.id,
          () => measureLoad(row, server, ctx, options.seconds),
          (m) => m.detail.otherCpuPercent,
          options,
          log,
        )
        const { result } = measured
        const detail = { ...measured.detail, attempts: measured.attempts }
        if (result.invalid !== null) {
          must(data.get(row.id), `measure ${row.id}`).invalid.push(`round ${round}: ${result.invalid}`)
          log(`  ${row.id}: INVALID (${result.invalid})`)
          continue
        }
        record(row.id, round, result.perSecond, detail)
        rssAfterLoad[row.server] = rssMiB(server.pid)
        log(
          `  ${row.id}: ${Math.round(result.perSecond)} ${row.unit}, p99 ${detail.latencyMs.p99} ms, server ${detail.serverCpuUsPerOp} µs CPU/op ` +
            `(main thread ${detail.mainThreadCpuUsPerOp}) ` +
            `(${detail.serverCpuPercent}%), loader CPU ${detail.loaderCpuPercent}%, other processes ${detail.otherCpuPercent}%`,
        )
      }
      for (const row of RSS.filter((r) => r.at === 'load'))
        record(row.id, round, rssAfterLoad[row.server] ?? rssMiB(runningServer(row.server).pid))
    } finally {
      await Promise.all(Object.values(running).map((s) => s.stop()))
    }
  }
  return summarizeRun(data, flags, options)
}

/** @param {number} n */
const round3 = (n) => Math.round(n * 1000) / 1000
export const MAX_ATTEMPTS = 3
const PAUSE_MS = 5000

/**
 * This machine is shared: a measurement during which other processes used more than
 * --max-other-cpu percent of a core is taken again after a pause, at most MAX_ATTEMPTS times;
 * the last attempt is kept either way, with its noise and attempt count in the results.
 * @template {Record<string, unknown>} T
 * @param {string} what
 * @param {() => Promise<T>} measure
 * @param {(m: T) => number} noiseOf  other processes' CPU, percent of one core
 * @param {{ maxOtherCpu: number }} options
 * @param {(line: string) => void} log
 * @returns {Promise<T & import('./run-record.js').Attempts>}
 */
async function whenQuiet(what, measure, noiseOf, options, log) {
  for (let attempt = 1; ; attempt++) {
    const m = await measure()
    const noise = noiseOf(m)
    const last = attempt >= MAX_ATTEMPTS || noise <= options.maxOtherCpu
    if (last) return { ...m, attempts: attempt }
    log(`  ${what}: other processes used ${noise}% of a core (limit ${options.maxOtherCpu}%); measuring again in ${PAUSE_MS / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
  }
}

/**
 * Spawn each cold-start row's server `count` times, alternating; note how busy the rest of the machine was.
 * @param {number} count
 * @param {(name: ServerName) => Promise<RunningServer>} start
 */
export async function coldStartBlock(count, start) {
  const machine0 = machineBusySeconds()
  const own0 = ownAndChildrenCpuSeconds()
  const t0 = performance.now()
  /** @type {[string, number][]} */
  const samples = []
  for (let i = 0; i < count; i++) {
    for (const row of COLD_STARTS) {
      const server = await start(row.server)
      await server.stop()
      samples.push([row.id, server.readyMs])
    }
  }
  const seconds = (performance.now() - t0) / 1000
  const other = machineBusySeconds() - machine0 - (ownAndChildrenCpuSeconds() - own0)
  return { samples, otherCpuPercent: Math.max(0, Math.round((other / seconds) * 100)) }
}

/**
 * One measured load of a row, with the server's CPU per operation and how busy the rest of the machine was.
 * @param {MeasureRow} row
 * @param {RunningServer} server
 * @param {ProbeContext} ctx
 * @param {number} seconds
 * @returns {Promise<{ result: LoadResult, detail: import('./run-record.js').LoadFigures }>}
 */
export async function measureLoad(row, server, ctx, seconds) {
  const serverCpu0 = cpuSeconds(server.pid)
  const mainCpu0 = cpuSeconds(server.pid, server.pid)
  const ownCpu0 = process.cpuUsage()
  const machine0 = machineBusySeconds()
  const result = await runLoad(row, server, ctx, seconds)
  const ownCpu = process.cpuUsage(ownCpu0)
  const serverCpu = cpuSeconds(server.pid) - serverCpu0
  const mainCpu = cpuSeconds(server.pid, server.pid) - mainCpu0
  // A client row's load runs in its own process, which reports its CPU time.
  const loaderCpu = (ownCpu.user + ownCpu.system) / 1e6 + (result.clientCpuSeconds ?? 0)
  const detail = {
    completed: result.completed,
    seconds: round3(result.seconds),
    latencyMs: { p50: round3(result.latencyMs.p50), p99: round3(result.latencyMs.p99) },
    // Server CPU per completed request is the measure least moved by other load on the machine.
    serverCpuUsPerOp: round3((serverCpu * 1e6) / Math.max(1, result.completed)),
    // Of which the event loop's thread; the rest is the libuv pool (crypto) and V8's GC helpers.
    mainThreadCpuUsPerOp: round3((mainCpu * 1e6) / Math.max(1, result.completed)),
    serverCpuPercent: Math.round((serverCpu / result.seconds) * 100),
    loaderCpuPercent: Math.round((loaderCpu / result.seconds) * 100),
    // CPU used by everything else on the machine meanwhile (other processes): a noise flag.
    otherCpuPercent: Math.max(0, Math.round(((machineBusySeconds() - machine0 - serverCpu - loaderCpu) / result.seconds) * 100)),
  }
  return { result, detail }
}

/**
 * @param {Map<string, MeasureData>} data
 * @param {Record<string, string[]>} flags
 * @param {import('./run-record.js').BenchmarkOptions} options
 * @returns {import('./run-record.js').BenchmarkResult}
 */
function summarizeRun(data, flags, options) {
  /** @type {import('./run-record.js').MeasureResult[]} */
  const measures = MEASURES.map((row) => {
    const d = must(data.get(row.id), `measure ${row.id}`)
    const samples = d.rounds.flatMap((r) => r.values)
    return {
      id: row.id,
      label: row.label,
      kind: row.kind,
      server: row.server,
      unit: row.unit,
      ...(row.connections !== undefined && { connections: row.connections }),
      ...(row.concurrency !== undefined && { concurrency: row.concurrency }),
      summary: summarize(samples),
      rounds: d.rounds.map((r) => ({
        round: r.round,
        median: must(summarize(r.values), `round ${r.round} of ${row.id}`).median,
        values: r.values,
        ...(r.detail && { detail: r.detail }),
      })),
      // "Not available" only when no round measured it: a probe that failed once does not hide the rounds that ran.
      unavailable: d.rounds.length > 0 ? null : d.unavailable,
      invalid: d.invalid,
    }
  })
  const byId = new Map(measures.map((m) => [m.id, m]))
  /** @type {import('./run-record.js').CheckResult[]} */
  const checks = CHECKS.map((check) => {
    const of = must(byId.get(check.of), `measure ${check.of}`)
    const over = must(byId.get(check.over), `measure ${check.over}`)
    // A round with errors is dropped from the medians, but the check is not judged on the rest:
    // errors mean the server misbehaved under that load, which no ratio should hide.
    const invalid = [of, over].filter((m) => m.invalid.length > 0)
    if (invalid.length > 0) {
      const why = invalid.map((m) => `${m.id} had errors in ${m.invalid.join('; ')}`)
      return { ...check, ratio: null, perRound: null, verdict: 'INVALID', why: why.join('; ') }
    }
    if (of.summary === null || over.summary === null) {
      const why = [of, over].filter((m) => m.summary === null).map((m) => `${m.id}: ${m.unavailable ?? 'no samples'}`)
      return {
        ...check,
        ratio: null,
        perRound: null,
        verdict: check.atLeast !== undefined || check.atMost !== undefined ? 'MISSING' : 'info',
        why: why.join('; '),
      }
    }
    const ratio = of.summary.median / over.summary.median
    const perRound = of.rounds.flatMap((r) => {
      const other = over.rounds.find((o) => o.round === r.round)
      return other === undefined ? [] : [r.median / other.median]
    })
    const pass = check.atLeast !== undefined ? ratio >= check.atLeast : check.atMost !== undefined ? ratio <= check.atMost : null
    return { ...check, ratio, perRound: summarize(perRound), verdict: pass === null ? 'info' : pass ? 'PASS' : 'FAIL' }
  })
  // Which optional flags each server was given (e.g. the mock's --auto-approve, when this build has it).
  return { measures, checks, flags, options }
}
