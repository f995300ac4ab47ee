/**
 * What every surface handler works with: options, the mock clock, fixtures, the signing key,
 * and the resettable state. Built once per server; surfaces receive it, never globals.
 */
import type { SigningKey } from './crypto/keys.js'
import { VerifiedTokens } from './crypto/verified-tokens.js'
import type { ResolvedOptions } from './options.js'
import type { Spec } from './spec/load-spec.js'
import { MockClock } from './state/clock.js'
import { FaultTable } from './state/faults.js'
import { FixtureSet, type FixtureData } from './state/fixtures.js'
import { GrantStore } from './state/grants.js'
import { IssuedSecrets } from './state/issued-secrets.js'
import { Journal } from './state/journal.js'
import { SecretMasker } from './masking.js'
import { SignInStore } from './state/sign-in.js'

/** Switches the control API can flip; reset restores their start values. */
export interface Settings {
  /** WARNING: skips the sign-in page when login_hint names a fixture user. */
  autoApprove: boolean
  /** Unknown well-formed scopes are invalid_scope instead of granted. */
  strictScopes: boolean
  /** WARNING: `openid` without `nonce` is accepted at authorize. */
  allowOpenidWithoutNonce: boolean
}

export class MockContext {
  readonly clock = new MockClock()
  readonly faults = new FaultTable()
  /** Secrets the mock issued or holds, for masking by value in the journal and the logs. */
  readonly secrets = new IssuedSecrets()
  readonly masker = new SecretMasker(this.secrets)
  readonly grants = new GrantStore(this.clock, this.secrets)
  readonly signIn = new SignInStore(this.clock, this.secrets)
  readonly journal: Journal
  readonly settings: Settings
  readonly verifiedTokens: VerifiedTokens
  #fixtures: FixtureSet
  /** Set once the server listens, unless options.publicUrl fixed it. */
  #listenUrl = ''

  constructor(
    readonly options: ResolvedOptions,
    readonly spec: Spec,
    readonly key: SigningKey,
    readonly initialFixtures: FixtureData,
  ) {
    this.journal = new Journal(options.journalSize, options.journalBytes, this.masker)
    this.settings = {
      autoApprove: options.autoApprove,
      strictScopes: options.strictScopes,
      allowOpenidWithoutNonce: options.allowOpenidWithoutNonce,
    }
    this.verifiedTokens = new VerifiedTokens(key)
    this.#fixtures = new FixtureSet(structuredClone(initialFixtures))
    this.#rememberFixtureSecrets(initialFixtures)
  }

  /** The fixtures' API keys and client secrets, whatever their shape, are masked by value too. */
  #rememberFixtureSecrets(fixtures: FixtureData): void {
    for (const key of fixtures.api_keys) this.secrets.remember(key.key)
    for (const app of fixtures.apps) if (app.client_secret !== undefined) this.secrets.remember(app.client_secret)
  }

  get fixtures(): FixtureSet {
    return this.#fixtures
  }

  /** The URL the mock advertises: options.publicUrl, else where it listens. */
  get publicUrl(): string {
    return this.options.publicUrl ?? this.#listenUrl
  }

  set listenUrl(url: string) {
    this.#listenUrl = url
  }

  /** `iss` of the tokens the mock signs: options.issuer, else the public URL. */
  get issuer(): string {
    return this.options.issuer ?? this.publicUrl
  }

  /** Fixtures, clock, journal, faults, settings, codes, tokens and sessions back to their start state. */
  reset(): void {
    this.#fixtures = new FixtureSet(structuredClone(this.initialFixtures))
    this.clock.reset()
    this.journal.clear()
    this.faults.clear()
    this.grants.clear()
    this.signIn.clear()
    this.verifiedTokens.clear()
    this.settings.autoApprove = this.options.autoApprove
    this.settings.strictScopes = this.options.strictScopes
    this.settings.allowOpenidWithoutNonce = this.options.allowOpenidWithoutNonce
  }
}
