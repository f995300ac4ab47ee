/**
 * The scopes a server knows: the built-in list (src/data/permissions.ts) plus any a fixture file
 * adds. Whop's list is not closed, so a well-formed permission the mock does not know
 * (`resource:action` or `resource:detail:action`) is granted as undescribed, unless strict
 * scopes are on; a malformed scope is always refused.
 * @see docs/whop-reference.md §10 Permissions
 */
import { KNOWN_SCOPES } from '../data/permissions.js'
import type { WorldData } from '../state/fixtures.js'

/** `resource:action[:detail]`, lower case, words joined by `_`. */
export const PERMISSION_SHAPE = /^[a-z][a-z0-9_]*(?::[a-z][a-z0-9_]*){1,2}$/

export interface ScopeVerdict {
  /** Scopes to refuse with invalid_scope. */
  invalid: string[]
  /** Well-formed scopes granted although the mock has no description for them. */
  undescribed: string[]
}

export class ScopeCatalog {
  readonly #descriptions = new Map<string, string>()

  constructor(extra: readonly { name: string; description: string }[] = []) {
    for (const scope of KNOWN_SCOPES) this.#descriptions.set(scope.name, scope.description)
    for (const scope of extra) this.#descriptions.set(scope.name, scope.description)
  }

  describe(scope: string): string | undefined {
    return this.#descriptions.get(scope)
  }

  /** Judge the scopes of a current-flow authorize request. */
  judge(scopes: readonly string[], strict: boolean): ScopeVerdict {
    const unknown = scopes.filter((s) => !this.#descriptions.has(s))
    const malformed = unknown.filter((s) => !PERMISSION_SHAPE.test(s))
    return strict
      ? { invalid: unknown, undescribed: [] }
      : { invalid: malformed, undescribed: unknown.filter((s) => !malformed.includes(s)) }
  }
}

const catalogs = new WeakMap<WorldData, ScopeCatalog>()

/** The catalog of one fixture set, built once. */
export function scopeCatalogFor(fixtures: WorldData): ScopeCatalog {
  let catalog = catalogs.get(fixtures)
  if (catalog === undefined) {
    catalog = new ScopeCatalog(fixtures.scopes)
    catalogs.set(fixtures, catalog)
  }
  return catalog
}
