/**
 * The grant store's vocabulary: what a code is bound to, what a redemption grants, and the plain
 * data each atomic operation takes and returns. Plain data on purpose: a shared store (a Redis
 * script, a database transaction) can implement each operation as one step with the same shapes.
 */
import type { Flow } from '../eras.js'
import type { Code, Grant as StateGrant, RefreshToken } from '../generated/state.js'

export type { Flow }

/** Everything a code is bound to at authorize time. */
export interface CodeBinding {
  flow: Flow
  clientId: string
  redirectUri: string
  /**
   * False when the legacy page defaulted redirect_uri to the registered one [D S2]: only then may
   * the token request leave it out (RFC 6749 §4.1.3). Absent means given.
   */
  redirectUriGiven?: boolean
  userId: string
  /** The scope string as requested (echoed by v3), and its parts. */
  scope: string
  scopes: readonly string[]
  companyId: string | null
  codeChallenge: string | null
  nonce: string | null
}

/** What one redemption granted: every token issued from it carries the grant's id. */
export interface Grant extends Omit<CodeBinding, 'redirectUri' | 'redirectUriGiven' | 'codeChallenge'> {
  id: string
  code: string
  revoked: boolean
  /** The latest `exp` (ms) of any access token issued under this grant. */
  lastAccessExpiryMs: number
  /** The one live refresh token of this grant: rotation replaces it. */
  refreshToken: string | null
}

/** What the token request brought for PKCE: no verifier, something that is not a verifier, or a verifier's S256 hash. */
export type VerifierEvidence = { kind: 'absent' } | { kind: 'malformed' } | { kind: 'hashed'; s256: string }

/** A code exchange: the code and every input its checks need. */
export interface RedeemCodeRequest {
  code: string
  clientId: string
  /** The flow the token endpoint serves. */
  flow: Flow
  /** redirect_uri as sent, or null when the request left it out. */
  redirectUri: string | null
  /** Null when the endpoint does not check PKCE (its era has none). */
  pkce: VerifierEvidence | null
  /** Whether the endpoint hands out a refresh token with the grant. */
  issueRefreshToken: boolean
  nowMs: number
  accessExpiresAtMs: number
}

/**
 * Why a code was refused, in the order the checks run. `replayed` has already revoked every token
 * of the code's first redemption [D S2].
 */
export type CodeRefusal =
  'unknown' | 'wrong_client' | 'replayed' | 'expired' | 'wrong_flow' | 'redirect_mismatch' | 'verifier_missing' | 'verifier_mismatch'

export type RedeemCodeResult = { ok: true; grant: Readonly<Grant>; refreshToken: string | null } | { ok: false; refusal: CodeRefusal }

/** A refresh: the token and every input its checks need. */
export interface RotateRefreshTokenRequest {
  token: string
  clientId: string
  flow: Flow
  /** Set when the era requires company_id again on refresh: the value sent (null when none). */
  stickyCompanyId: { given: string | null } | null
  /** The scopes asked for, or null to keep the granted ones. */
  requestedScopes: readonly string[] | null
  /** Whether presenting a rotated-out token revokes its grant (the setting `revoke_grant_on_refresh_reuse`). */
  reuseRevokesGrant: boolean
  nowMs: number
  accessExpiresAtMs: number
}

/** `reused`: a token rotation had replaced; when the request said so, its grant is revoked already. */
export type RefreshRefusal =
  | { refusal: 'invalid' | 'reused' | 'wrong_client' | 'wrong_flow' | 'scope_exceeded' }
  | { refusal: 'company_mismatch'; grantedCompanyId: string | null }

export type RotateRefreshTokenResult = { ok: true; grant: Readonly<Grant>; refreshToken: string } | ({ ok: false } & RefreshRefusal)

/** A revocation request (RFC 7009): only the client a refresh token was issued to may revoke it. */
export interface RevokeRefreshTokenRequest {
  token: string
  clientId: string
  nowMs: number
}

export interface RefreshRecord {
  token: string
  grantId: string
  expiresAtMs: number
}

/** The store's records as plain data, in the state document's shapes (spec/state.schema.json). */
export interface GrantSnapshot {
  codes: Code[]
  grants: StateGrant[]
  refreshTokens: RefreshToken[]
}

/** A code as the store keeps it. */
export interface CodeRecord extends CodeBinding {
  code: string
  expiresAtMs: number
  /** Set by the first redemption. */
  grantId: string | null
}
