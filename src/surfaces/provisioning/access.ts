/**
 * Who may provision what: the permissions @whop/sdk documents per operation, and which
 * companies a credential reaches. A key reaches its `company_ids` and the connected accounts
 * created under them; a user token reaches the companies its user belongs to.
 * @see docs/whop-reference.md §10
 */
import type { Credential } from '../../auth/credentials.js'
import { forbidden, unauthorized } from '../../errors.js'
import type { FixtureSet } from '../../state/fixtures.js'

/** 403 in the v1 envelope naming the first permission the credential lacks. */
export function requirePermissions(credential: Credential, needed: readonly string[]): void {
  const held = credential.kind === 'app_user_token' ? [] : credential.permissions
  const missing = needed.filter((permission) => !held.includes(permission))
  if (missing.length > 0)
    throw forbidden(null, `You do not have permission to access this resource: this operation needs the ${missing.join(', ')} permission.`)
}

/** Companies the credential may act on. */
export function reachableCompanies(fixtures: FixtureSet, credential: Credential): string[] {
  switch (credential.kind) {
    case 'api_key': {
      const direct = credential.apiKey.company_ids
      const children = fixtures.data.companies.filter((c) => c.parent_company_id !== undefined && direct.includes(c.parent_company_id))
      return [...direct, ...children.map((c) => c.id)]
    }
    case 'oauth_token':
    case 'user_access_token': {
      if (credential.companyId !== null) return [credential.companyId]
      const userId = credential.userId
      return userId === null ? [] : fixtures.data.companies.filter((c) => c.member_ids.includes(userId)).map((c) => c.id)
    }
    case 'app_user_token':
      throw unauthorized()
  }
}

export function requireCompany(fixtures: FixtureSet, credential: Credential, companyId: string, param: string): void {
  if (!reachableCompanies(fixtures, credential).includes(companyId))
    throw forbidden(param, `You do not have permission to access this resource: ${companyId} is not a company this credential reaches.`)
}
