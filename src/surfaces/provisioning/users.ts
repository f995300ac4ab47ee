/**
 * Users through the v1 API: retrieve (by `user_` id or username), update (a company-specific
 * profile with `account_id`, else the global one) and checkAccess.
 * Mock choices, from @whop/sdk 0.0.42 resources/users.ts: an API key must send `account_id` to
 * update (the SDK: "an API key updates the user's account-specific profile override
 * (account_id required)"; the chat guide's "without a company ID, the global profile" is what a
 * user token gets); a user token may update only its own user. A public profile is readable by
 * any credential; `account_id` shows that company's overrides and must be a company the caller
 * reaches. The overrides also show in userinfo, id_tokens and /users/me for a token scoped to
 * that company.
 * @see docs/whop-reference.md §2.5 v1, §10 [D S1]
 */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { requireCredential } from '../../auth/credentials.js'
import type { Credential } from '../../auth/credentials.js'
import { forbidden, notFound, parameterInvalid, parameterMissing } from '../../errors.js'
import type { CompanyProfile, User } from '../../state/fixtures.js'
import { requireCompany } from './access.js'
import { readyFileUrl } from './files.js'
import { userView } from './views.js'

interface UpdateBody {
  name?: string
  bio?: string
  username?: string
  profile_picture?: { id?: string; direct_upload_id?: string }
}

function userByTagOrName(context: MockContext, idOrName: string, param: string): User {
  const user = context.fixtures.user(idOrName) ?? context.fixtures.userByUsername(idOrName)
  if (user === undefined) throw notFound(param)
  return user
}

function tokenUserId(credential: Credential): string | null {
  return credential.kind === 'oauth_token' || credential.kind === 'user_access_token' ? credential.userId : null
}

function pictureUrl(context: MockContext, picture: UpdateBody['profile_picture']): string | undefined {
  if (picture === undefined) return undefined
  const fileId = picture.id ?? picture.direct_upload_id
  if (fileId === undefined) throw parameterMissing('profile_picture', 'Missing required parameter: profile_picture.id.')
  return readyFileUrl(context, fileId)
}

function updateCompanyProfile(context: MockContext, user: User, companyId: string, body: UpdateBody): void {
  if (!context.fixtures.isMember(user.id, companyId)) throw forbidden('account_id', `${user.id} is not a member of ${companyId}.`)
  const profile: CompanyProfile = { ...user.company_profiles?.[companyId] }
  if (body.name !== undefined) profile.name = body.name
  const url = pictureUrl(context, body.profile_picture)
  if (url !== undefined) profile.profile_pic_url = url
  user.company_profiles = { ...user.company_profiles, [companyId]: profile }
}

function updateGlobalProfile(context: MockContext, user: User, body: UpdateBody): void {
  if (body.username !== undefined && body.username !== user.username) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(body.username)) throw parameterInvalid('username', 'Invalid parameter: username.')
    if (context.fixtures.userByUsername(body.username) !== undefined)
      throw parameterInvalid('username', 'Invalid parameter: username is taken.')
    user.username = body.username
  }
  if (body.name !== undefined) user.name = body.name
  if (body.bio !== undefined) user.bio = body.bio
  const url = pictureUrl(context, body.profile_picture)
  if (url !== undefined) user.profile_pic_url = url
}

export function userHandlers(context: MockContext): Handlers<'retrieveUser' | 'updateUser' | 'checkUserAccess'> {
  return {
    retrieveUser(request) {
      const credential = requireCredential(request)
      const { id } = request.params
      const accountId = request.query.account_id ?? null
      const user = userByTagOrName(context, id, 'id')
      if (accountId !== null) requireCompany(context.fixtures, credential, accountId, 'account_id')
      return userView(user, accountId)
    },

    updateUser(request) {
      const credential = requireCredential(request)
      const { id } = request.params
      const accountId = request.query.account_id ?? null
      const body = request.body ?? {}
      const self = tokenUserId(credential)
      const user = userByTagOrName(context, id === 'me' && self !== null ? self : id, 'id')
      if (credential.kind === 'api_key') {
        if (accountId === null) throw parameterMissing('account_id', 'Missing required parameter: account_id (required for API keys).')
      } else if (self !== user.id) {
        throw forbidden('id', 'A user token may update only its own user.')
      }
      if (accountId === null) updateGlobalProfile(context, user, body)
      else {
        if (context.fixtures.company(accountId) === undefined) throw notFound('account_id')
        requireCompany(context.fixtures, credential, accountId, 'account_id')
        updateCompanyProfile(context, user, accountId, body)
      }
      return userView(user, accountId)
    },

    checkUserAccess(request) {
      const credential = requireCredential(request)
      const { id, resource_id: resourceId } = request.params
      const user = userByTagOrName(context, id, 'id')
      const company = context.fixtures.company(resourceId) ?? context.fixtures.company(context.fixtures.app(resourceId)?.company_id ?? '')
      if (company === undefined) throw notFound('resource_id')
      requireCompany(context.fixtures, credential, company.id, 'resource_id')
      const admin = company.admin_ids?.includes(user.id) === true || company.owner_user_id === user.id
      const accessLevel = admin ? 'admin' : company.member_ids.includes(user.id) ? 'customer' : 'no_access'
      return { has_access: accessLevel !== 'no_access', access_level: accessLevel }
    },
  }
}
