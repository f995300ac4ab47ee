/**
 * What a conformance case is. A case names one documented edge case, the scenario that
 * provokes it and the verdict on what was observed; the runner does all the driving.
 * Cases that share a scenario judge one run of it.
 */
import type { JournalEntry } from '../state/journal.js'
import type { TokenRouteConfig } from './config.js'
import type { Driver, ServerTarget } from './driver.js'

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

/** What the runner knows that the observation does not say. */
export interface Known {
  /** The API key the app (or server mode) uses; leak checks look for it whole. */
  apiKey: string
  tokenRoute: TokenRouteConfig | null
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
  scenario: Scenario<O>
  verdict(observation: O, known: Known): Verdict
}

/** Typed identity: lets a case file infer its observation type from its scenario. */
export function defineCase<O>(definition: ConformanceCase<O>): ConformanceCase<O> {
  return definition
}
