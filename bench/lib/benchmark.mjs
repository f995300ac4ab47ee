// @ts-check
/**
 * The benchmark run: rounds of (cold starts, fresh servers, every load row once, RSS), so each
 * target is measured once per round and rounds interleave. Samples become medians and min–max;
 * checks become ratios of medians with a verdict (INVALID when a round of either measure had errors).
 */
import { COLD_STARTS, LOADS, MEASURES, RSS, SERVERS } from '../targets.mjs'
import { rssMiB, startServer } from './processes.mjs'
import { coldStartBlock, measureLoad, whenQuiet } from './measure.mjs'
import { flagsByServer, probesFor, runLoad, unmetRequirement } from './probes.mjs'
import { summarizeRun } from './summary.mjs'
import { must } from './must.mjs'

/** @typedef {import('../targets.mjs').ServerName} ServerName */
/** @typedef {import('./processes.mjs').RunningServer} RunningServer */
/** @typedef {import('./run-record.js').RoundDetail} RoundDetail */
/** @typedef {import('./probes.mjs').Probed} Probed */
/** @typedef {import('./summary.mjs').MeasureData} MeasureData */

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
