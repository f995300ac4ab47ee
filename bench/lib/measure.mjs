// @ts-check
/**
 * One measurement and its noise: a load with the server's CPU per operation, a block of cold
 * starts, and the retry of either while other processes keep the shared machine busy.
 */
import { COLD_STARTS } from '../targets.mjs'
import { cpuSeconds, machineBusySeconds, ownAndChildrenCpuSeconds } from './processes.mjs'
import { runLoad } from './probes.mjs'

/** @typedef {import('../targets.mjs').MeasureRow} MeasureRow */
/** @typedef {import('../targets.mjs').ProbeContext} ProbeContext */
/** @typedef {import('../targets.mjs').ServerName} ServerName */
/** @typedef {import('./processes.mjs').RunningServer} RunningServer */
/** @typedef {import('./load.mjs').LoadResult} LoadResult */

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
export async function whenQuiet(what, measure, noiseOf, options, log) {
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
