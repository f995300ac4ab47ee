/**
 * The library's helpers on one tenant's world (the default tenant's or a named one's): its
 * URLs, paste-ready environment, clock, journal, faults, tamperings, settings and reset, in-process.
 */
import type { MockContext } from './context.js'
import type { Fault, FaultSpec } from './state/faults.js'
import type { WorldData } from './state/fixtures.js'
import type { JournalEntry, JournalFilter } from './state/journal.js'
import type { Tampering, TamperSpec } from './state/tampering.js'
import type { Awaitable } from './state/store.js'
import { OptionError } from './errors/startup.js'

/**
 * A value the in-memory store gives at once. With `redisUrl` the state is in Redis and only the
 * control API (over HTTP) can read it, so these helpers say so instead of answering late.
 */
function inMemory<T>(value: Awaitable<T>, helper: string, route: string): T {
  if (value instanceof Promise) {
    value.catch(() => {})
    throw new OptionError(`${helper}() needs the in-memory store; with redisUrl use ${route} on the mock's URL`)
  }
  return value
}

export interface WorldHelpers {
  /** The URL the world advertises (options.publicUrl, else where the mock listens; plus /t/{name} for a tenant). */
  readonly publicUrl: string
  /** `iss` of the tokens it signs. */
  readonly issuer: string
  /** Ready-to-paste settings for @whop/sdk and friends. */
  readonly env: { WHOP_BASE_URL: string; WHOP_API_KEY: string; WHOP_USER_TOKEN_JWKS_URL: string }
  fixtures(): WorldData
  /** Fixtures, clock, journal, faults, settings, codes, tokens and sessions back to their start state. */
  /** With redisUrl, the changes below are shared with the other replicas once the returned promise settles. */
  reset(): Awaitable<void>
  /** Mock-clock time now. */
  now(): Date
  advanceClock(seconds: number): Awaitable<void>
  setClock(time: Date): Awaitable<void>
  /** In-memory store only (with redisUrl: GET /_mock/journal). */
  journal(filter?: JournalFilter): JournalEntry[]
  clearJournal(): Awaitable<void>
  /** In-memory store only (with redisUrl: POST /_mock/faults). */
  addFault(fault: FaultSpec): Fault
  /** WARNING: on, the sign-in page is skipped whenever login_hint names a fixture user. */
  setAutoApprove(on: boolean): Awaitable<void>
  /** On, a well-formed scope the mock does not know is invalid_scope instead of granted. */
  setStrictScopes(on: boolean): Awaitable<void>
  /** WARNING: on, `openid` without `nonce` is accepted at authorize (Whop is reported to refuse it). */
  setAllowOpenidWithoutNonce(on: boolean): Awaitable<void>
  /** On (the default), a rotated-out refresh token presented again revokes its grant. */
  setRevokeGrantOnRefreshReuse(on: boolean): Awaitable<void>
  clearFaults(): Awaitable<void>
  /** The faults still armed, each with the shots it has left (in-memory store only). */
  listFaults(): Fault[]
  /** Spoil the next id_token or userinfo answer for one client (as `POST /_mock/tamper`; in-memory store only). */
  tamper(spec: TamperSpec): Tampering
  clearTamperings(): Awaitable<void>
}

export function worldHelpers(context: MockContext): WorldHelpers {
  const firstKey = context.fixtures.data.api_keys[0]?.key ?? ''
  return {
    get publicUrl() {
      return context.publicUrl
    },
    get issuer() {
      return context.issuer
    },
    get env() {
      return {
        WHOP_BASE_URL: `${context.publicUrl}/api/v1`,
        WHOP_API_KEY: firstKey,
        WHOP_USER_TOKEN_JWKS_URL: `${context.publicUrl}/.well-known/jwks.json`,
      }
    },
    fixtures: () => structuredClone(context.fixtures.data),
    reset: () => context.reset(),
    now: () => context.clock.now(),
    advanceClock: (seconds) => context.advanceClock(seconds),
    setClock: (time) => {
      context.clock.set(time)
      return context.shareClock()
    },
    journal: (filter) => inMemory(context.journal.entries(filter), 'journal', 'GET /_mock/journal'),
    clearJournal: () => context.journal.clear(),
    addFault: (fault) => inMemory(context.faults.add(fault), 'addFault', 'POST /_mock/faults'),
    setAutoApprove: (on) => {
      context.settings.autoApprove = on
      return context.shareSettings()
    },
    setStrictScopes: (on) => {
      context.settings.strictScopes = on
      return context.shareSettings()
    },
    setAllowOpenidWithoutNonce: (on) => {
      context.settings.allowOpenidWithoutNonce = on
      return context.shareSettings()
    },
    setRevokeGrantOnRefreshReuse: (on) => {
      context.settings.revokeGrantOnRefreshReuse = on
      return context.shareSettings()
    },
    clearFaults: () => context.faults.clear(),
    listFaults: () => inMemory(context.faults.list(), 'listFaults', 'GET /_mock/faults'),
    tamper: (spec) => inMemory(context.tampering.add(spec), 'tamper', 'POST /_mock/tamper'),
    clearTamperings: () => context.tampering.clear(),
  }
}
