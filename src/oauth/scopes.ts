/**
 * Scopes the mock knows (src/data/permissions.ts), with what the sign-in page says about each.
 * Whop publishes no fixed list [D D-SCOPE]; a fixture file may add to it (see scope-catalog.ts).
 * @see docs/whop-reference.md §2.1 scoped_actions, §2.2 scopes
 */
import { KNOWN_SCOPES } from '../data/permissions.js'
import { PERMISSION_SHAPE } from './scope-catalog.js'

export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  KNOWN_SCOPES.map((scope) => [scope.name, scope.description]),
)

/** OpenID scopes: they shape identity claims, and are not permissions. */
const IDENTITY_SCOPES = new Set(['openid', 'profile', 'email'])

export function splitScope(scope: string | undefined | null): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean)
}

/**
 * What the sign-in page says a known scope lets the app do, or undefined. Own keys only: a
 * requested scope such as `toString` or `constructor` is unknown, never Object.prototype's.
 */
export function scopeDescription(scope: string): string | undefined {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, scope) ? SCOPE_DESCRIPTIONS[scope] : undefined
}

/**
 * The permission part of a scope list: what an OAuth token may pass on to /api/v1/access_tokens.
 * Legacy scopes are free-form (`read_user`, a `biz_` id [D S2]) and name no permission; a
 * well-formed `resource:action` scope is one, described or not.
 */
export function permissionScopes(scopes: string[]): string[] {
  return scopes.filter((s) => PERMISSION_SHAPE.test(s) && !IDENTITY_SCOPES.has(s))
}
