// @ts-check
/**
 * `npm run bench -- --soak`: bounded memory. One mock process takes a steady
 * mix for minutes: mints, authorize requests whose codes are never redeemed, and full round
 * trips whose access and refresh tokens are never used. Every 10 s the mock clock jumps forward
 * (POST /_mock/clock) so everything issued before has expired and must be swept.
 *
 * RSS is read from /proc every 2 s. Baseline and final are read the same way: the reading taken
 * after 10 s with no load, once after the warm-up and once after the soak (the output gives each
 * idle window's min–max too). Nothing forces a GC (no --expose-gc): the mock runs as users run
 * it, so what is measured is what they get. Pass: final ≤ 1.10 × baseline. Whether V8 hands
 * memory back within those 10 s idle varies from run to run (a recorded run ended at 86% of its
 * baseline), so a single final reading can land low by chance; the medians of the first and last
 * quarter of the soak are reported too, as a leak shows there as a climb under load.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { LOADS, SERVERS } from '../targets.mjs'
import { flagsByServer, probeMock } from './probes.mjs'
import { EXCUSED, httpLoad, loopLoad } from './load.mjs'
import { FLOWS, authorize, roundTrip } from './oauth-flow.mjs'
import { rssMiB, startServer } from './processes.mjs'
import { summarize } from './stats.mjs'
import { must } from './must.mjs'

const SAMPLE_EVERY_MS = 2000
const ADVANCE_EVERY_MS = 10_000
const SETTLE_MS = 10_000
const TOLERANCE = 0.1

/** Clock jumps so far (warm-up and soak); a round trip that straddles one finds its code expired, which is correct. */
let clockJumps = 0

/**
 * A round trip whose failure is excused (EXCUSED, not completed) when the mock clock jumped between its authorize and its token call.
 * @param {import('undici').Dispatcher} driver
 */
async function roundTripUnlessClockJumped(driver) {
  const before = clockJumps
  try {
    return await roundTrip(driver, FLOWS.mock)
  } catch (error) {
    if (clockJumps !== before) return EXCUSED
    throw error
  }
}

/** The benchmark's mint request, which needs nothing probed first. */
function mintRequest() {
  const request = must(
    LOADS.find((r) => r.id === 'mint'),
    'load row mint',
  ).request
  if (request === undefined || typeof request === 'function') throw new Error('bench: the mint row needs a fixed request')
  return request
}

/**
 * @typedef {object} Workload
 * @property {string} id
 * @property {string | null} requires  the probe it needs to pass, if any
 * @property {(origin: string, seconds: number) => Promise<import('./load.mjs').LoadResult>} run
 */

/**
 * The load mix, as data: which workload, how many concurrent clients, and what it needs.
 * @type {Workload[]}
 */
const MIX = [
  {
    id: 'mints',
    requires: null,
    run: (origin, seconds) => httpLoad(origin, mintRequest(), { connections: 4, seconds }),
  },
  {
    id: 'abandoned codes',
    requires: 'oauth',
    run: (origin, seconds) => loopLoad(origin, (d) => authorize(d, FLOWS.mock), { concurrency: 3, seconds }),
  },
  {
    id: 'unused tokens',
    requires: 'oauth',
    run: (origin, seconds) => loopLoad(origin, roundTripUnlessClockJumped, { concurrency: 2, seconds }),
  },
]

/**
 * @param {{ seconds: number, warmupSeconds: number, advanceSeconds: number }} options
 * @param {(line: string) => void} log
 */
