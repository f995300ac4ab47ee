/**
 * The life of an authorization code and of what it grants, in one place:
 * issued → redeemed once → (a replay revokes everything issued from the first redemption).
 * Every step that decides a code's fate is synchronous, so two concurrent exchanges of one code
 * can never both succeed: Node runs each to completion before the other starts.
 * Expired codes, dead refresh tokens and spent grants are swept as the mock clock passes them.
 * @see whop-auth-reference §6 items 1-3, 10-12
 */
import { randomId } from '../crypto/jwt.js'
import type { MockClock } from './clock.js'
import type { Flow } from '../eras.js'

/** Codes expire 300 s after issue [D S2]. */
export const CODE_TTL_MS = 300_000
/** Mock choice: refresh tokens live 30 days (Whop documents no lifetime). */
export const REFRESH_TTL_MS = 30 * 24 * 3600_000
/** Unredeemed codes are kept this long past expiry, so a late exchange hears "expired" rather than "unknown". */
const EXPIRED_CODE_GRACE_MS = 300_000
const SWEEP_EVERY_MS = 30_000
/**
 * Mock limit: at most this many codes and this many grants are remembered; beyond it the oldest
 * is forgotten first (its tokens then stop working, as if revoked). No test suite holds that
 * many sign-ins at once; a load test that does keeps a bounded memory.
 */
export const STORE_CAPACITY = 5000

export type { Flow } from '../eras.js'

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
  companyId: string | null
  codeChallenge: string | null
  nonce: string | null
}

export interface CodeRecord extends CodeBinding {
  code: string
  expiresAtMs: number
  /** Set by the first redemption. */
  grantId: string | null
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

interface RefreshRecord {
  token: string
  grantId: string
  expiresAtMs: number
}

export type CodeLookup =
  | { kind: 'unknown' }
  | { kind: 'expired'; record: CodeRecord }
  | { kind: 'replayed'; record: CodeRecord }
  | { kind: 'fresh'; record: CodeRecord }

export type RefreshLookup = { kind: 'invalid' } | { kind: 'live'; grant: Grant; record: RefreshRecord }

export class GrantStore {
  readonly #codes = new Map<string, CodeRecord>()
  readonly #grants = new Map<string, Grant>()
  readonly #refresh = new Map<string, RefreshRecord>()
  #nextSweepMs = 0

  constructor(private readonly clock: MockClock) {}

