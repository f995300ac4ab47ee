// @ts-check
/**
 * Rendering a run: one table (measure, median, min–max, ratio vs reference, target, verdict)
 * as aligned text for the terminal and as Markdown for bench/latest.md, plus the closing notes
 * (rows not available, invalid rounds, targets missed and by how much).
 */
import os from 'node:os'
import { MAX_ATTEMPTS } from './measure.mjs'
import { summarize } from './stats.mjs'
import { must } from './must.mjs'

/** @typedef {import('./run-record.js').BenchmarkRun} BenchmarkRun */
/** @typedef {import('./run-record.js').CheckResult} CheckResult */

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/**
 * @param {number} value
 * @param {string} unit
 */
const formatValue = (value, unit) => (unit === 'MiB' || unit === 'ms' ? ONE_DECIMAL : INTEGER).format(value)
/** @param {number} ratio */
const formatRatio = (ratio) => (ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2))

/** @param {(number | undefined)[]} values */
function medianOf(values) {
  const known = values.filter((v) => v !== undefined)
  return known.length === 0 ? null : must(summarize(known), 'samples').median
}

/**
 * One detail per measurement taken: each load row's, and each round's cold-start block once
 * (the block's detail is recorded under every cold-start row of that round).
 * @param {BenchmarkRun} run
 */
function measurementDetails(run) {
  /** @type {Map<number, import('./run-record.js').RoundDetail>} */
  const coldBlocks = new Map()
  /** @type {import('./run-record.js').RoundDetail[]} */
  const loads = []
  for (const m of run.measures) {
    for (const r of m.rounds) {
      if (r.detail === undefined) continue
      if (m.kind === 'cold') coldBlocks.set(r.round, r.detail)
      else loads.push(r.detail)
    }
  }
  return [...loads, ...coldBlocks.values()]
}

/** @returns {import('./run-record.js').MachineInfo} */
export function machineInfo() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  }
}

/** @param {CheckResult} check */
function targetCell(check) {
  if (check.atLeast !== undefined) return `≥ ${check.atLeast}×`
  if (check.atMost !== undefined) return `≤ ${check.atMost}×`
  return ''
}

/** @param {CheckResult} check */
function ratioCell(check) {
  if (check.ratio === null) return `n/a vs ${check.reference}`
  const range =
    check.perRound !== null && check.perRound.n > 1 ? ` (${formatRatio(check.perRound.min)}–${formatRatio(check.perRound.max)})` : ''
  return `${formatRatio(check.ratio)}× ${check.reference}${range}`
}

/**
 * Table rows as arrays of cells; a measure feeding several checks gets one continuation row per extra check.
 * @param {BenchmarkRun} run
 */
function tableRows(run) {
  const header = ['Measure', 'Median', 'Min–max', 'Server CPU/op', 'Ratio vs reference (per round)', 'Target', 'Verdict']
  /** @type {string[][]} */
  const rows = []
  for (const m of run.measures) {
    const checks = run.checks.filter((c) => c.of === m.id)
    const [first, ...rest] = checks
    const value =
      m.summary === null
        ? [m.unavailable !== null ? 'not available' : 'invalid', '']
        : [
            `${formatValue(m.summary.median, m.unit)} ${m.unit}`,
            `${formatValue(m.summary.min, m.unit)}–${formatValue(m.summary.max, m.unit)}`,
          ]
    const cpu = medianOf(
      m.rounds.map((r) => (r.detail !== undefined && 'serverCpuUsPerOp' in r.detail ? r.detail.serverCpuUsPerOp : undefined)),
    )
    rows.push([
      m.label,
      ...value,
      cpu === null ? '' : `${INTEGER.format(cpu)} µs`,
      first ? ratioCell(first) : '',
      first ? targetCell(first) : '',
      first?.verdict ?? '',
    ])
    for (const c of rest) rows.push(['  ↳', '', '', '', ratioCell(c), targetCell(c), c.verdict])
  }
  return { header, rows }
}

/** @param {BenchmarkRun} run */
export function textTable(run) {
  const { header, rows } = tableRows(run)
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => must(r[i], `cell ${i}`).length)))
  /** @param {string[]} cells */
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(must(widths[i], `width of column ${i}`)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** @param {BenchmarkRun} run */
function markdownTable(run) {
  const { header, rows } = tableRows(run)
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/**
 * Closing notes: what could not be measured, invalid rounds, and each missed target with its shortfall.
 * @param {BenchmarkRun} run
 */
export function notes(run) {
  /** @type {string[]} */
  const out = []
  for (const m of run.measures) {
    if (m.unavailable !== null) out.push(`${m.id} not available: ${m.unavailable}.`)
    for (const line of m.invalid) out.push(`${m.id} invalid ${line}.`)
  }
  for (const c of run.checks) {
    if (c.verdict === 'FAIL') {
      const short =
        c.atLeast !== undefined
          ? `${Math.round((1 - c.ratio / c.atLeast) * 100)}% below`
          : `${Math.round((c.ratio / must(c.atMost, `bound of ${c.of} vs ${c.reference}`) - 1) * 100)}% above`
      out.push(`MISSED ${c.of} vs ${c.reference}: ${formatRatio(c.ratio)}× against ${targetCell(c)} (${short} the target).`)
    }
    if (c.verdict === 'MISSING') out.push(`NOT MEASURED ${c.of} vs ${c.reference}: ${c.why}.`)
    if (c.verdict === 'INVALID') out.push(`INVALID ${c.of} vs ${c.reference}: ${c.why}; no verdict on a load that answered errors.`)
  }
  if (run.checks.some((c) => c.verdict === 'FAIL')) {
    out.push('Where the time goes: bench/PROFILE.md (reproduce with `npm run bench -- --profile mint` and `npm run bench -- --startup`).')
  }
  return out
}

/**
 * How busy the rest of the machine was during the measurements (other processes' CPU, % of one core), and what was repeated for it.
 * @param {BenchmarkRun} run
 */
function noiseLine(run) {
  const details = measurementDetails(run)
  if (details.length === 0) return null
  const n = must(summarize(details.map((d) => d.otherCpuPercent)), 'other CPU samples')
  const repeated = details.filter((d) => (d.attempts ?? 1) > 1).length
  const stillBusy = details.filter((d) => d.otherCpuPercent > run.options.maxOtherCpu).length
  return (
    `Other processes on the machine used a median ${n.median}% of one core during the measurements (max ${n.max}%); ` +
    `${repeated} measurement(s) were repeated because the machine was busy (limit ${run.options.maxOtherCpu}%), ${stillBusy} stayed above it after ${MAX_ATTEMPTS} tries. ` +
    `Server CPU/op is the server process's CPU time (all its threads) per completed request or round trip, the figure least moved by that noise.`
  )
}

/** @param {BenchmarkRun} run */
export function markdownReport(run) {
  const m = run.machine
  return [
    `Measured ${run.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node};`,
    `${run.options.rounds} interleaved rounds, ${run.options.seconds} s per load per round after ${run.options.warmupSeconds} s warm-up, ` +
      `${run.options.coldStarts} cold starts per server per round. Command: \`${run.command}\`.`,
    ...(noiseLine(run) ? [noiseLine(run)] : []),
    '',
    markdownTable(run),
    '',
    ...notes(run).map((n) => `- ${n}`),
    '',
  ].join('\n')
}
