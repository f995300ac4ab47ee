/**
 * The opaque secrets the mock has issued (codes, refresh tokens, sign-in CSRF tokens and
 * session ids) and the fixtures' keys, remembered so the journal and the logs can mask them
 * wherever they turn up. Remembering is one insert at issue time; the lookups happen only when
 * the journal is read or a log line is written. Bounded: past the capacity the oldest is forgotten.
 *
 * Only two 32-bit fingerprints of each secret are kept, in typed arrays: a remembered secret
 * costs about 20 bytes instead of its string and a hash-table entry (about 100 bytes), and the
 * strings of expired codes and sessions are left to the garbage collector. The table is keyed by
 * a polynomial (Rabin-Karp) fingerprint, which a scan can roll along a run of text to find a
 * secret anywhere inside it in one pass per secret length; an FNV-1a fingerprint confirms each
 * hit. Fingerprints can collide: then a string that was never issued is masked too (about one
 * lookup in 2^64 / capacity), which errs on the safe side.
 */
import { randomId } from '../crypto/jwt.js'

/** Secrets remembered at most. */
export const ISSUED_SECRETS_CAPACITY = 50_000
/**
 * Secrets with characters beyond base64url (a fixture's client secret, the control token) are
 * kept whole, since a scan for runs of token characters would never find them; at most this many.
 */
export const LITERAL_SECRETS_CAPACITY = 1000

/** What the mock's keys, codes and tokens are made of; a secret of other characters is kept whole. */
const TOKEN_CHARACTERS = /^[A-Za-z0-9_-]+$/

/** 32-bit FNV-1a of a string's UTF-16 code units, never 0 (0 marks an empty slot). */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0 || 1
}

/** The base of the rolling fingerprint (odd, so every power of it is odd and no character is lost mod 2^32). */
const BASE = 0x9e3779b1

/** The rolling fingerprint of a whole string: the same value a scan computes for that window of a longer run. */
function rollingPrint(text: string): number {
  let hash = 0
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0
  return hash || 1
}

/** BASE to the power `n`, mod 2^32. */
function basePower(n: number): number {
  let power = 1
  for (let i = 0; i < n; i++) power = Math.imul(power, BASE)
  return power >>> 0
}

/** Where a remembered secret stands inside a string. */
export interface SecretSpan {
  start: number
  length: number
}

/** The smallest power of two at least twice `n`: the table stays at most half full. */
const tableSizeFor = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n) * 2))

export class IssuedSecrets {
  /** Open addressing with linear probing on the rolling fingerprint; 0 is empty. */
  readonly #table: Uint32Array
  /** The FNV-1a fingerprint of the secret in the same slot, which confirms a rolling hit. */
  readonly #confirm: Uint32Array
  readonly #mask: number
  /** Fingerprints in the order they were remembered, as a ring, for forgetting the oldest. */
  readonly #order: Uint32Array
  readonly #orderConfirm: Uint32Array
  /** Where the oldest fingerprint is in the ring. */
  #oldest = 0
  #size = 0
  /** How many remembered secrets have each length, so a scan tries only those lengths. */
  readonly #lengths = new Map<number, number>()
  readonly #lengthOf: Uint16Array
  /** Secrets that are not runs of token characters, oldest first. */
  readonly #literals: string[] = []

  constructor(readonly capacity = ISSUED_SECRETS_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.#table = new Uint32Array(tableSizeFor(capacity))
    this.#confirm = new Uint32Array(this.#table.length)
    this.#mask = this.#table.length - 1
    this.#order = new Uint32Array(capacity)
    this.#orderConfirm = new Uint32Array(capacity)
    this.#lengthOf = new Uint16Array(capacity)
  }

  /** A new opaque secret of `bytes` random bytes (base64url), remembered at once. */
  issue(bytes: number): string {
    const secret = randomId(bytes)
    this.remember(secret)
    return secret
  }