  issueCode(binding: CodeBinding): CodeRecord {
    const now = this.#tick()
    const record: CodeRecord = { ...binding, code: randomId(24), expiresAtMs: now + CODE_TTL_MS, grantId: null }
    if (this.#codes.size >= STORE_CAPACITY) this.#codes.delete(this.#codes.keys().next().value!)
    this.#codes.set(record.code, record)
    return record
  }

  /** Classify a code without changing anything. */
  lookupCode(code: string): CodeLookup {
    const record = this.#codes.get(code)
    if (record === undefined) return { kind: 'unknown' }
    if (record.grantId !== null) return { kind: 'replayed', record }
    if (record.expiresAtMs <= this.clock.nowMs()) return { kind: 'expired', record }
    return { kind: 'fresh', record }
  }

  /**
   * Redeem a fresh code: it is spent from now on, and a grant stands for what it gave.
   * The access token's expiry is recorded here, before anything can sweep the new grant.
   */
  redeem(record: CodeRecord, accessExpiresAtMs: number): Grant {
    if (record.grantId !== null) throw new Error('redeem() on a spent code: lookupCode() must be checked first')
    const grant: Grant = {
      id: randomId(16),
      code: record.code,
      flow: record.flow,
      clientId: record.clientId,
      userId: record.userId,
      scope: record.scope,
      companyId: record.companyId,
      nonce: record.nonce,
      revoked: false,
      lastAccessExpiryMs: accessExpiresAtMs,
      refreshToken: null,
    }
    record.grantId = grant.id
    if (this.#grants.size >= STORE_CAPACITY) this.#forget(this.#grants.values().next().value!)
    this.#grants.set(grant.id, grant)
    return grant
  }

  /** Drop a grant and everything that refers to it. */
  #forget(grant: Grant): void {
    this.#grants.delete(grant.id)
    this.#codes.delete(grant.code)
    if (grant.refreshToken !== null) this.#refresh.delete(grant.refreshToken)
  }

  /**
   * A spent code came back: revoke every token issued from its first redemption [D S2].
   * @see whop-auth-reference §6 item 2
   */
  revokeReplayed(record: CodeRecord): void {
    if (record.grantId !== null) this.revokeGrant(record.grantId)
  }

  revokeGrant(grantId: string): void {
    const grant = this.#grants.get(grantId)
    if (grant === undefined) return
    grant.revoked = true
    if (grant.refreshToken !== null) this.#refresh.delete(grant.refreshToken)
    grant.refreshToken = null
  }

  /** Whether access tokens of this grant are still honoured (not revoked, not swept). */
  isGrantActive(grantId: string): boolean {
    const grant = this.#grants.get(grantId)
    return grant !== undefined && !grant.revoked
  }

  grant(grantId: string): Grant | undefined {
    return this.#grants.get(grantId)
  }

  issueRefreshToken(grant: Grant): string {
    const now = this.#tick()
    const record: RefreshRecord = { token: randomId(32), grantId: grant.id, expiresAtMs: now + REFRESH_TTL_MS }
    if (grant.refreshToken !== null) this.#refresh.delete(grant.refreshToken)
    grant.refreshToken = record.token
    this.#refresh.set(record.token, record)
    return record.token
  }

  lookupRefreshToken(token: string): RefreshLookup {
    const record = this.#refresh.get(token)
    if (record === undefined || record.expiresAtMs <= this.clock.nowMs()) return { kind: 'invalid' }
    const grant = this.#grants.get(record.grantId)
    if (grant === undefined || grant.revoked) return { kind: 'invalid' }
    return { kind: 'live', grant, record }
  }

  /** Rotation: the old refresh token dies at once and a new one is issued [D D-OAUTH]. */
  rotateRefreshToken(live: Extract<RefreshLookup, { kind: 'live' }>, accessExpiresAtMs: number): string {
    live.grant.lastAccessExpiryMs = Math.max(live.grant.lastAccessExpiryMs, accessExpiresAtMs)
    return this.issueRefreshToken(live.grant)
  }

  /** Revocation: the refresh token dies at once; access tokens live until they expire [D D-OAUTH]. */
  deleteRefreshToken(token: string): void {
    const record = this.#refresh.get(token)
    if (record === undefined) return
    this.#refresh.delete(token)
    const grant = this.#grants.get(record.grantId)
    if (grant?.refreshToken === token) grant.refreshToken = null
  }

  /** The client a refresh token was issued to, or null when it is not a live refresh token. */
  refreshTokenClient(token: string): string | null {
    const live = this.lookupRefreshToken(token)
    return live.kind === 'live' ? live.grant.clientId : null
  }

  /** Counts for the soak benchmark and tests of the sweep. */
  size(): { codes: number; grants: number; refreshTokens: number } {
    return { codes: this.#codes.size, grants: this.#grants.size, refreshTokens: this.#refresh.size }
  }

  clear(): void {
    this.#codes.clear()
    this.#grants.clear()
    this.#refresh.clear()
    this.#nextSweepMs = 0
  }

  /** Drop what the clock has passed: unredeemed codes past their grace, dead refresh tokens, spent grants. */
  sweep(): void {
    const now = this.clock.nowMs()
    for (const [token, record] of this.#refresh) if (record.expiresAtMs <= now) this.deleteRefreshToken(token)
    for (const grant of this.#grants.values()) {
      if (grant.refreshToken === null && grant.lastAccessExpiryMs <= now) this.#forget(grant)
    }
    for (const [code, record] of this.#codes) {
      if (record.grantId === null && record.expiresAtMs + EXPIRED_CODE_GRACE_MS <= now) this.#codes.delete(code)
    }
    this.#nextSweepMs = now + SWEEP_EVERY_MS
  }

  /** Sweep at most every 30 s of mock time, on the way through a write. */
  #tick(): number {
    const now = this.clock.nowMs()
    if (now >= this.#nextSweepMs) this.sweep()
    return now
  }
}
