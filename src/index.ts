/**
 * whop-auth-mock as a library: start a mock of Whop's authentication API in-process.
 *
 * ```ts
 * const mock = await startMockServer({ port: 0 })
 * // point @whop/sdk at `${mock.url}/api/v1`, then:
 * await mock.advanceClock(3600)
 * await mock.close()
 * ```
 */
import type { AddressInfo } from 'node:net'
import { buildMockServer } from './server.js'
import type { MockServerOptions } from './options.js'
import type { WorldData } from './state/fixtures.js'
import type { Fault, FaultSpec } from './state/faults.js'
import type { JournalEntry, JournalFilter } from './state/journal.js'

export type { MockServerOptions, LogLevel } from './options.js'
/**
 * `FixtureData` is what `fixtures()` returns and the `fixtures` option takes: the world, whose apps
 * created through the API may have no redirect URI yet. A fixture file is checked against
 * fixtures/schema.json all the same, which asks for one.
 */
export type { WorldData as FixtureData, WorldData, Company, User, OAuthApp, ApiKey } from './state/fixtures.js'
export type { Fault, FaultSpec } from './state/faults.js'
export type { JournalEntry, JournalFilter } from './state/journal.js'
export { buildMockServer, type BuiltMockServer } from './server.js'
export { FixtureError, OptionError, StartupError, type StartupErrorCode } from './errors/startup.js'

export interface MockServer {
  /** Where the mock listens, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string
  /** The URL the mock advertises (options.publicUrl, else url). */
  publicUrl: string
  /** `iss` of the tokens it signs. */
  issuer: string
  /** The PEM certificate when serving HTTPS (trust it in your client), else null. */
  tlsCertificate: string | null
  /** Ready-to-paste settings for @whop/sdk and friends. */
  env: { WHOP_BASE_URL: string; WHOP_API_KEY: string; WHOP_USER_TOKEN_JWKS_URL: string }
  fixtures(): WorldData
  /** Fixtures, clock, journal and faults back to their start state. */
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
  clearFaults(): void
  /** Stop accepting, finish in-flight requests, release the port. */
  close(): Promise<void>
}

/** Where a TCP server listens; a pipe or a closed server is not what startMockServer opened. */
function listeningAddress(address: AddressInfo | string | null): AddressInfo {
  if (address === null || typeof address === 'string') throw new Error(`the mock is not listening on a TCP port (${String(address)})`)
  return address
}

/** Build and start a mock server. `port: 0` picks a free port. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { app, context, tlsCertificate } = await buildMockServer(options)
  await app.listen({ port: context.options.port, host: context.options.host })
  const address = listeningAddress(app.server.address())
  // A wildcard bind is reachable on loopback; advertise that rather than an unroutable 0.0.0.0.
  const ip = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address
  const host = ip.includes(':') ? `[${ip}]` : ip
  const url = `${tlsCertificate === null ? 'http' : 'https'}://${host}:${address.port}`
  context.listenUrl = url
  const firstKey = context.fixtures.data.api_keys[0]?.key ?? ''
  return {
    url,
    get publicUrl() {
      return context.publicUrl
    },
    get issuer() {
      return context.issuer
    },
    tlsCertificate,
    env: {
      WHOP_BASE_URL: `${context.publicUrl}/api/v1`,
      WHOP_API_KEY: firstKey,
      WHOP_USER_TOKEN_JWKS_URL: `${context.publicUrl}/.well-known/jwks.json`,
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
    clearFaults: () => context.faults.clear(),
    close: () => app.close(),
  }
}
