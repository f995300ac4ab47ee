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
import { FALLBACK_OTHER_APP, spoilIdTokenDraft, spoilSignedIdToken, type IdTokenDraft, type IdTokenTampering } from '../state/tampering.js'

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

/** Another app's id than `clientId`: what an id_token tampered `other_aud` is addressed to. */
function otherAppThan(context: MockContext, clientId: string): string {
  return context.fixtures.data.apps.find((app) => app.id !== clientId)?.id ?? FALLBACK_OTHER_APP
}

/**
 * `aud` is the client id; `nonce` is the authorize request's; profile and email claims follow the
 * scope. `tampering` (armed through the control API) spoils it on purpose.
 */
export async function signIdToken(
  context: MockContext,
  grant: Grant,
  user: User,
  nowMs: number,
  tampering?: IdTokenTampering,
): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000)
  let draft: IdTokenDraft = {
    claims: {
      ...identityClaims(userInCompany(user, grant.companyId), splitScope(grant.scope)),
      iss: context.issuer,
      sub: user.id,
      ...(grant.nonce === null ? {} : { nonce: grant.nonce }),
      auth_time: issuedAt,
      token_use: 'id_token' satisfies TokenUse,
    },
    issuedAt,
    expiresAt: issuedAt + ID_TOKEN_TTL_SECONDS,
    audience: grant.clientId,
  }
  if (tampering !== undefined) draft = spoilIdTokenDraft(tampering, draft, otherAppThan(context, grant.clientId))
  const signed = await signJwt(context.key, draft.claims, {
    issuedAt: draft.issuedAt,
    expiresAt: draft.expiresAt,
    audience: draft.audience,
  })
  return tampering === undefined ? signed : spoilSignedIdToken(tampering, signed)
}
