/**
 * Sign-in state in Redis: pending sign-ins and browser sessions as JSON records that Redis
 * expires (their lifetimes in real time); the mock clock still decides whether one is live.
 */
import { SESSION_TTL_MS, SIGN_IN_TTL_MS, consentKey, type AuthorizeRequest, type PendingSignIn, type SessionRecord } from '../sign-in.js'
import type { IssuedSecrets } from '../issued-secrets.js'
import type { MockClock } from '../clock.js'
import type { SignInOperations } from '../store.js'
import type { RedisConnection } from './connection.js'
import { asList, parseRecord } from './records.js'

export class RedisSignInStore implements SignInOperations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly clock: MockClock,
    private readonly secrets: IssuedSecrets,
  ) {}

  async begin(request: AuthorizeRequest): Promise<PendingSignIn> {
    const pending = { id: this.secrets.issue(18), csrf: this.secrets.issue(24), request, expiresAtMs: this.clock.nowMs() + SIGN_IN_TTL_MS }
    await this.redis.call(() => this.redis.client.set(this.#pendingKey(pending.id), JSON.stringify(pending), 'PX', SIGN_IN_TTL_MS))
    return pending
  }

  async pending(id: string): Promise<PendingSignIn | undefined> {
    const raw = await this.redis.call(() => this.redis.client.get(this.#pendingKey(id)))
    if (raw === null) return undefined
    const pending = parseRecord<PendingSignIn>(raw)
    this.secrets.remember(pending.id)
    this.secrets.remember(pending.csrf)
    return pending.expiresAtMs > this.clock.nowMs() ? pending : undefined
  }

  async finish(id: string): Promise<void> {
    await this.redis.call(() => this.redis.client.del(this.#pendingKey(id)))
  }

  async approve(sessionId: string | undefined, userId: string, clientId: string, scopes: readonly string[]): Promise<string> {
    const existing = sessionId === undefined ? undefined : await this.#session(sessionId)
    const kept = existing?.userId === userId ? existing : undefined
    const session: SessionRecord = kept ?? { id: this.secrets.issue(24), userId, consents: [], expiresAtMs: 0 }
    const consent = consentKey(clientId, scopes)
    if (!session.consents.includes(consent)) session.consents.push(consent)
    session.expiresAtMs = this.clock.nowMs() + SESSION_TTL_MS
    await this.redis.call(() => this.redis.client.set(this.#sessionKey(session.id), JSON.stringify(session), 'PX', SESSION_TTL_MS))
    return session.id
  }

  async signedInUser(sessionId: string | undefined): Promise<string | null> {
    return (await this.#liveSession(sessionId))?.userId ?? null
  }

  async consentedUser(sessionId: string | undefined, clientId: string, scopes: readonly string[]): Promise<string | null> {
    const session = await this.#liveSession(sessionId)
    return session?.consents.includes(consentKey(clientId, scopes)) ? session.userId : null
  }

  async size(): Promise<{ pending: number; sessions: number }> {
    const [pending, sessions] = await Promise.all([this.redis.keys(`${this.prefix}signin:`), this.redis.keys(`${this.prefix}session:`)])
    return { pending: pending.length, sessions: sessions.length }
  }

  async clear(): Promise<void> {
    const keys = (await Promise.all([this.redis.keys(`${this.prefix}signin:`), this.redis.keys(`${this.prefix}session:`)])).flat()
    if (keys.length > 0) await this.redis.call(() => this.redis.client.unlink(...keys))
  }

  async sessions(): Promise<SessionRecord[]> {
    const keys = await this.redis.keys(`${this.prefix}session:`)
    if (keys.length === 0) return []
    const values = await this.redis.call(() => this.redis.client.mget(...keys))
    return values.filter((v): v is string => v !== null).map((v) => this.#parseSession(v))
  }

  async restoreSessions(records: readonly SessionRecord[]): Promise<void> {
    await this.clear()
    const pipeline = this.redis.client.pipeline()
    for (const r of records) pipeline.set(this.#sessionKey(r.id), JSON.stringify(r), 'PX', SESSION_TTL_MS)
    await this.redis.call(() => pipeline.exec())
  }

  async #liveSession(sessionId: string | undefined): Promise<SessionRecord | undefined> {
    const session = sessionId === undefined ? undefined : await this.#session(sessionId)
    return session === undefined || session.expiresAtMs <= this.clock.nowMs() ? undefined : session
  }

  async #session(id: string): Promise<SessionRecord | undefined> {
    const raw = await this.redis.call(() => this.redis.client.get(this.#sessionKey(id)))
    if (raw === null) return undefined
    this.secrets.remember(id)
    return this.#parseSession(raw)
  }

  #parseSession(raw: string): SessionRecord {
    const session = parseRecord<SessionRecord>(raw)
    return { ...session, consents: asList(session.consents) }
  }

  #pendingKey(id: string): string {
    return `${this.prefix}signin:${id}`
  }

  #sessionKey(id: string): string {
    return `${this.prefix}session:${id}`
  }
}
