/**
 * What a user looks like to a client, by scope: shared by userinfo and id_tokens so the two
 * always agree. @see docs/whop-reference.md §2.2 Userinfo [D D-OAUTH]
 */
import type { User } from '../state/fixtures.js'

export interface IdentityClaims {
  sub: string
  name?: string | null
  preferred_username?: string
  picture?: string | null
  email?: string | null
  email_verified?: boolean
}

export function identityClaims(user: User, scopes: readonly string[]): IdentityClaims {
  const claims: IdentityClaims = { sub: user.id }
  if (scopes.includes('profile')) {
    claims.name = user.name
    claims.preferred_username = user.username
    claims.picture = user.profile_pic_url
  }
  if (scopes.includes('email')) {
    claims.email = user.email
    claims.email_verified = user.email !== null && (user.email_verified ?? false)
  }
  return claims
}