  remember(secret: string): void {
    if (!TOKEN_CHARACTERS.test(secret)) return this.#rememberLiteral(secret)
    const print = rollingPrint(secret)
    const check = fingerprint(secret)
    if (this.#slotOf(print, check) >= 0) return
    if (this.#size === this.capacity) this.#forgetOldest()
    this.#insert(print, check)
    const at = (this.#oldest + this.#size) % this.capacity
    const length = Math.min(secret.length, 0xffff)
    this.#order[at] = print
    this.#orderConfirm[at] = check
    this.#lengthOf[at] = length
    this.#lengths.set(length, (this.#lengths.get(length) ?? 0) + 1)
    this.#size++
  }

  has(candidate: string): boolean {
    return this.#lengths.has(candidate.length) && this.#slotOf(rollingPrint(candidate), fingerprint(candidate)) >= 0
  }

  /**
   * Every remembered secret inside `run` (a run of token characters), leftmost first, longer
   * first where two start together, never overlapping: one rolling pass per remembered length.
   */
  spansIn(run: string): SecretSpan[] {
    const lengths = [...this.#lengths.keys()].filter((length) => length <= run.length)
    if (lengths.length === 0) return []
    const prefix = new Uint32Array(run.length + 1)
    for (let i = 0; i < run.length; i++) prefix[i + 1] = (Math.imul(prefix[i] ?? 0, BASE) + run.charCodeAt(i)) >>> 0
    const found: SecretSpan[] = []
    for (const length of lengths) {
      const power = basePower(length)
      for (let start = 0; start + length <= run.length; start++) {
        const print = ((prefix[start + length] ?? 0) - Math.imul(prefix[start] ?? 0, power)) >>> 0 || 1
        if (this.#holds(print) && this.#slotOf(print, fingerprint(run.slice(start, start + length))) >= 0) found.push({ start, length })
      }
    }
    found.sort((a, b) => a.start - b.start || b.length - a.length)
    const kept: SecretSpan[] = []
    let end = 0
    for (const span of found) {
      if (span.start < end) continue
      kept.push(span)
      end = span.start + span.length
    }
    return kept
  }

  /** Remembered secrets with characters beyond base64url, whole, to be found by a plain search. */
  literals(): readonly string[] {
    return this.#literals
  }

  #rememberLiteral(secret: string): void {
    if (secret === '' || this.#literals.includes(secret)) return
    if (this.#literals.length >= LITERAL_SECRETS_CAPACITY) this.#literals.shift()
    this.#literals.push(secret)
  }

  /** The distinct lengths of the remembered secrets. */
  lengths(): number[] {
    return [...this.#lengths.keys()]
  }

  get size(): number {
    return this.#size
  }

  /** Whether any entry has this rolling fingerprint (the cheap test before a confirmation). */
  #holds(print: number): boolean {
    for (let slot = print & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const held = this.#table[slot]
      if (held === print) return true
      if (held === 0) return false
    }
  }

  #slotOf(print: number, check: number): number {
    for (let slot = print & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const held = this.#table[slot]
      if (held === print && this.#confirm[slot] === check) return slot
      if (held === 0) return -1
    }
  }

  #insert(print: number, check: number): void {
    let slot = print & this.#mask
    while (this.#table[slot] !== 0) slot = (slot + 1) & this.#mask
    this.#table[slot] = print
    this.#confirm[slot] = check
  }

  /** Linear-probing deletion: later entries of the run move back so no lookup stops early. */
  #delete(print: number, check: number): void {
    let hole = this.#slotOf(print, check)
    if (hole < 0) return
    this.#table[hole] = 0
    this.#confirm[hole] = 0
    const distance = (from: number, to: number) => (to - from) & this.#mask
    for (let slot = (hole + 1) & this.#mask; this.#table[slot] !== 0; slot = (slot + 1) & this.#mask) {
      const held = this.#table[slot] ?? 0
      // An entry moves back into the hole when the hole lies between its home slot and where it is.
      if (distance(held & this.#mask, hole) < distance(held & this.#mask, slot)) {
        this.#table[hole] = held
        this.#confirm[hole] = this.#confirm[slot] ?? 0
        this.#table[slot] = 0
        this.#confirm[slot] = 0
        hole = slot
      }
    }
  }

  #forgetOldest(): void {
    const oldest = this.#oldest
    this.#delete(this.#order[oldest] ?? 0, this.#orderConfirm[oldest] ?? 0)
    this.#oldest = (oldest + 1) % this.capacity
    const length = this.#lengthOf[oldest] ?? 0
    const count = (this.#lengths.get(length) ?? 1) - 1
    if (count === 0) this.#lengths.delete(length)
    else this.#lengths.set(length, count)
    this.#size--
  }
}
