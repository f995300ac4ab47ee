/**
 * The library's helpers on one tenant's world (the default tenant's or a named one's): its
 * URLs, paste-ready environment, clock, journal, faults, tamperings, settings and reset, in-process.
 */
import type { MockContext } from './context.js'
import type { Fault, FaultSpec } from './state/faults.js'
import type { WorldData } from './state/fixtures.js'
import type { JournalEntry, JournalFilter } from './state/journal.js'
import type { Tampering, TamperSpec } from './state/tampering.js'

export interface WorldHelpers {
  /** The URL the world advertises (options.publicUrl, else where the mock listens; plus /t/{name} for a tenant). */
  readonly publicUrl: string
  /** `iss` of the tokens it signs. */
  readonly issuer: string
  /** Ready-to-paste settings for @whop/sdk and friends. */
  readonly env: { WHOP_BASE_URL: string; WHOP_API_KEY: string; WHOP_USER_TOKEN_JWKS_URL: string }
  fixtures(): WorldData
  /** Fixtures, clock, journal, faults, settings, codes, tokens and sessions back to their start state. */
  reset(): void
  /** Mock-clock time now. */
  now(): Date
  advanceClock(seconds: number): void
  setClock(time: Date): void
  journal(filter?: JournalFilter): JournalEntry[]
  clearJournal(): void
  addFault(fault: FaultSpec): Fault
  /** WARNING: on, the sign-in page is skipped whenever login_hint names a fixture user. */
  setAutoApprove(on: boolean): void
  /** On, a well-formed scope the mock does not know is invalid_scope instead of granted. */
  setStrictScopes(on: boolean): void
  /** WARNING: on, `openid` without `nonce` is accepted at authorize (Whop is reported to refuse it). */
  setAllowOpenidWithoutNonce(on: boolean): void
  /** On (the default), a rotated-out refresh token presented again revokes its grant. */
  setRevokeGrantOnRefreshReuse(on: boolean): void
  clearFaults(): void
  /** The faults still armed, each with the shots it has left. */
  listFaults(): Fault[]
  /** Spoil the next id_token or userinfo answer for one client (as `POST /_mock/tamper`). */
  tamper(spec: TamperSpec): Tampering
  clearTamperings(): void
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
    advanceClock: (seconds) => context.clock.advance(seconds),
    setClock: (time) => context.clock.set(time),
    journal: (filter) => context.journal.entries(filter),
    clearJournal: () => context.journal.clear(),
    addFault: (fault) => context.faults.add(fault),
    setAutoApprove: (on) => {
      context.settings.autoApprove = on
    },
    setStrictScopes: (on) => {
      context.settings.strictScopes = on
    },
    setAllowOpenidWithoutNonce: (on) => {
      context.settings.allowOpenidWithoutNonce = on
    },
    setRevokeGrantOnRefreshReuse: (on) => {
      context.settings.revokeGrantOnRefreshReuse = on
    },
    clearFaults: () => context.faults.clear(),
    listFaults: () => context.faults.list(),
    tamper: (spec) => context.tampering.add(spec),
    clearTamperings: () => context.tampering.clear(),
  }
}
