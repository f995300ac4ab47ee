/**
 * The shapes of Whop credentials. Real API keys (and the OAuth client secrets public apps
 * show) are `apik_` + 13 base62 + `_` + `A`|`C` + 7 digits + optional `_C` + `_` + 58-64
 * lowercase hex. The mock's first keys started with `whop_`; fixture files may still use them.
 * @see docs/whop-reference.md §5 Credentials [T11]
 */
import type { FixtureData } from './fixtures.js'

export const REAL_API_KEY = /^apik_[A-Za-z0-9]{13}_[AC][0-9]{7}(?:_C)?_[0-9a-f]{58,64}$/

const LEGACY_PREFIX = 'whop_'

/** One line for the start banner when a fixture file still uses `whop_` keys, else null. */
export function legacyKeyNote(fixtures: Pick<FixtureData, 'api_keys'>): string | null {
  const legacy = fixtures.api_keys.filter((k) => k.key.startsWith(LEGACY_PREFIX)).length
  if (legacy === 0) return null
  return `whop-auth-mock: deprecated: ${legacy} fixture API key(s) start with ${LEGACY_PREFIX}; real Whop keys start with apik_ (see fixtures/default.json)`
}
