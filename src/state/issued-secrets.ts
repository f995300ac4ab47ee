/**
 * The opaque secrets the mock has issued (codes, refresh tokens, sign-in CSRF tokens and
 * session ids) and the fixtures' keys, remembered so the journal and the logs can mask them
 * wherever they turn up. Remembering is one insert at issue time; the lookups happen only when
 * the journal is read or a log line is written. Bounded: past the capacity the oldest is forgotten.
 *
 * Only a 32-bit fingerprint of each secret is kept, in typed arrays: a remembered secret costs
 * about 12 bytes instead of its string and a hash-table entry (about 100 bytes), and the
 * strings of expired codes and sessions are left to the garbage collector. A fingerprint can
 * collide: then a string of the same length that was never issued is masked too (about one
 * lookup in 2^32 / capacity), which errs on the safe side.
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

/** The smallest power of two at least twice `n`: the table stays at most half full. */
const tableSizeFor = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n) * 2))

export class IssuedSecrets {
  /** Open addressing with linear probing; 0 is empty. */
  readonly #table: Uint32Array
  readonly #mask: number
  /** Fingerprints in the order they were remembered, as a ring, for forgetting the oldest. */
  readonly #order: Uint32Array
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
    this.#mask = this.#table.length - 1
    this.#order = new Uint32Array(capacity)
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
    const print = fingerprint(secret)
    if (this.#slotOf(print) >= 0) return
    if (this.#size === this.capacity) this.#forgetOldest()
    this.#insert(print)
    const at = (this.#oldest + this.#size) % this.capacity
    const length = Math.min(secret.length, 0xffff)
    this.#order[at] = print
    this.#lengthOf[at] = length
    this.#lengths.set(length, (this.#lengths.get(length) ?? 0) + 1)
    this.#size++
  }

  has(candidate: string): boolean {
    return this.#lengths.has(candidate.length) && this.#slotOf(fingerprint(candidate)) >= 0
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

  #slotOf(print: number): number {
    for (let slot = print & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const held = this.#table[slot]
      if (held === print) return slot
      if (held === 0) return -1
    }
  }

  #insert(print: number): void {
    let slot = print & this.#mask
    while (this.#table[slot] !== 0) slot = (slot + 1) & this.#mask
    this.#table[slot] = print
  }

  /** Linear-probing deletion: later entries of the run move back so no lookup stops early. */
  #delete(print: number): void {
    let hole = this.#slotOf(print)
    if (hole < 0) return
    this.#table[hole] = 0
    const distance = (from: number, to: number) => (to - from) & this.#mask
    for (let slot = (hole + 1) & this.#mask; this.#table[slot] !== 0; slot = (slot + 1) & this.#mask) {
      const held = this.#table[slot] ?? 0
      // An entry moves back into the hole when the hole lies between its home slot and where it is.
      if (distance(held & this.#mask, hole) < distance(held & this.#mask, slot)) {
        this.#table[hole] = held
        this.#table[slot] = 0
        hole = slot
      }
    }
  }

  #forgetOldest(): void {
    const oldest = this.#oldest
    this.#delete(this.#order[oldest] ?? 0)
    this.#oldest = (oldest + 1) % this.capacity
    const length = this.#lengthOf[oldest] ?? 0
    const count = (this.#lengths.get(length) ?? 1) - 1
    if (count === 0) this.#lengths.delete(length)
    else this.#lengths.set(length, count)
    this.#size--
  }
}
