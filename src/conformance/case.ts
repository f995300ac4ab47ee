/**
 * What a conformance case is. A case names one documented edge case, the scenario that
 * provokes it and the verdict on what was observed; the runner does all the driving.
 * Cases that share a scenario judge one run of it.
 */
import type { SignInVariant } from '../eras.js'
import type { JournalEntry } from '../state/journal.js'
import type { Driver, Scenario } from './driver.js'
import type { Known } from './known.js'

/** The part of an integration a case applies to; a part runs only when the config names it. */
export const PARTS = ['token-route', 'oauth', 'server'] as const
export type Part = (typeof PARTS)[number]

export type Verdict =
  /** `warning`: passed, with something the report must still say (a check the protocol allows an app to skip). */
  | { status: 'pass'; warning?: string }
  /** `evidence`: the mock journal entries that show what the app did (secrets already masked). */
  | { status: 'fail'; expected: string; actual: string; evidence: JournalEntry[] }
  /** The scenario could not reach what the case judges; the reason says why. */
  | { status: 'skip'; reason: string }

/**
 * A positive control: the normal thing (a sign-in, a mint) that must succeed in the same run
 * before a refusal or a leak case can mean anything. An app that signs nobody in refuses every
 * tampered callback too, and an app that mints for nobody hands an anonymous caller nothing.
 */
export interface Control {
  /** What the control does, e.g. `a normal sign-in`. */
  name: string
  scenario: Scenario<unknown>
  /** Why the control did not succeed, or null when it did. */
  failure(driver: Driver): Promise<string | null>
}

/** A control judged on a scenario's observation: `failure` says why it did not succeed, or null. */
export function defineControl<O>(name: string, scenario: Scenario<O>, failure: (observation: O, known: Known) => string | null): Control {
  return { name, scenario, failure: async (driver) => failure(await driver.observe(scenario), driver.known) }
}

export interface ConformanceCase<O = unknown> {
  /** Stable id, equal to the case's file name. */
  id: string
  /** One line: what a conforming integration does. */
  description: string
  /** The documented source it enforces, e.g. `reference §6 item 17 [D S3, D-SCOPE]`. */
  source: string
  part: Part
  /** OAuth cases only: the sign-in variants (config `oauth.flow`) the case applies to (default: every one). */
  flows?: readonly SignInVariant[]
  scenario: Scenario<O>
  /** Refusal and leak cases: judged only when this control succeeded in the same run, else "not judged". */
  control?: Control
  verdict(observation: O, known: Known): Verdict
}

/** Typed identity: lets a case file infer its observation type from its scenario. */
export function defineCase<O>(definition: ConformanceCase<O>): ConformanceCase<O> {
  return definition
}
