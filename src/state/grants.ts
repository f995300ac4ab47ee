/**
 * The life of an authorization code and of what it grants, in one place:
 * issued → redeemed once → (a replay revokes everything issued from the first redemption).
 * Each operation looks up, checks and changes in one call that returns plain data: nothing can
 * run between a check and what it decides, and a shared store could do each as one transaction.
 * Expired codes, dead refresh tokens and spent grants are swept as the mock clock passes them.
 * @see docs/whop-reference.md §6 items 1-3, 10-12
 */
import { randomId } from '../crypto/jwt.js'
import { IssuedSecrets } from './issued-secrets.js'
import { dropOldestAt } from './bounded.js'
import type { MockClock } from './clock.js'
import { bindingRefusal } from './code-checks.js'
import type {
  CodeBinding,
  CodeRecord,
  Grant,
  RedeemCodeRequest,
  RedeemCodeResult,
  RevokeRefreshTokenRequest,
  RotateRefreshTokenRequest,
  RotateRefreshTokenResult,
  GrantSnapshot,
  RefreshRecord,
} from './grant-operations.js'

export type * from './grant-operations.js'

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

export class GrantStore {
  readonly #codes = new Map<string, CodeRecord>()
  readonly #grants = new Map<string, Grant>()
  readonly #refresh = new Map<string, RefreshRecord>()
  /** Refresh tokens rotation replaced, kept until they would have expired: their reuse is a replay. */
  readonly #retired = new Map<string, RefreshRecord>()
  #nextSweepMs = 0

  constructor(
    private readonly clock: MockClock,
    private readonly secrets = new IssuedSecrets(),
    /** Codes, grants and refresh tokens kept, each kind; the oldest go first. */
    readonly capacity = STORE_CAPACITY,
  ) {}

