/**
 * The state one tenant keeps, behind one interface per kind with two stores: in memory (the
 * default, synchronous, so its callers pay nothing for the interface) and in Redis (shared by
 * replicas, every call a promise). Callers await what they get; a plain value awaits at once.
 */
import type { Fault, FaultSpec } from './faults.js'
import type { CodeBinding, GrantSnapshot, RedeemCodeRequest, RedeemCodeResult } from './grants.js'
import type { RevokeRefreshTokenRequest, RotateRefreshTokenRequest, RotateRefreshTokenResult } from './grant-operations.js'
import type { JournalEntry, JournalFilter } from './journal.js'
import type { AuthorizeRequest, PendingSignIn, SessionRecord } from './sign-in.js'
import type { MockClock } from './clock.js'
import type { IssuedSecrets } from './issued-secrets.js'
import type { SecretMasker } from '../masking.js'
import type { TamperSpec, TamperTarget, Tampering } from './tampering.js'
import type { Content, ExportedContent } from './file-contents.js'
import type { WorldObject } from './world-objects.js'

export type Awaitable<T> = T | Promise<T>

/** Codes, grants, refresh tokens and revocations; redeem, rotate and revoke are each one atomic step. */
export interface GrantOperations {
  /** The most codes, grants and refresh tokens a tenant keeps. */
  readonly capacity: number
  issueCode(binding: CodeBinding): Awaitable<string>
  redeemCode(request: RedeemCodeRequest): Awaitable<RedeemCodeResult>
  rotateRefreshToken(request: RotateRefreshTokenRequest): Awaitable<RotateRefreshTokenResult>
  revokeRefreshToken(request: RevokeRefreshTokenRequest): Awaitable<{ revoked: boolean }>
  revokeGrant(grantId: string): Awaitable<void>
  isGrantActive(grantId: string): Awaitable<boolean>
  size(): Awaitable<{ codes: number; grants: number; refreshTokens: number }>
  clear(): Awaitable<void>
  snapshot(): Awaitable<GrantSnapshot>
  restore(snapshot: GrantSnapshot): Awaitable<void>
}

/** Pending sign-ins and browser sessions with their consents. */
export interface SignInOperations {
  begin(request: AuthorizeRequest): Awaitable<PendingSignIn>
  pending(id: string): Awaitable<PendingSignIn | undefined>
  finish(id: string): Awaitable<void>
  approve(sessionId: string | undefined, userId: string, clientId: string, scopes: readonly string[]): Awaitable<string>
  signedInUser(sessionId: string | undefined): Awaitable<string | null>
  consentedUser(sessionId: string | undefined, clientId: string, scopes: readonly string[]): Awaitable<string | null>
  size(): Awaitable<{ pending: number; sessions: number }>
  clear(): Awaitable<void>
  sessions(): Awaitable<SessionRecord[]>
  restoreSessions(records: readonly SessionRecord[]): Awaitable<void>
}

/** Armed faults. Taking a shot happens where a request starts (see http/faults.ts). */
export interface FaultOperations {
  add(spec: FaultSpec): Awaitable<Fault>
  take(method: string, path: string): Awaitable<Fault | undefined>
  list(): Awaitable<Fault[]>
  clear(): Awaitable<void>
}

/** Armed tamperings; each is used once. `take` may answer at once (nothing armed) or later. */
export interface TamperOperations {
  add(spec: TamperSpec): Awaitable<Tampering>
  take(target: TamperTarget, clientId: string): Awaitable<Tampering | undefined>
  list(): Awaitable<Tampering[]>
  clear(): Awaitable<void>
}

/** The request journal: recording never waits; reading is masked. */
export interface JournalOperations {
  readonly capacity: number
  record(entry: Omit<JournalEntry, 'id'>, bytes: number): void
  entries(filter?: JournalFilter): Awaitable<JournalEntry[]>
  droppedCount(): Awaitable<number>
  clear(): Awaitable<void>
}

/** The switches and clock offset replicas share, as text (null: never set, the option's value holds). */
export interface SharedConf {
  offset_ms: string | null
  auto_approve: string | null
  strict_scopes: string | null
  allow_openid_without_nonce: string | null
  revoke_grant_on_refresh_reuse: string | null
}

/** What a request reads from the shared store as it starts: the clock and settings, and a fault shot if it took one. */
export interface SyncReply {
  conf: SharedConf
  fault: Fault | undefined
  /** The shared world's revision (see SharedWorld). */
  worldRev: string
}

/** A tenant's clock offset and settings as the replicas share them. */
export interface SharedTenantState {
  sync(method: string, path: string, takeFault: boolean): Promise<SyncReply>
  save(conf: Partial<SharedConf>): Promise<void>
  /** Move the shared clock offset by `ms` in one step; resolves to the new offset. */
  advance(ms: number): Promise<number>
  clear(): Promise<void>
}

/** A tenant's world as replicas share it (see redis/world.ts); JSON texts as kept. */
export interface SharedWorldState {
  /** Changes whenever the shared world does; every request's sync reads it. */
  rev: string
  /** An imported world, when one was. */
  base: string | null
  /** The start fixtures a replica made the tenant with, when not the process's own. */
  start: string | null
  /** Objects written since, in the order first written. */
  objects: WorldObject[]
}

/** The world (fixtures and what the provisioning API made of them) of a tenant whose state is shared. */
export interface SharedWorld {
  load(): Promise<SharedWorldState>
  /** Write changed objects; null when the world holds `capacity` objects already. */
  put(objects: readonly WorldObject[], capacity: number): Promise<{ before: string; after: string } | null>
  /** An imported world replaces everything written before. */
  replace(base: string, contents: readonly ExportedContent[]): Promise<void>
  setStart(start: string): Promise<void>
  /** Back to the start fixtures (reset), or gone with them (the tenant deleted). */
  clear(keepStart: boolean): Promise<void>
  /** Store an upload's bytes; null when stored, else the bytes already stored when the limit would be passed. */
  putContent(id: string, content: Content, maxBytes: number): Promise<number | null>
  content(id: string): Promise<Content | undefined>
}

/** Every store of one tenant. */
export interface TenantStores {
  grants: GrantOperations
  signIn: SignInOperations
  faults: FaultOperations
  tampering: TamperOperations
  journal: JournalOperations
}

/** Where tenants keep their state when it is not this process's memory. */
export interface StateBackend {
  storesFor(tenant: string | null, parts: StoreParts): TenantStores & { shared: SharedTenantState; world: SharedWorld }
  /** Whether the store answers now (the health endpoint says `degraded` when not). */
  readonly healthy: boolean
  close(): Promise<void>
}

/** What the stores of a tenant are built with. */
export interface StoreParts {
  clock: MockClock
  secrets: IssuedSecrets
  masker: SecretMasker
  journalSize: number
  journalBytes: number
  /** Codes, grants and retired refresh tokens kept per tenant (--max-grants). */
  maxGrants: number
}
