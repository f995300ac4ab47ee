/**
 * Token verification for the cases: a token's signature against a JWKS (ES256), and its time
 * claims at a given moment, with a JWKS kept per origin for the run.
 */
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'

export interface TokenCheck {
  /** Signature (ES256, the JWKS), and `exp`/`nbf` at the mock-clock time of the answer. */
  valid: boolean
  /** The signature verifies but the token had expired at that time. */
  expired: boolean
  /** The decoded claims, also when the token does not verify; null when it is not a JWT. */
  claims: JWTPayload | null
  problem: string | null
}

export class TokenVerifier {
  readonly #jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

  /** Verify a token with jose against `origin`'s /.well-known/jwks.json, at `at`. */
  async verify(origin: string, token: string, at?: Date): Promise<TokenCheck> {
    let claims: JWTPayload
    try {
      claims = decodeJwt(token)
    } catch {
      return { valid: false, expired: false, claims: null, problem: 'the token is not a JWT' }
    }
    let jwks = this.#jwks.get(origin)
    if (jwks === undefined) {
      // `origin` may carry a path (a mock tenant's /t/{name}), which the JWKS URL keeps.
      jwks = createRemoteJWKSet(new URL(`${origin.replace(/\/+$/, '')}/.well-known/jwks.json`))
      this.#jwks.set(origin, jwks)
    }
    try {
      await jwtVerify(token, jwks, { algorithms: ['ES256'], ...(at !== undefined && { currentDate: at }) })
      return { valid: true, expired: false, claims, problem: null }
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired
      const problem = expired
        ? `the token expired at ${new Date((claims.exp ?? 0) * 1000).toISOString()}, before ${at?.toISOString() ?? 'now'}`
        : error instanceof joseErrors.JWSSignatureVerificationFailed
          ? `the signature does not verify against ${origin}/.well-known/jwks.json`
          : `the token does not verify: ${(error as Error).message}`
      return { valid: false, expired, claims, problem }
    }
  }
}
