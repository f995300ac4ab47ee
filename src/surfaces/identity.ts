/**
 * Who a token belongs to, in each era's shape: GET /oauth/userinfo (OpenID), GET /v5/me and
 * /api/v5/me (v5), GET /api/v1/users/me (v1). The caller was authenticated by the spec's
 * security scheme before the handler runs.
 * @see docs/whop-reference.md §2.2 Userinfo, §2.5, §6 items 8, 9
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { requireCredential, type Credential } from '../auth/credentials.js'
import { insufficientScope, unauthorized } from '../errors.js'
import { identityClaims } from '../oauth/identity-claims.js'
import type { User } from '../state/fixtures.js'
import { userInCompany } from '../state/company-profile.js'
import { FALLBACK_OTHER_USER, tamperNote, type Tampering } from '../state/tampering.js'

/** Mock choice: fixture users have no sign-up date, so v1 shows one fixed date. */
const FIXTURE_CREATED_AT = '2024-01-01T00:00:00.000Z'

function userOf(context: MockContext, credential: Credential | undefined): User {
  const userId = credential === undefined || credential.kind === 'api_key' ? null : credential.userId
  const user = userId === null ? undefined : context.fixtures.user(userId)
  // The user was removed from the fixtures (a reset with other fixtures): the token names no one.
  if (user === undefined) throw unauthorized('The access token names a user the mock does not know.')
  const companyId = credential?.kind === 'oauth_token' || credential?.kind === 'user_access_token' ? credential.companyId : null
  return userInCompany(user, companyId)
}

export function identityHandlers(context: MockContext): Handlers<'getUserInfo' | 'getMeV5' | 'getCurrentUserV1'> {
  return {
    getUserInfo(request) {
      const credential = requireCredential(request)
      const scopes = credential.kind === 'oauth_token' ? credential.scopes : []
      if (!scopes.includes('openid')) throw insufficientScope('userinfo needs a token granted the openid scope.')
      const claims = identityClaims(userOf(context, credential), scopes)
      const taken = credential.kind === 'oauth_token' ? context.tampering.take('userinfo', credential.clientId) : undefined
      const answer = (tampering: Tampering | undefined) => {
        if (tampering === undefined) return claims
        // other_sub, the one userinfo tampering: another user's sub on this user's claims.
        request.journalNote = tamperNote(tampering)
        return { ...claims, sub: context.fixtures.data.users.find((u) => u.id !== claims.sub)?.id ?? FALLBACK_OTHER_USER }
      }
      return taken instanceof Promise ? taken.then(answer) : answer(taken)
    },

    getMeV5(request) {
      const user = userOf(context, request.credential)
      // V5Y types name and profile_pic_url as strings, optional: absent rather than null [D V5Y].
      return {
        id: user.id,
        username: user.username,
        ...(user.name === null ? {} : { name: user.name }),
        email: user.email,
        ...(user.profile_pic_url === null ? {} : { profile_pic_url: user.profile_pic_url }),
      }
    },

    getCurrentUserV1(request) {
      const user = userOf(context, request.credential)
      return {
        id: user.id,
        username: user.username,
        name: user.name,
        bio: null,
        created_at: FIXTURE_CREATED_AT,
        profile_picture: user.profile_pic_url === null ? null : { url: user.profile_pic_url },
      }
    },
  }
}