export async function runSoak(options, log) {
  const flags = await flagsByServer()
  const mock = await startServer(SERVERS.mock, flags.mock)
  /** @type {{ t: number, phase: string, rssMiB: number }[]} */
  const samples = []
  const t0 = performance.now()
  let phase = 'start'
  const sample = () =>
    samples.push({ t: Math.round((performance.now() - t0) / 100) / 10, phase, rssMiB: Math.round(rssMiB(mock.pid) * 10) / 10 })
  sample()
  const sampler = setInterval(sample, SAMPLE_EVERY_MS)
  try {
    const { missing } = await probeMock(mock.origin)
    const mix = MIX.filter((w) => w.requires === null || missing[w.requires] === null)
    const skipped = MIX.filter((w) => !mix.includes(w)).map((w) => `${w.id} (${w.requires === null ? '' : missing[w.requires]})`)
    for (const s of skipped) log(`soak: not exercised: ${s}`)

    /**
     * Load the mock for `seconds` with the whole mix while the clock jumps; resolves with the counts and the jumps.
     * @param {number} seconds
     */
    const load = async (seconds) => {
      const jumpsBefore = clockJumps
      const ticker = setInterval(() => {
        clockJumps++
        request(`${mock.origin}/_mock/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advance_seconds: options.advanceSeconds }),
        })
          .then((r) => r.body.dump())
          .catch((error) => log(`soak: clock advance failed: ${error.message}`))
      }, ADVANCE_EVERY_MS)
      try {
        const results = await Promise.all(mix.map((w) => w.run(mock.origin, seconds)))
        const workloads = Object.fromEntries(
          mix.map((w, i) => {
            const r = must(results[i], `result of ${w.id}`)
            return [w.id, { completed: r.completed, excused: r.excused, invalid: r.invalid }]
          }),
        )
        return { workloads, clockJumps: clockJumps - jumpsBefore }
      } finally {
        clearInterval(ticker)
      }
    }
    /**
     * The reading after SETTLE_MS without load, and the min–max of that idle window's readings.
     * @param {string} name
     */
    const settle = async (name) => {
      phase = name
      await sleep(SETTLE_MS)
      sample()
      const window = must(summarize(samples.filter((s) => s.phase === name).map((s) => s.rssMiB)), `${name} readings`)
      return { rssMiB: must(samples.at(-1), 'an RSS reading').rssMiB, idleMin: window.min, idleMax: window.max }
    }

    phase = 'warm-up'
    log(`soak: warm-up ${options.warmupSeconds} s (${mix.map((w) => w.id).join(', ')})`)
    const warmup = await load(options.warmupSeconds)
    const baselineRead = await settle('idle after warm-up')
    const baseline = baselineRead.rssMiB
    phase = 'soak'
    log(`soak: baseline ${baseline} MiB; soaking ${options.seconds} s`)
    const soak = await load(options.seconds)
    const finalRead = await settle('idle after soak')
    const final = finalRead.rssMiB
    // Under steady load RSS swings with the GC cycle; a leak shows as the last quarter sitting above the first.
    const during = samples.filter((s) => s.phase === 'soak').map((s) => s.rssMiB)
    // The soak's own peak: the warm-up's readings (a young heap sizing itself) are not the soak's.
    const peak = Math.max(...during)
    const quarter = Math.max(1, Math.floor(during.length / 4))
    const trend = {
      firstQuarterMedianMiB: must(summarize(during.slice(0, quarter)), 'soak readings').median,
      lastQuarterMedianMiB: must(summarize(during.slice(-quarter)), 'soak readings').median,
    }
    const ratio = final / baseline
    /** @type {(id: string, r: { invalid: string | null }) => [string, { invalid: string | null }]} */
    const labelled = (id, r) => [id, r]
    const invalid = [
      ...Object.entries(warmup.workloads).map(([id, r]) => labelled(`warm-up ${id}`, r)),
      ...Object.entries(soak.workloads).map(([id, r]) => labelled(id, r)),
    ].filter(([, r]) => r.invalid !== null)
    const excused = Object.entries(soak.workloads).filter(([, r]) => r.excused > 0)
    const verdict = invalid.length > 0 ? 'INVALID' : ratio <= 1 + TOLERANCE ? 'PASS' : 'FAIL'
    const summary = [
      `soak: ${options.seconds} s of ${Object.entries(soak.workloads)
        .map(([id, r]) => `${r.completed} ${id}`)
        .join(', ')}; ` +
        `${soak.clockJumps} clock advances of ${options.advanceSeconds} s during the soak (${warmup.clockJumps} more during the warm-up)`,
      ...excused.map(
        ([id, r]) =>
          `excused: ${r.excused} round trips of ${id} straddled a clock jump (their code expired, as it should); not counted as completed`,
      ),
      `RSS baseline ${baseline} MiB and final ${final} MiB, each the reading after ${SETTLE_MS / 1000} s idle ` +
        `(baseline after the ${options.warmupSeconds} s warm-up, idle window ${baselineRead.idleMin}–${baselineRead.idleMax} MiB; ` +
        `final after the soak, idle window ${finalRead.idleMin}–${finalRead.idleMax} MiB): ` +
        `${(ratio * 100).toFixed(1)}% of baseline, limit ${100 + TOLERANCE * 100}% → ${verdict}`,
      `under load: peak ${peak} MiB during the soak; median RSS ${trend.firstQuarterMedianMiB.toFixed(1)} MiB in its first quarter, ${trend.lastQuarterMedianMiB.toFixed(1)} MiB in its last`,
      ...invalid.map(([id, r]) => `invalid: ${id}: ${r.invalid}`),
      ...skipped.map((s) => `not exercised: ${s}`),
    ].join('\n')
    return {
      options,
      verdict,
      baselineMiB: baseline,
      finalMiB: final,
      idleWindowsMiB: { baseline: [baselineRead.idleMin, baselineRead.idleMax], final: [finalRead.idleMin, finalRead.idleMax] },
      soakPeakMiB: peak,
      ratio,
      trend,
      workloads: { warmup: warmup.workloads, soak: soak.workloads },
      clockJumps: { warmup: warmup.clockJumps, soak: soak.clockJumps },
      missing: skipped,
      samples,
      summary,
    }
  } finally {
    clearInterval(sampler)
    await mock.stop()
  }
}
