// @ts-check
/**
 * `npm run bench`: measure the mock against bare Fastify and oauth2-mock-server in one
 * run, print the table, write bench/results.json and bench/latest.md, and exit 1 when a target
 * is missed, when a check rests on a round with errors (INVALID), or when a target cannot be
 * measured (unless --allow-missing). `--soak` runs the memory soak instead; it exits 1 unless
 * its verdict is PASS. `--soak-mixed` runs the robustness soak instead (mints, round trips, userinfo,
 * bad requests and control calls at once, then SIGTERM with requests in flight); it exits 1 unless PASS.
 * `--tenants` measures what tenants cost instead; `--redis` what keeping state in Redis costs.
 * Needs a build (`npm run build`); every server is a child process on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runBenchmark } from './lib/benchmark.mjs'
import { MAX_ATTEMPTS } from './lib/measure.mjs'
import { machineInfo, markdownReport, notes, textTable } from './lib/report.mjs'
import { runProfile } from './lib/profile.mjs'
import { runSoak } from './lib/soak.mjs'
import { runMixedSoak } from './lib/soak-mixed.mjs'
import { runStartupBreakdown } from './lib/startup.mjs'
import { runTenantBench } from './lib/tenants.mjs'
import { runRedisBench } from './lib/redis.mjs'

/**
 * An option of the command line: what parseArgs needs, and its line in --help.
 * @typedef {{ type: 'string' | 'boolean', default?: string, short?: string, description: string }} OptionSpec
 */

/**
 * Options declared once: they feed parseArgs and --help.
 * @type {Record<string, OptionSpec>}
 */