  /** A new code bound to what the authorize request settled; returns the code. */
  issueCode(binding: CodeBinding): string {
    const now = this.#tick()
    const record: CodeRecord = { ...binding, code: this.secrets.issue(24), expiresAtMs: now + CODE_TTL_MS, grantId: null }
    dropOldestAt(this.#codes, this.capacity)
    this.#codes.set(record.code, record)
    return record.code
  }

  /**
   * Exchange a code: check it against everything it is bound to and, when all holds, spend it and
   * grant (with a refresh token if asked). A spent code that comes back revokes its grant [D S2].
   * @see docs/whop-reference.md §6 items 1-4, 6
   */
  redeemCode(request: RedeemCodeRequest): RedeemCodeResult {
    const record = this.#codes.get(request.code)
    if (record === undefined) return { ok: false, refusal: 'unknown' }
    if (record.clientId !== request.clientId) return { ok: false, refusal: 'wrong_client' }
    if (record.grantId !== null) {
      this.revokeGrant(record.grantId)
      return { ok: false, refusal: 'replayed' }
    }
    const refusal = bindingRefusal(record, request)
    if (refusal !== null) return { ok: false, refusal }
    const grant = this.#grant(record, request.accessExpiresAtMs)
    const refreshToken = request.issueRefreshToken ? this.#issueRefreshToken(grant) : null
    return { ok: true, grant: { ...grant }, refreshToken }
  }

  /**
   * Refresh: check the token and what the era demands with it, then rotate it — the old token
   * dies at once and a new one is issued [D D-OAUTH].
   * @see docs/whop-reference.md §6 items 10, 11
   */
  rotateRefreshToken(request: RotateRefreshTokenRequest): RotateRefreshTokenResult {
    const retired = this.#retired.get(request.token)
    if (retired !== undefined && retired.expiresAtMs > request.nowMs) {
      // RFC 9700 §4.14.2: a rotated-out token presented again means two parties hold the grant.
      if (request.reuseRevokesGrant) this.revokeGrant(retired.grantId)
      return { ok: false, refusal: 'reused' }
    }
    const grant = this.#liveGrantOf(request.token, request.nowMs)
    if (grant === undefined) return { ok: false, refusal: 'invalid' }
    if (grant.clientId !== request.clientId) return { ok: false, refusal: 'wrong_client' }
    // As with codes: a refresh token is redeemed only where its flow's tokens come from.
    if (grant.flow !== request.flow) return { ok: false, refusal: 'wrong_flow' }
    if (request.stickyCompanyId !== null && request.stickyCompanyId.given !== grant.companyId) {
      return { ok: false, refusal: 'company_mismatch', grantedCompanyId: grant.companyId }
    }
    if (request.requestedScopes !== null && !request.requestedScopes.every((s) => grant.scopes.includes(s))) {
      return { ok: false, refusal: 'scope_exceeded' }
    }
    grant.lastAccessExpiryMs = Math.max(grant.lastAccessExpiryMs, request.accessExpiresAtMs)
    const refreshToken = this.#issueRefreshToken(grant)
    return { ok: true, grant: { ...grant }, refreshToken }
  }

  /**
   * Revocation: a live refresh token dies at once when its own client asks; access tokens live
   * until they expire [D D-OAUTH]. Anything else changes nothing (RFC 7009 §2.2).
   */
  revokeRefreshToken(request: RevokeRefreshTokenRequest): { revoked: boolean } {
    const grant = this.#liveGrantOf(request.token, request.nowMs)
    if (grant === undefined || grant.clientId !== request.clientId) return { revoked: false }
    this.#dropRefreshToken(request.token)
    return { revoked: true }
  }

  /**
   * Revoke a grant: its refresh token dies and its access tokens (and the v1 tokens minted with
   * them, which carry the grant's id) are no longer honoured.
   */
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

  /** Counts for the soak benchmark and tests of the sweep. */
  size(): { codes: number; grants: number; refreshTokens: number } {
    return { codes: this.#codes.size, grants: this.#grants.size, refreshTokens: this.#refresh.size }
  }

  clear(): void {
    this.#codes.clear()
    this.#grants.clear()
    this.#refresh.clear()
    this.#retired.clear()
    this.#nextSweepMs = 0
  }

  /** Everything the store holds, as plain data (copies), for export. */
  snapshot(): GrantSnapshot {
    return {
      codes: [...this.#codes.values()].map((r) => ({ ...r, scopes: [...r.scopes] })),
      grants: [...this.#grants.values()].map((g) => ({ ...g, scopes: [...g.scopes] })),
      refreshTokens: [...this.#refresh.values()].map((r) => ({ ...r })),
    }
  }

  /** Replace everything with a snapshot's records (bounded by the snapshot's own limits). */
  restore(snapshot: GrantSnapshot): void {
    this.clear()
    for (const r of snapshot.codes) this.#codes.set(r.code, { ...r, scopes: [...r.scopes] })
    for (const g of snapshot.grants) this.#grants.set(g.id, { ...g, scopes: [...g.scopes] })
    for (const r of snapshot.refreshTokens) this.#refresh.set(r.token, { ...r })
    // Imported codes and tokens are secrets the mock now holds: masked by value like issued ones.
    for (const code of this.#codes.keys()) this.secrets.remember(code)
    for (const token of this.#refresh.keys()) this.secrets.remember(token)
  }

  /** Drop what the clock has passed: unredeemed codes past their grace, dead refresh tokens, spent grants. */
  sweep(): void {
    const now = this.clock.nowMs()
    for (const [token, record] of this.#refresh) if (record.expiresAtMs <= now) this.#dropRefreshToken(token)
    for (const [token, record] of this.#retired) if (record.expiresAtMs <= now) this.#retired.delete(token)
    for (const grant of this.#grants.values()) {
      if (grant.refreshToken === null && grant.lastAccessExpiryMs <= now) this.#forget(grant)
    }
    for (const [code, record] of this.#codes) {
      if (record.grantId === null && record.expiresAtMs + EXPIRED_CODE_GRACE_MS <= now) this.#codes.delete(code)
    }
    this.#nextSweepMs = now + SWEEP_EVERY_MS
  }

  /** Spend a code: a grant stands for what it gave. The access expiry is recorded before anything can sweep it. */
  #grant(record: CodeRecord, accessExpiresAtMs: number): Grant {
    const grant: Grant = {
      id: randomId(16),
      code: record.code,
      flow: record.flow,
      clientId: record.clientId,
      userId: record.userId,
      scope: record.scope,
      scopes: record.scopes,
      companyId: record.companyId,
      nonce: record.nonce,
      revoked: false,
      lastAccessExpiryMs: accessExpiresAtMs,
      refreshToken: null,
    }
    record.grantId = grant.id
    const forgotten = dropOldestAt(this.#grants, this.capacity)
    if (forgotten !== undefined) this.#forget(forgotten)
    this.#grants.set(grant.id, grant)
    return grant
  }

  /** The grant of a live refresh token (not expired, grant not revoked), or undefined. */
  #liveGrantOf(token: string, nowMs: number): Grant | undefined {
    const record = this.#refresh.get(token)
    if (record === undefined || record.expiresAtMs <= nowMs) return undefined
    const grant = this.#grants.get(record.grantId)
    return grant === undefined || grant.revoked ? undefined : grant
  }

  /** The grant's one live refresh token from now on: any earlier one dies. */
  #issueRefreshToken(grant: Grant): string {
    const now = this.#tick()
    const record: RefreshRecord = { token: this.secrets.issue(32), grantId: grant.id, expiresAtMs: now + REFRESH_TTL_MS }
    const previous = grant.refreshToken === null ? undefined : this.#refresh.get(grant.refreshToken)
    if (previous !== undefined) {
      this.#refresh.delete(previous.token)
      dropOldestAt(this.#retired, this.capacity)
      this.#retired.set(previous.token, previous)
    }
    grant.refreshToken = record.token
    this.#refresh.set(record.token, record)
    return record.token
  }

  #dropRefreshToken(token: string): void {
    const record = this.#refresh.get(token)
    if (record === undefined) return
    this.#refresh.delete(token)
    const grant = this.#grants.get(record.grantId)
    if (grant?.refreshToken === token) grant.refreshToken = null
  }

  /** Drop a grant and everything that refers to it. */
  #forget(grant: Grant): void {
    this.#grants.delete(grant.id)
    this.#codes.delete(grant.code)
    if (grant.refreshToken !== null) this.#refresh.delete(grant.refreshToken)
  }

  /** Sweep at most every 30 s of mock time, on the way through a write. */
  #tick(): number {
    const now = this.clock.nowMs()
    if (now >= this.#nextSweepMs) this.sweep()
    return now
  }
}
