/**
 * Masking by value: every secret the mock holds or issued is masked wherever it stands (a
 * header, the path, the query, a body of any type, at any depth), on top of the masking by
 * name and by shape in redact.ts for secrets the mock did not issue. It runs when the journal
 * is read or a log line is written, never on the request path.
 */
import { maskSecret, maskSecretsIn, maskString } from './redact.js'

/** Where the secrets the mock knows stand in a run of token characters, and those of other characters. */
export interface KnownSecrets {
  /** Every known secret inside the run, leftmost first, never overlapping. */
  spansIn(run: string): readonly { start: number; length: number }[]
  /** Secrets that are not runs of token characters, matched by a plain search. */
  literals(): readonly string[]
}

/** Runs of the characters the mock's keys, codes and tokens are made of. */
const RUN = /[A-Za-z0-9_-]{8,}/g

/** Deeper than this, a value is replaced by a marker (the journal keeps bodies shallower). */
const MAX_DEPTH = 64

/** A run with every known secret inside it masked, wherever it stands in the run. */
function maskRun(run: string, known: KnownSecrets): string {
  const spans = known.spansIn(run)
  if (spans.length === 0) return run
  let out = ''
  let from = 0
  for (const { start, length } of spans) {
    out += `${run.slice(from, start)}${maskSecret(run.slice(start, start + length))}`
    from = start + length
  }
  return `${out}${run.slice(from)}`
}

export class SecretMasker {
  constructor(private readonly known: KnownSecrets) {}

  /** Free text with every Whop key, JWT and known secret in it masked. */
  text(text: string): string {
    return maskSecretsIn(this.#maskLiterals(text)).replace(RUN, (run) => maskRun(run, this.known))
  }

  #maskLiterals(text: string): string {
    let out = text
    for (const literal of this.known.literals()) if (out.includes(literal)) out = out.replaceAll(literal, maskSecret(literal))
    return out
  }

  /** A deep copy of a parsed body or query with every secret masked, by name and by value. */
  value(value: unknown, name: string | null = null, depth = 0): unknown {
    if (typeof value === 'string') return this.text(maskString(name, value))
    if (value === null || typeof value !== 'object') return value
    if (depth >= MAX_DEPTH) return '[deeper than the journal keeps]'
    if (Array.isArray(value)) return value.map((item) => this.value(item, name, depth + 1))
    // fromEntries defines each key as an own property, so a key named __proto__ stays a key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.value(item, key, depth + 1)]))
  }

  /** Headers with secrets masked, by name and by value. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, this.text(maskString(name, value))]))
  }
}
