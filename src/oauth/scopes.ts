/**
 * Scopes the mock knows, with what the sign-in page says about each. Whop publishes no fixed
 * list [D D-SCOPE]; these are every scope its docs and third parties name.
 * @see whop-auth-reference §2.1 scoped_actions, §2.2 scopes
 */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in and know who you are',
  profile: 'See your name, username and picture',
  email: 'See your email address',
  'chat:read': 'Read experience chats',
  'chat:message:create': 'Send messages in experience chats',
  'dms:read': 'Read your direct messages',
  'dms:message:manage': 'Send and manage direct messages',
  'dms:channel:manage': 'Manage direct-message channels',
  'support_chat:read': 'Read support chats',
  'support_chat:message:create': 'Send messages in support chats',
  'company:balance:read': "See the company's balance",
  'member:basic:read': 'See basic membership information',
}

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

export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((s) => scopeDescription(s) === undefined)
}

/**
 * The permission part of a scope list: what an OAuth token may pass on to /api/v1/access_tokens.
 * Legacy scopes are free-form (`read_user`, a `biz_` id [D S2]) and name no permission.
 */
export function permissionScopes(scopes: string[]): string[] {
  return scopes.filter((s) => scopeDescription(s) !== undefined && !IDENTITY_SCOPES.has(s))
}
