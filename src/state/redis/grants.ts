/**
 * The grant store in Redis: the same operations as GrantStore, each one Lua script (see
 * lua-grants.ts), so of concurrent exchanges at any number of replicas exactly one wins.
 * @see docs/whop-reference.md §6 items 1-3, 10-12
 */
import { randomId } from '../../crypto/jwt.js'
import type { IssuedSecrets } from '../issued-secrets.js'
import type { CodeRecord, GrantSnapshot, RefreshRecord } from '../grants.js'
import type {
  CodeBinding,
  CodeRefusal,
  Grant,
  RedeemCodeRequest,
  RedeemCodeResult,
  RevokeRefreshTokenRequest,
  RotateRefreshTokenRequest,
  RotateRefreshTokenResult,
} from '../grant-operations.js'
import type { MockClock } from '../clock.js'
import { CODE_TTL_MS, STORE_CAPACITY } from '../grants.js'
import type { GrantOperations } from '../store.js'
import type { RedisConnection } from './connection.js'
import { ISSUE_CODE, REDEEM_CODE, REVOKE_GRANT, REVOKE_REFRESH_TOKEN, ROTATE_REFRESH_TOKEN } from './lua-grants.js'
import { asList, parseRecord } from './records.js'

/** Lua's JSON writes an empty list as `{}`: lists are lists again here. */
function normalGrant(grant: Grant): Grant {
  return { ...grant, scopes: asList(grant.scopes) }
}

/** A grant kept as JSON text. */
function grantOf(value: unknown): Grant {
  return normalGrant(parseRecord<Grant>(value))
}

const CODE_REFUSALS: readonly CodeRefusal[] = [
  'unknown',
  'wrong_client',
  'replayed',
  'expired',
  'wrong_flow',
  'redirect_mismatch',
  'verifier_missing',
  'verifier_mismatch',
]
const REFRESH_REFUSALS = ['invalid', 'reused', 'wrong_client', 'wrong_flow', 'scope_exceeded'] as const

/** A refusal a script returned, checked against the ones the store knows. */
function known<T extends string>(list: readonly T[], value: unknown): T {
  const found = list.find((r) => r === value)
  if (found === undefined) throw new TypeError(`unknown refusal from Redis: ${String(value)}`)
  return found
}

type Outcome = { ok: true; grant: Grant; refreshToken: string | null } | ({ ok: false } & Record<string, unknown>)

function outcome(reply: unknown): Outcome {
  return parseRecord<Outcome>(reply)
}

