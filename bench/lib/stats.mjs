// @ts-check
/** Small statistics over benchmark samples. */

/** The q-quantile (0..1) of an ascending array, nearest rank; NaN when empty. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]
}

/** Median (the mean of the two middle values for an even count), min and max. */
export function summarize(samples) {
  if (samples.length === 0) return null
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length }
}
