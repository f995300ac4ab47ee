// @ts-check
/** A run's samples as medians and min–max per measure, and its checks as ratios of medians with a verdict. */
import { CHECKS, MEASURES } from '../targets.mjs'
import { summarize } from './stats.mjs'
import { must } from './must.mjs'

/** @typedef {import('./run-record.js').RoundDetail} RoundDetail */

/**
 * A measure's rounds so far, or why it could not run.
 * @typedef {{ rounds: { round: number, values: number[], detail?: RoundDetail }[], unavailable: string | null, invalid: string[] }} MeasureData
 */

/**
 * @param {Map<string, MeasureData>} data
 * @param {Record<string, string[]>} flags
 * @param {import('./run-record.js').BenchmarkOptions} options
 * @returns {import('./run-record.js').BenchmarkResult}
 */
export function summarizeRun(data, flags, options) {
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
