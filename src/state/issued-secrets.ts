/**
 * The opaque secrets the mock has issued (codes, refresh tokens, sign-in CSRF tokens and
 * session ids), remembered so the journal and the logs can mask them wherever they turn up.
 * Remembering is one Set insert at issue time; the lookups happen only when the journal is
 * read or a log line is written. Bounded: past the capacity the oldest is forgotten.
 */
import { randomId } from '../crypto/jwt.js'

/** Secrets remembered at most; about 100 bytes each. */
export const ISSUED_SECRETS_CAPACITY = 50_000

export class IssuedSecrets {
  readonly #secrets = new Set<string>()
  /** How many remembered secrets have each length, so a scan tries only those lengths. */
  readonly #lengths = new Map<number, number>()

  constructor(readonly capacity = ISSUED_SECRETS_CAPACITY) {}

  /** A new opaque secret of `bytes` random bytes (base64url), remembered at once. */
  issue(bytes: number): string {
    const secret = randomId(bytes)
    this.remember(secret)
    return secret
  }

  remember(secret: string): void {
    if (this.#secrets.has(secret)) return
    if (this.#secrets.size >= this.capacity) this.#forgetOldest()
    this.#secrets.add(secret)
    this.#lengths.set(secret.length, (this.#lengths.get(secret.length) ?? 0) + 1)
  }

  has(candidate: string): boolean {
    return this.#secrets.has(candidate)
  }

  /** The distinct lengths of the remembered secrets. */
  lengths(): number[] {
    return [...this.#lengths.keys()]
  }

  get size(): number {
    return this.#secrets.size
  }

  #forgetOldest(): void {
    const oldest = this.#secrets.values().next()
    if (oldest.done === true) return
    this.#secrets.delete(oldest.value)
    const count = (this.#lengths.get(oldest.value.length) ?? 1) - 1
    if (count === 0) this.#lengths.delete(oldest.value.length)
    else this.#lengths.set(oldest.value.length, count)
  }
}
