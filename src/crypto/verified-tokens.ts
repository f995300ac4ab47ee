/**
 * Verified JWTs, remembered: a token's signature never changes, so a resource call that
 * presents the same token again skips the ES256 verification (the dearest step of /v5/me).
 * Expiry is still judged on every call against the mock clock, and revocation by the caller.
 * Bounded, oldest first out, so a load test cannot grow it without limit.
 */
import { verifyJwt, type VerifyResult } from './jwt.js'
import type { SigningKey } from './keys.js'

type Claims = Extract<VerifyResult, { ok: true }>['claims']

export class VerifiedTokens {
  readonly #remembered = new Map<string, Claims>()

  constructor(
    private readonly key: SigningKey,
    readonly capacity = 1000,
  ) {}

  async verify(token: string, nowSeconds: number, issuer: string): Promise<VerifyResult> {
    const cacheKey = `${issuer} ${token}`
    const known = this.#remembered.get(cacheKey)
    if (known !== undefined) return known.exp > nowSeconds ? { ok: true, claims: known } : { ok: false, reason: 'expired' }
    const result = await verifyJwt(this.key, token, nowSeconds, issuer)
    if (result.ok) {
      if (this.#remembered.size >= this.capacity) this.#remembered.delete(this.#remembered.keys().next().value!)
      this.#remembered.set(cacheKey, result.claims)
    }
    return result
  }

  get size(): number {
    return this.#remembered.size
  }

  clear(): void {
    this.#remembered.clear()
  }
}
