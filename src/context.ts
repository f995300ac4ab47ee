/**
 * What every surface handler works with: options, the mock clock, fixtures, the signing key,
 * and the resettable state. One per tenant: the default tenant's is built with the server,
 * each other tenant's on its first use; surfaces receive it, never globals.
 */
import type { SigningKey } from './crypto/keys.js'
import { VerifiedTokens } from './crypto/verified-tokens.js'
import type { ResolvedOptions } from './options.js'
import type { Spec } from './spec/load-spec.js'
import { MockClock } from './state/clock.js'
import { FaultBudget, FaultTable } from './state/faults.js'
import { FixtureSet, type WorldData } from './state/fixtures.js'
import { GrantStore } from './state/grants.js'
import { ISSUED_SECRETS_CAPACITY, IssuedSecrets } from './state/issued-secrets.js'
import { Journal } from './state/journal.js'
import { JournalBudget } from './state/journal-budget.js'
import { TamperTable } from './state/tampering.js'
import { SecretMasker } from './masking.js'
import { SignInStore } from './state/sign-in.js'
import type {
  Awaitable,
  FaultOperations,
  GrantOperations,
  JournalOperations,
  SharedConf,
  SharedTenantState,
  SharedWorld,
  SignInOperations,
  StateBackend,
  TamperOperations,
} from './state/store.js'
import { tenantBasePath } from './tenant-path.js'

/** Switches the control API can flip; reset restores their start values. */
export interface Settings {
  /** WARNING: skips the sign-in page when login_hint names a fixture user. */
  autoApprove: boolean
  /** Unknown well-formed scopes are invalid_scope instead of granted. */
  strictScopes: boolean
  /** WARNING: `openid` without `nonce` is accepted at authorize. */
  allowOpenidWithoutNonce: boolean
  /** A rotated-out refresh token presented again revokes its grant (RFC 9700 §4.14.2). */
  revokeGrantOnRefreshReuse: boolean
}

/** A world revision no shared world has: the next request reloads the world (see shared-world.ts). */
export const STALE_WORLD = 'stale'

/** Where a tenant sits: its name, and the default tenant whose URLs its own extend. */
export interface TenantPlacement {
  name: string
  root: MockContext
}

export class MockContext {
  readonly clock = new MockClock()
  readonly faults: FaultOperations
  /** One-shot spoiling of id_tokens and userinfo answers, armed through the control API. */
  readonly tampering: TamperOperations
  /**
   * Secrets the mock issued or holds, for masking by value in the journal and the logs: one list
   * for the whole server (tenants share the default tenant's), since the log stream is one.
   */
  readonly secrets: IssuedSecrets
  readonly masker: SecretMasker
  /** The memory bound the in-memory journals of every tenant share (the default tenant's); null with Redis. */
  readonly journalBudget: JournalBudget | null = null
  /** The fault bytes every tenant's in-memory fault table counts against (the default tenant's); null with Redis. */
  readonly faultBudget: FaultBudget | null = null
  #release: () => void = () => undefined
  readonly grants: GrantOperations
  readonly signIn: SignInOperations
  readonly journal: JournalOperations
  /** The clock offset and settings replicas share; null when the state is this process's memory. */
  readonly shared: SharedTenantState | null
  /** The world as replicas share it; null when the state is this process's memory. */
  readonly world: SharedWorld | null
  /** The shared world's revision this replica's world is (see shared-world.ts). */
  worldRev = '0'
  /** Where the state lives when not in memory (Redis); tenants use the default tenant's. */
  readonly backend: StateBackend | null
  readonly settings: Settings
  readonly verifiedTokens: VerifiedTokens
  #fixtures: FixtureSet
  /** Set once the server listens, unless options.publicUrl fixed it. */
  #listenUrl = ''
  #basePath: string | undefined