const OPTIONS = {
  rounds: { type: 'string', default: '5', description: 'Interleaved rounds (the verdicts need at least 3)' },
  seconds: { type: 'string', default: '3', description: 'Seconds of load per target per round' },
  warmup: { type: 'string', default: '1', description: 'Seconds of discarded load before each measurement' },
  'cold-starts': { type: 'string', default: '5', description: 'Cold starts per server per round' },
  'max-other-cpu': {
    type: 'string',
    default: '25',
    description: `Measure again (up to ${MAX_ATTEMPTS} tries) when other processes took more than this % of a core`,
  },
  'allow-missing': {
    type: 'boolean',
    description: 'Exit 0 although targets could not be measured (failed or invalid checks still exit 1)',
  },
  soak: { type: 'boolean', description: 'Run the memory soak instead of the benchmark' },
  'soak-seconds': { type: 'string', default: '180', description: 'Soak: seconds of load after warm-up' },
  'soak-warmup': { type: 'string', default: '30', description: 'Soak: seconds of warm-up load before the baseline' },
  'soak-mixed': {
    type: 'boolean',
    description: 'Run the robustness soak instead: a mix of good, bad and control requests, then SIGTERM mid-flight',
  },
  'mixed-seconds': { type: 'string', default: '60', description: 'Soak-mixed: seconds of load' },
  'mixed-concurrency': { type: 'string', default: '50', description: 'Soak-mixed: concurrent clients' },
  startup: { type: 'boolean', description: 'Break a cold start down into its steps (fresh processes, medians) instead' },
  profile: {
    type: 'string',
    description: 'Profile one row instead (a load id such as mint, or cold-mock): node --cpu-prof, top functions and modules',
  },
  'soak-advance': {
    type: 'string',
    default: String(31 * 24 * 3600),
    description: 'Soak: mock-clock seconds added every 10 s, so what was issued before has expired',
  },
  redis: {
    type: 'boolean',
    description:
      'Measure the Redis store instead (its own redis-server): vs memory, two replicas vs one, commands per request, memory per grant',
  },
  tenants: {
    type: 'boolean',
    description: 'Measure what tenants cost instead (creation, idle RSS, throughput in a tenant, state export/import)',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
}

function help() {
  /** @type {[string, string][]} */
  const rows = Object.entries(OPTIONS).map(([name, o]) => [
    `--${name}${o.type === 'string' ? (name === 'profile' ? ' <id>' : ' <n>') : ''}`,
    `${o.description}${o.default ? ` (default ${o.default})` : ''}`,
  ])
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2
  return ['Usage: npm run bench -- [options]', '', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`), ''].join('\n')
}

/**
 * @param {Record<string, unknown>} values  parsed options
 * @param {string} name
 * @param {{ integer?: boolean, min?: number }} [bounds]
 */
function positiveNumber(values, name, { integer = false, min = integer ? 1 : 0 } = {}) {
  const n = Number(values[name])
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${JSON.stringify(values[name])}`)
  }
  return n
}

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`)
const resultsPath = new URL('./results.json', import.meta.url)
const latestPath = new URL('./latest.md', import.meta.url)

async function main() {
  const { values } = parseArgs({
    options: Object.fromEntries(
      Object.entries(OPTIONS).map(([k, o]) => [
        k,
        { type: o.type, ...(o.short && { short: o.short }), ...(o.default && { default: o.default }) },
      ]),
    ),
  })
  if (values.help) {
    process.stdout.write(help())
    return 0
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  const allowMissing = values['allow-missing'] === true

  if (values.profile !== undefined) {
    const options = { seconds: positiveNumber(values, 'seconds', { min: 0.5 }), warmupSeconds: positiveNumber(values, 'warmup') }
    process.stdout.write(`${await runProfile(String(values.profile), options, log)}\n`)
    return 0
  }

  if (values.redis) {
    const options = {
      seconds: positiveNumber(values, 'seconds', { min: 0.5 }),
      rounds: positiveNumber(values, 'rounds', { integer: true }),
      grants: 2000,
    }
    const result = await runRedisBench(options, log)
    writeFileSync(
      new URL('./redis-results.json', import.meta.url),
      `${JSON.stringify({ machine: machineInfo(), date: new Date().toISOString(), command, ...result }, null, 2)}\n`,
    )
    process.stdout.write(`${result.summary}\n`)
    return result.valid ? 0 : 1
  }

  if (values.tenants) {
    const options = {
      seconds: positiveNumber(values, 'seconds', { min: 0.5 }),
      rounds: positiveNumber(values, 'rounds', { integer: true }),
      creations: 200,
    }
    const result = await runTenantBench(options, log)
    writeFileSync(
      new URL('./tenants-results.json', import.meta.url),
      `${JSON.stringify({ machine: machineInfo(), date: new Date().toISOString(), command, ...result }, null, 2)}\n`,
    )
    process.stdout.write(`${result.summary}\n`)
    return result.valid ? 0 : 1
  }

  if (values.startup) {
    process.stdout.write(`${await runStartupBreakdown({ repeats: positiveNumber(values, 'cold-starts', { integer: true }) * 2 }, log)}\n`)
    return 0
  }

  if (values['soak-mixed']) {
    const options = {
      seconds: positiveNumber(values, 'mixed-seconds', { min: 1 }),
      concurrency: positiveNumber(values, 'mixed-concurrency', { integer: true }),
    }
    const soak = await runMixedSoak(options, log)
    const { summary, ...record } = soak
    writeFileSync(
      new URL('./soak-mixed-results.json', import.meta.url),
      `${JSON.stringify({ machine: machineInfo(), date: new Date().toISOString(), command, options, ...record }, null, 2)}\n`,
    )
    process.stdout.write(`${summary}\n`)
    return soak.verdict === 'PASS' ? 0 : 1
  }

  if (values.soak) {
    const soak = await runSoak(
      {
        seconds: positiveNumber(values, 'soak-seconds', { min: 10 }),
        warmupSeconds: positiveNumber(values, 'soak-warmup', { min: 5 }),
        advanceSeconds: positiveNumber(values, 'soak-advance', { integer: true }),
      },
      log,
    )
    writeFileSync(
      new URL('./soak-results.json', import.meta.url),
      `${JSON.stringify({ machine: machineInfo(), date: new Date().toISOString(), command, ...soak }, null, 2)}\n`,
    )
    process.stdout.write(`${soak.summary}\n`)
    // FAIL (RSS grew) and INVALID (a workload had errors) both exit 1: only a clean PASS is a pass.
    if (soak.verdict !== 'PASS') return 1
    return soak.missing.length > 0 && !allowMissing ? 1 : 0
  }

  const options = {
    rounds: positiveNumber(values, 'rounds', { integer: true }),
    seconds: positiveNumber(values, 'seconds', { min: 0.5 }),
    warmupSeconds: positiveNumber(values, 'warmup'),
    coldStarts: positiveNumber(values, 'cold-starts', { integer: true }),
    maxOtherCpu: positiveNumber(values, 'max-other-cpu'),
  }
  if (options.rounds < 3) log(`note: the verdicts need at least 3 rounds; running ${options.rounds}`)
  const run = { machine: machineInfo(), date: new Date().toISOString(), command, ...(await runBenchmark(options, log)) }

  writeFileSync(resultsPath, `${JSON.stringify(run, null, 2)}\n`)
  writeFileSync(latestPath, markdownReport(run))
  process.stdout.write(`\n${textTable(run)}\n\n${notes(run).join('\n')}\n`)
  process.stdout.write(`\nwrote bench/results.json and bench/latest.md\n`)

  const failed = run.checks.filter((c) => c.verdict === 'FAIL').length
  const invalid = run.checks.filter((c) => c.verdict === 'INVALID').length
  const missing = run.checks.filter((c) => c.verdict === 'MISSING').length
  if (failed > 0) return 1
  if (invalid > 0) {
    log(`${invalid} check(s) rest on measurements with errors (INVALID); see the notes above`)
    return 1
  }
  if (missing > 0 && !allowMissing) {
    log(`${missing} target(s) could not be measured; pass --allow-missing to accept that`)
    return 1
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench: ${error.stack ?? error}\n`)
    process.exit(2)
  },
)
