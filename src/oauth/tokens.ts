/**
 * The JWTs OAuth hands out: access tokens (1 h in the current era [D D-OAUTH]) that carry their
 * grant's id, so revoking a grant kills them, and OpenID id_tokens [T2, T4].
 */
import type { MockContext } from '../context.js'
import { signJwt, type TokenUse } from '../crypto/jwt.js'
import type { Grant } from '../state/grants.js'
import type { User } from '../state/fixtures.js'
import { identityClaims } from './identity-claims.js'
import { splitScope } from './scopes.js'
import { userInCompany } from '../state/company-profile.js'

/** id_tokens live as long as current-era access tokens. */
const ID_TOKEN_TTL_SECONDS = 3600

export function signOAuthAccessToken(
  context: MockContext,
  grant: Grant,
  scope: string,
  nowMs: number,
  expiresAtMs: number,
): Promise<string> {
  return signJwt(
    context.key,
    {
      iss: context.issuer,
      sub: grant.userId,
      client_id: grant.clientId,
      scope,
      company_id: grant.companyId,
      gid: grant.id,
      token_use: 'oauth_access_token' satisfies TokenUse,
    },
    { issuedAt: Math.floor(nowMs / 1000), expiresAt: Math.floor(expiresAtMs / 1000) },
  )
}

/** `aud` is the client id; `nonce` is the authorize request's; profile and email claims follow the scope. */
export function signIdToken(context: MockContext, grant: Grant, user: User, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000)
  return signJwt(
    context.key,
    {
      ...identityClaims(userInCompany(user, grant.companyId), splitScope(grant.scope)),
      iss: context.issuer,
      sub: user.id,
      ...(grant.nonce === null ? {} : { nonce: grant.nonce }),
      auth_time: issuedAt,
      token_use: 'id_token' satisfies TokenUse,
    },
    { issuedAt, expiresAt: issuedAt + ID_TOKEN_TTL_SECONDS, audience: grant.clientId },
  )
}
