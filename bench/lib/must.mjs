// @ts-check
/** Lookups that cannot miss (the bench's own tables, fixed-format /proc files): the value, or an error naming what was missing. */

/**
 * @template T
 * @param {T | null | undefined} value
 * @param {string} what
 * @returns {T}
 */
export function must(value, what) {
  if (value === undefined || value === null) throw new Error(`bench: ${what} is missing`)
  return value
}
