/**
 * The v2 OAuth reads: GET /v2/oauth/user, /v2/oauth/info and /v2/oauth/company (and their
 * /api/v2 spellings), for a v2 token. "The company" is the one selling the software: the
 * OAuth app's company [D V2J descriptions].
 * Mock choices: V2J marks no field required and types them as strings, so a fixture value that is
 * null (a user without a name or email) is left out rather than sent as null; `social_accounts`
 * and `roles` are left out (the mock models neither); `authorized_user` is present when the user
 * is an admin or the owner of the app's company; `experiences` is empty (no experiences modelled).
 * @see docs/whop-reference.md §2.5 v2 [D V2J]
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import type { Credential } from '../auth/credentials.js'
import { notFound, unauthorized } from '../errors.js'
import type { Company, User } from '../state/fixtures.js'

function callerOf(context: MockContext, credential: Credential | undefined): { user: User; company: Company } {
  if (credential?.kind !== 'oauth_token') throw unauthorized()
  const user = context.fixtures.user(credential.userId)
  if (user === undefined) throw unauthorized()
  const companyId = credential.companyId ?? context.fixtures.app(credential.clientId)?.company_id
  const company = companyId === undefined ? undefined : context.fixtures.company(companyId)
  if (company === undefined) throw notFound(null, `No such Resource found with the provided ID: ${companyId ?? credential.clientId}`)
  return { user, company }
}

function v2User(user: User, company: Company) {
  const owner = company.owner_user_id === user.id
  const admin = owner || company.admin_ids?.includes(user.id) === true
  return {
    id: user.id,
    ...(user.name === null ? {} : { name: user.name }),
    username: user.username,
    ...(user.email === null ? {} : { email: user.email }),
    ...(user.profile_pic_url === null ? {} : { profile_pic_url: user.profile_pic_url }),
    ...(admin ? { authorized_user: { role: owner ? 'owner' : 'admin', permission_level: owner ? '0' : '1', company: company.id } } : {}),
  }
}

function v2Company(company: Company) {
  return {
    id: company.id,
    title: company.title,
    route: company.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, ''),
  }
}

export function v2IdentityHandlers(context: MockContext): Handlers<'getUserV2' | 'getInfoV2' | 'getCompanyV2'> {
  return {
    getUserV2(request) {
      const { user, company } = callerOf(context, request.credential)
      return v2User(user, company)
    },
    getInfoV2(request) {
      const { user, company } = callerOf(context, request.credential)
      return { user: v2User(user, company), company: v2Company(company), experiences: [] }
    },
    getCompanyV2(request) {
      return v2Company(callerOf(context, request.credential).company)
    },
  }
}
