/**
 * Request headers of a rerouted request: the caller's, without a Host header naming Whop (the
 * mock serves only its own names), plus the original URL for the journal.
 */
import { ORIGINAL_URL_HEADER } from '../state/journal.js'

export type HeaderRecord = Record<string, string | string[]>

/** Collected in a Map, so a header named constructor or __proto__ meets no Object.prototype member. */
function add(out: Map<string, string | string[]>, name: string, value: unknown): void {
  if (value === undefined || value === null) return
  const key = name.toLowerCase()
  if (key === 'host' || key === ORIGINAL_URL_HEADER) return
  const values = Array.isArray(value) ? value.map(String) : [String(value)]
  const before = out.get(key)
  out.set(key, before === undefined ? (values.length === 1 ? (values[0] ?? '') : values) : [before, values].flat())
}

function isPair(entry: unknown): entry is readonly [unknown, unknown] {
  return Array.isArray(entry) && entry.length === 2
}

/** Headers given as a flat `[name, value, name, value]` list, a list of pairs, or a record. */
function collect(headers: unknown): HeaderRecord {
  const out = new Map<string, string | string[]>()
  if (headers === undefined || headers === null) return {}
  if (Array.isArray(headers) && headers.every((entry) => typeof entry === 'string')) {
    for (let i = 0; i + 1 < headers.length; i += 2) add(out, String(headers[i]), headers[i + 1])
    return Object.fromEntries(out)
  }
  if (typeof headers === 'object' && Symbol.iterator in headers) {
    for (const entry of headers as Iterable<unknown>) if (isPair(entry)) add(out, String(entry[0]), entry[1])
    return Object.fromEntries(out)
  }
  if (typeof headers === 'object') for (const [name, value] of Object.entries(headers)) add(out, name, value)
  return Object.fromEntries(out)
}

/** The headers of a request rerouted from `originalUrl`. */
export function reroutedHeaders(headers: unknown, originalUrl: string): HeaderRecord {
  return { ...collect(headers), [ORIGINAL_URL_HEADER]: originalUrl }
}