export class RedisGrantStore implements GrantOperations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly clock: MockClock,
    private readonly secrets: IssuedSecrets,
    /** Codes, grants and retired refresh tokens the scripts keep per tenant (--max-grants), as in memory. */
    readonly capacity = STORE_CAPACITY,
  ) {}

  async issueCode(binding: CodeBinding): Promise<string> {
    const record: CodeRecord = { ...binding, code: this.secrets.issue(24), expiresAtMs: this.clock.nowMs() + CODE_TTL_MS, grantId: null }
    await this.redis.script(ISSUE_CODE, [this.prefix, this.capacity, JSON.stringify(record)])
    return record.code
  }

  async redeemCode(request: RedeemCodeRequest): Promise<RedeemCodeResult> {
    this.secrets.remember(request.code)
    const refreshToken = request.issueRefreshToken ? this.secrets.issue(32) : ''
    const result = outcome(
      await this.redis.script(REDEEM_CODE, [this.prefix, this.capacity, JSON.stringify(request), randomId(16), refreshToken]),
    )
    if (!result.ok) return { ok: false, refusal: known(CODE_REFUSALS, result.refusal) }
    return { ok: true, grant: normalGrant(result.grant), refreshToken: result.refreshToken }
  }

  async rotateRefreshToken(request: RotateRefreshTokenRequest): Promise<RotateRefreshTokenResult> {
    this.secrets.remember(request.token)
    const result = outcome(
      await this.redis.script(ROTATE_REFRESH_TOKEN, [this.prefix, this.capacity, JSON.stringify(request), this.secrets.issue(32)]),
    )
    if (result.ok) return { ok: true, grant: normalGrant(result.grant), refreshToken: String(result.refreshToken) }
    if (result.refusal === 'company_mismatch') {
      const granted = result.grantedCompanyId
      return { ok: false, refusal: 'company_mismatch', grantedCompanyId: typeof granted === 'string' ? granted : null }
    }
    return { ok: false, refusal: known(REFRESH_REFUSALS, result.refusal) }
  }

  async revokeRefreshToken(request: RevokeRefreshTokenRequest): Promise<{ revoked: boolean }> {
    this.secrets.remember(request.token)
    return { revoked: (await this.redis.script(REVOKE_REFRESH_TOKEN, [this.prefix, this.capacity, JSON.stringify(request)])) === 1 }
  }

  async revokeGrant(grantId: string): Promise<void> {
    await this.redis.script(REVOKE_GRANT, [this.prefix, this.capacity, grantId, this.clock.nowMs()])
  }

  async isGrantActive(grantId: string): Promise<boolean> {
    const raw = await this.redis.call(() => this.redis.client.get(`${this.prefix}grant:${grantId}`))
    return raw !== null && !grantOf(raw).revoked
  }

  async size(): Promise<{ codes: number; grants: number; refreshTokens: number }> {
    const [codes, grants, refreshTokens] = await Promise.all(['code:', 'grant:', 'rt:'].map((kind) => this.redis.keys(this.prefix + kind)))
    return { codes: codes?.length ?? 0, grants: grants?.length ?? 0, refreshTokens: refreshTokens?.length ?? 0 }
  }

  async clear(): Promise<void> {
    const keys = (await Promise.all(['code', 'grant', 'rt', 'retired', 'seq'].map((kind) => this.redis.keys(this.prefix + kind)))).flat()
    if (keys.length > 0) await this.redis.call(() => this.redis.client.unlink(...keys))
  }

  async snapshot(): Promise<GrantSnapshot> {
    const [codes, grants, refreshTokens] = await Promise.all([
      this.#records('code:', (v) => parseRecord<CodeRecord>(v)),
      this.#records('grant:', grantOf),
      this.#records('rt:', (v) => parseRecord<RefreshRecord>(v)),
    ])
    return {
      codes: codes.map((c) => ({ ...c, scopes: asList(c.scopes) })),
      grants: grants.map((g) => ({ ...g, scopes: [...g.scopes] })),
      refreshTokens,
    }
  }

  async restore(snapshot: GrantSnapshot): Promise<void> {
    await this.clear()
    const now = this.clock.nowMs()
    const ttl = (expiresAtMs: number) => Math.max(1000, expiresAtMs - now + CODE_TTL_MS)
    const pipeline = this.redis.client.pipeline()
    for (const c of snapshot.codes) pipeline.set(`${this.prefix}code:${c.code}`, JSON.stringify(c), 'PX', ttl(c.expiresAtMs))
    for (const r of snapshot.refreshTokens) pipeline.set(`${this.prefix}rt:${r.token}`, JSON.stringify(r), 'PX', ttl(r.expiresAtMs))
    const refreshExpiry = new Map(snapshot.refreshTokens.map((r) => [r.grantId, r.expiresAtMs]))
    for (const g of snapshot.grants) {
      const refresh = refreshExpiry.get(g.id) ?? g.lastAccessExpiryMs
      pipeline.set(`${this.prefix}grant:${g.id}`, JSON.stringify(g), 'PX', ttl(Math.max(refresh, g.lastAccessExpiryMs)))
    }
    await this.redis.call(() => pipeline.exec())
  }

  async #records<T>(kind: string, parse: (value: unknown) => T): Promise<T[]> {
    const keys = await this.redis.keys(this.prefix + kind)
    if (keys.length === 0) return []
    const values = await this.redis.call(() => this.redis.client.mget(...keys))
    return values.filter((v): v is string => v !== null).map(parse)
  }
}
