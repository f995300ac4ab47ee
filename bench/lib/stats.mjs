// @ts-check
/** Small statistics over benchmark samples. */
import { must } from './must.mjs'

/**
 * @typedef {object} Summary
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {number} n  how many samples
 */

/**
 * The q-quantile (0..1) of an ascending array, nearest rank; NaN when empty.
 * @param {number[]} sorted
 * @param {number} q
 * @returns {number}
 */
export function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return must(sorted[rank], `sample ${rank}`)
}

/**
 * Median (the mean of the two middle values for an even count), min and max.
 * @param {number[]} samples
 * @returns {Summary | null}
 */
export function summarize(samples) {
  if (samples.length === 0) return null
  const sorted = [...samples].sort((a, b) => a - b)
  /** @param {number} i */
  const at = (i) => must(sorted[i], `sample ${i}`)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2
  return { median, min: at(0), max: at(sorted.length - 1), n: sorted.length }
}
