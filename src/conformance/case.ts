/**
 * What a conformance case is. A case names one documented edge case, the scenario that
 * provokes it and the verdict on what was observed; the runner does all the driving.
 * Cases that share a scenario judge one run of it.
 */
import type { JournalEntry } from '../state/journal.js'
import type { TokenRouteConfig } from './config.js'
import type { Driver, ServerTarget } from './driver.js'
import type { OAuthFlow } from './oauth-flows.js'

/** The part of an integration a case applies to; a part runs only when the config names it. */
export const PARTS = ['token-route', 'oauth', 'server'] as const
export type Part = (typeof PARTS)[number]

export type Verdict =
  | { status: 'pass' }
  /** `evidence`: the mock journal entries that show what the app did (secrets already masked). */
  | { status: 'fail'; expected: string; actual: string; evidence: JournalEntry[] }
  /** The scenario could not reach what the case judges; the reason says why. */
  | { status: 'skip'; reason: string }

export interface Scenario<O> {
  /** Scenarios with the same key run once per run. */
  key: string
  /**
   * Lower phases run first. Apps may cache tokens, so scenarios that must see the app call
   * Whop run before the ones that hand it a token to keep.
   */
  phase: number
  run(driver: Driver): Promise<O>
}

/** The sign-in under test, resolved against the mock's fixtures. */
export interface OAuthKnown {
  flow: OAuthFlow
  clientId: string
  clientType: 'public' | 'confidential'
  /** The app's registered secret, or null for a public app. */
  clientSecret: string | null
  /** The app's API keys, which the legacy token endpoints also take as its secret. */
  appApiKeys: string[]
  /** app.baseUrl + callbackPath. */
  redirectUri: string
  /** The Whop user the runner signs in as on the mock's page. */
  userId: string
  /** Scopes the start must ask for. */
  scope: string[]
  /** The mock's origin, where the start must send the browser. */
  mockUrl: string
  startPath: string
  profilePath: string
}

/** What the runner knows that the observation does not say. */
export interface Known {
  /** The API key the app (or server mode) uses; leak checks look for it whole. */
  apiKey: string
  tokenRoute: TokenRouteConfig | null
  oauth: OAuthKnown | null
  server: ServerTarget | null
}

export interface ConformanceCase<O = unknown> {
  /** Stable id, equal to the case's file name. */
  id: string
  /** One line: what a conforming integration does. */
  description: string
  /** The documented source it enforces, e.g. `reference §6 item 17 [D S3, D-SCOPE]`. */
  source: string
  part: Part
  /** OAuth cases only: the flows the case applies to (default: every flow). */
  flows?: readonly OAuthFlow[]
  scenario: Scenario<O>
  verdict(observation: O, known: Known): Verdict
}

/** Typed identity: lets a case file infer its observation type from its scenario. */
export function defineCase<O>(definition: ConformanceCase<O>): ConformanceCase<O> {
  return definition
}
