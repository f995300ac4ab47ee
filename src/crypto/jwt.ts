/**
 * Signing and verifying the mock's JWTs. Time is an argument: callers pass the mock clock's
 * `now`, so expiry follows the clock the tests move.
 */
import { randomBytes, sign } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { SigningKey } from './keys.js'

/**
 * What a mock JWT is for, in its `token_use` claim, so a token is only accepted where it belongs
 * (an id_token is never a Bearer credential). Embedded-app user tokens are told apart by `iss`.
 */
export type TokenUse = 'access_token' | 'oauth_access_token' | 'id_token'

/** `iss` of embedded-app user tokens (x-whop-user-token) [D OLD/NEW verify-user-token.ts]. */
export const APP_USER_TOKEN_ISSUER = 'urn:whopcom:exp-proxy'

/** Mock choice: the private claim naming the tenant that minted an embedded-app user token (absent: the default tenant). */
export const TENANT_CLAIM = 'whop_mock_tenant'

export interface TokenClaims extends JWTPayload {
  iss: string
  sub: string
}

/**
 * Random bytes drawn from the CSPRNG a few KiB at a time, each byte handed out once, as Node's
 * own randomUUID() does: one randomBytes() call per id cost more than the rest of an authorize
 * request (a seventh of a round trip's event-loop time in the profile).
 */
const ENTROPY_POOL_BYTES = 4096
let entropy = Buffer.alloc(0)
let entropyOffset = 0

/** An opaque random id for codes, refresh tokens and sessions: base64url of `bytes` random bytes. */
export function randomId(bytes = 24): string {
  if (bytes > ENTROPY_POOL_BYTES) return randomBytes(bytes).toString('base64url')
  if (entropyOffset + bytes > entropy.length) {
    entropy = randomBytes(ENTROPY_POOL_BYTES)
    entropyOffset = 0
  }
  const id = entropy.toString('base64url', entropyOffset, entropyOffset + bytes)
  entropyOffset += bytes
  return id
}

/**
 * A `jti`: unique, not secret (RFC 7519 §4.1.7). A random per-process prefix and a counter cost
 * nothing per token, where random bytes showed up as a tenth of a mint's time. Codes and
 * refresh tokens, which are secrets, keep randomId().
 */
const JTI_PREFIX = randomId(9)
let jtiCounter = 0
export function nextJti(): string {
  jtiCounter += 1
  return `${JTI_PREFIX}${jtiCounter.toString(36)}`
}

export interface SignOptions {
  /** Seconds since the epoch, from the mock clock. */
  issuedAt: number
  /** Seconds since the epoch. */
  expiresAt: number
  audience?: string
  jti?: string
}

const base64url = (text: string) => Buffer.from(text).toString('base64url')

function checkNumericDate(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`${name} must be a finite number of seconds, got ${value}`)
  return value
}

/**
 * An ES256 JWS in compact serialization (RFC 7515 §7.1): the same header, claims and claim
 * order jose's SignJWT produces (claims, then iat, exp, jti, aud); the signature is the raw r‖s
 * pair JWA requires (RFC 7518 §3.4). node:crypto signs on the libuv thread pool (the callback
 * form), off the event loop; src/cli/main.cts says why serve gives that pool one thread.
 */
export async function signJwt(key: SigningKey, claims: TokenClaims, options: SignOptions): Promise<string> {
  const payload: JWTPayload = {
    ...claims,
    iat: checkNumericDate('issuedAt', options.issuedAt),
    exp: checkNumericDate('expiresAt', options.expiresAt),
    jti: options.jti ?? nextJti(),
  }
  if (options.audience !== undefined) payload.aud = options.audience
  const signingInput = `${key.jwsHeader}.${base64url(JSON.stringify(payload))}`
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }, (error, result) =>
      error === null ? resolve(result) : reject(error),
    ),
  )
  return `${signingInput}.${signature.toString('base64url')}`
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims & { jti: string; exp: number; iat: number } }
  | { ok: false; reason: 'malformed' | 'expired' | 'signature' }

/** Verify a token the mock signed, against the mock clock. Never throws. */
export async function verifyJwt(key: SigningKey, token: string, nowSeconds: number, issuer?: string): Promise<VerifyResult> {
  if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' }
  // jose loads on the first verification: most starts never verify a token.
  const { jwtVerify, errors: joseErrors } = await import('jose')
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
