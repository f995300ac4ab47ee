/**
 * Signing and verifying the mock's JWTs. Time is an argument: callers pass the mock clock's
 * `now`, so expiry follows the clock the tests move.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose'
import type { SigningKey } from './keys.js'

/**
 * What a mock JWT is for, in its `token_use` claim, so a token is only accepted where it belongs
 * (an id_token is never a Bearer credential). Embedded-app user tokens are told apart by `iss`.
 */
export type TokenUse = 'access_token' | 'oauth_access_token' | 'id_token'

/** `iss` of embedded-app user tokens (x-whop-user-token) [D OLD/NEW verify-user-token.ts]. */
export const APP_USER_TOKEN_ISSUER = 'urn:whopcom:exp-proxy'

export interface TokenClaims extends JWTPayload {
  iss: string
  sub: string
}

/** A random id for `jti`, opaque codes and refresh tokens: base64url of `bytes` random bytes. */
export function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}

export interface SignOptions {
  /** Seconds since the epoch, from the mock clock. */
  issuedAt: number
  /** Seconds since the epoch. */
  expiresAt: number
  audience?: string
  jti?: string
}

export async function signJwt(key: SigningKey, claims: TokenClaims, options: SignOptions): Promise<string> {
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresAt)
    .setJti(options.jti ?? randomId(16))
  if (options.audience !== undefined) jwt.setAudience(options.audience)
  return jwt.sign(key.privateKey)
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims & { jti: string; exp: number; iat: number } }
  | { ok: false; reason: 'malformed' | 'expired' | 'signature' }

/** Verify a token the mock signed, against the mock clock. Never throws. */
export async function verifyJwt(key: SigningKey, token: string, nowSeconds: number, issuer?: string): Promise<VerifyResult> {
  if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' }
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      currentDate: new Date(nowSeconds * 1000),
      ...(issuer === undefined ? {} : { issuer }),
    })
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      return { ok: false, reason: 'malformed' }
    }
    return { ok: true, claims: payload as TokenClaims & { jti: string; exp: number; iat: number } }
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' }
    return { ok: false, reason: 'malformed' }
  }
}