  constructor(
    readonly options: ResolvedOptions,
    readonly spec: Spec,
    readonly key: SigningKey,
    readonly initialFixtures: WorldData,
    /** Absent for the default tenant, which serves the paths without a prefix. */
    readonly placement?: TenantPlacement,
    backend: StateBackend | null = null,
  ) {
    this.secrets = placement?.root.secrets ?? new IssuedSecrets(Math.max(ISSUED_SECRETS_CAPACITY, 3 * options.maxGrants))
    this.masker = placement?.root.masker ?? new SecretMasker(this.secrets)
    this.backend = placement?.root.backend ?? backend
    if (this.backend === null) {
      this.grants = new GrantStore(this.clock, this.secrets, options.maxGrants)
      this.signIn = new SignInStore(this.clock, this.secrets)
      this.journalBudget = placement?.root.journalBudget ?? new JournalBudget(options.journalTotalBytes)
      const journal = new Journal(options.journalSize, options.journalBytes, this.masker, this.journalBudget)
      this.journal = journal
      this.#release = () => {
        this.journalBudget?.leave(journal)
        faults.clear()
      }
      this.faultBudget = placement?.root.faultBudget ?? new FaultBudget()
      const faults = new FaultTable(this.faultBudget)
      this.faults = faults
      this.tampering = new TamperTable()
      this.shared = null
      this.world = null
    } else {
      const parts = {
        clock: this.clock,
        secrets: this.secrets,
        masker: this.masker,
        journalSize: options.journalSize,
        journalBytes: options.journalBytes,
        maxGrants: options.maxGrants,
      }
      const stores = this.backend.storesFor(placement?.name ?? null, parts)
      this.grants = stores.grants
      this.signIn = stores.signIn
      this.journal = stores.journal
      this.faults = stores.faults
      this.tampering = stores.tampering
      this.shared = stores.shared
      this.world = stores.world
    }
    this.settings = {
      autoApprove: options.autoApprove,
      strictScopes: options.strictScopes,
      allowOpenidWithoutNonce: options.allowOpenidWithoutNonce,
      revokeGrantOnRefreshReuse: options.revokeGrantOnRefreshReuse,
    }
    this.verifiedTokens = new VerifiedTokens(key)
    this.#fixtures = new FixtureSet(structuredClone(initialFixtures))
    this.#rememberSecretsOf(initialFixtures)
    if (placement === undefined && options.controlToken !== undefined) this.secrets.remember(options.controlToken)
  }

  /** A dropped tenant gives back what it counted against bounds shared with the other tenants. */
  release(): void {
    this.#release()
  }

  /** The world's API keys and client secrets, whatever their shape, are masked by value too. */
  #rememberSecretsOf(fixtures: WorldData): void {
    for (const key of fixtures.api_keys) this.secrets.remember(key.key)
    for (const app of fixtures.apps) if (app.client_secret !== undefined) this.secrets.remember(app.client_secret)
  }

  get fixtures(): FixtureSet {
    return this.#fixtures
  }

  /** The tenant's name; null for the default tenant. */
  get tenantName(): string | null {
    return this.placement?.name ?? null
  }

  /** '' for the default tenant, `/t/{name}` for another: every URL the tenant advertises starts with it. */
  get basePath(): string {
    return (this.#basePath ??= tenantBasePath(this.tenantName))
  }

  /** The URL the mock advertises (options.publicUrl, else where it listens), with the tenant's base path. */
  get publicUrl(): string {
    if (this.placement !== undefined) return `${this.placement.root.publicUrl}${this.basePath}`
    return this.options.publicUrl ?? this.#listenUrl
  }

  set listenUrl(url: string) {
    this.#listenUrl = url
  }

  /**
   * `iss` of the tokens the mock signs: options.issuer, else the public URL; a tenant's is the
   * default tenant's issuer plus its base path, so no tenant accepts another's tokens.
   */
  get issuer(): string {
    if (this.placement !== undefined) return `${this.placement.root.issuer}${this.basePath}`
    return this.options.issuer ?? this.publicUrl
  }

  /** Replace the world with an imported one; reset still returns to the start fixtures. */
  replaceWorld(data: WorldData): void {
    this.#fixtures = new FixtureSet(data)
    this.#rememberSecretsOf(data)
  }

  /** Fixtures, clock, journal, faults, tamperings, settings, codes, tokens and sessions back to their start state. */
  reset(): Awaitable<void> {
    this.#fixtures = new FixtureSet(structuredClone(this.initialFixtures))
    this.clock.reset()
    this.verifiedTokens.clear()
    this.settings.autoApprove = this.options.autoApprove
    this.settings.strictScopes = this.options.strictScopes
    this.settings.allowOpenidWithoutNonce = this.options.allowOpenidWithoutNonce
    this.settings.revokeGrantOnRefreshReuse = this.options.revokeGrantOnRefreshReuse
    const cleared = [
      this.journal.clear(),
      this.faults.clear(),
      this.tampering.clear(),
      this.grants.clear(),
      this.signIn.clear(),
      this.shared?.clear(),
    ]
    if (this.world === null) return
    // Another replica may have made this tenant with its own fixtures: the next request reloads them.
    this.worldRev = STALE_WORLD
    return Promise.all([...cleared, this.world.clear(true)]).then(() => undefined)
  }

  /** Take the shared clock offset and settings another replica may have changed. */
  adoptShared(conf: SharedConf): void {
    this.clock.offsetMs = conf.offset_ms === null ? 0 : Number(conf.offset_ms)
    const flag = (value: string | null, start: boolean) => (value === null ? start : value === '1')
    this.settings.autoApprove = flag(conf.auto_approve, this.options.autoApprove)
    this.settings.strictScopes = flag(conf.strict_scopes, this.options.strictScopes)
    this.settings.allowOpenidWithoutNonce = flag(conf.allow_openid_without_nonce, this.options.allowOpenidWithoutNonce)
    this.settings.revokeGrantOnRefreshReuse = flag(conf.revoke_grant_on_refresh_reuse, this.options.revokeGrantOnRefreshReuse)
  }

  /** Move the clock on; with shared state, as one step in Redis, so moves made at two replicas at once add up. */
  advanceClock(seconds: number): Awaitable<void> {
    if (this.shared === null) return this.clock.advance(seconds)
    return this.shared.advance(Math.round(seconds * 1000)).then((offsetMs) => {
      this.clock.offsetMs = offsetMs
    })
  }

  /** Give the other replicas this replica's clock offset (nothing to do in memory). */
  shareClock(): Awaitable<void> {
    return this.shared?.save({ offset_ms: String(this.clock.offsetMs) })
  }

  /** Give the other replicas this replica's settings (nothing to do in memory). */
  shareSettings(): Awaitable<void> {
    const bit = (on: boolean) => (on ? '1' : '0')
    return this.shared?.save({
      auto_approve: bit(this.settings.autoApprove),
      strict_scopes: bit(this.settings.strictScopes),
      allow_openid_without_nonce: bit(this.settings.allowOpenidWithoutNonce),
      revoke_grant_on_refresh_reuse: bit(this.settings.revokeGrantOnRefreshReuse),
    })
  }
}
