/**
 * Companies through the v1 API: create (with `parent_company_id`, a connected account, as the
 * chat guide's "Sync your users" does) and retrieve.
 * Mock choices: a connected account's owner is the user with the given email, created when
 * no user has it; that user becomes a member of the new company and of the platform (parent)
 * company, so the guide's next step, minting a token for them with the platform's key and
 * company id, works at once. Without `parent_company_id` the company is for the calling user,
 * so an API key must name a parent (400 `parameter_missing`).
 * @see docs/whop-reference.md §10 [D S1, NEW resources/companies.ts]
 */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { requireCredential } from '../../auth/credentials.js'
import type { Credential } from '../../auth/credentials.js'
import { notFound, parameterMissing } from '../../errors.js'
import type { Company, User } from '../../state/fixtures.js'
import { requireCompany, requirePermissions } from './access.js'
import { newId } from './ids.js'
import { createdCount, requireRoom } from './limits.js'
import { companyView } from './views.js'

/** "Required permissions" in @whop/sdk 0.0.42 resources/companies.ts. */
export const COMPANY_PERMISSIONS = {
  create: ['company:create', 'company:basic:read'],
  retrieve: ['company:basic:read'],
} as const

interface CompanyBody {
  title: string
  email?: string | null
  parent_company_id?: string | null
  metadata?: Record<string, unknown> | null
  send_customer_emails?: boolean | null
}

/** The user who will own a connected account: found by email, else created. */
function ownerByEmail(context: MockContext, email: string): User {
  const existing = context.fixtures.data.users.find((u) => u.email?.toLowerCase() === email.toLowerCase())
  if (existing !== undefined) return existing
  requireRoom(createdCount(context.fixtures, context.initialFixtures.users.length, 'users'), 'users')
  const local =
    email
      .split('@')[0]!
      .replace(/[^A-Za-z0-9_.-]/g, '')
      .slice(0, 40) || 'user'
  const taken = (name: string) => context.fixtures.userByUsername(name) !== undefined
  let username = local
  for (let n = 2; taken(username); n++) username = `${local}${n}`
  const user: User = {
    id: newId('user'),
    username,
    name: null,
    email,
    email_verified: false,
    profile_pic_url: null,
    created_at: context.clock.now().toISOString(),
  }
  context.fixtures.addUser(user)
  return user
}

function ownerOf(context: MockContext, credential: Credential, body: CompanyBody): { owner: User; parent: Company | null } {
  const parentId = body.parent_company_id ?? null
  if (parentId === null) {
    const userId = credential.kind === 'oauth_token' || credential.kind === 'user_access_token' ? credential.userId : null
    const user = userId === null ? undefined : context.fixtures.user(userId)
    if (user === undefined)
      throw parameterMissing(
        'parent_company_id',
        'Missing required parameter: parent_company_id (an API key has no user to own a company).',
      )
    return { owner: user, parent: null }
  }
  const parent = context.fixtures.company(parentId)
  if (parent === undefined) throw notFound('parent_company_id')
  requireCompany(context.fixtures, credential, parentId, 'parent_company_id')
  if (body.email === undefined || body.email === null)
    throw parameterMissing('email', 'Missing required parameter: email (required with parent_company_id).')
  return { owner: ownerByEmail(context, body.email), parent }
}

export function companyHandlers(context: MockContext): Handlers<'createCompany' | 'retrieveCompany'> {
  return {
    createCompany(request) {
      const credential = requireCredential(request)
      requirePermissions(credential, COMPANY_PERMISSIONS.create)
      const body = request.body
      requireRoom(createdCount(context.fixtures, context.initialFixtures.companies.length, 'companies'), 'companies')
      const { owner, parent } = ownerOf(context, credential, body)
      const company: Company = {
        id: newId('biz'),
        title: body.title,
        member_ids: [owner.id],
        admin_ids: [owner.id],
        owner_user_id: owner.id,
        metadata: body.metadata ?? null,
        send_customer_emails: body.send_customer_emails ?? false,
        created_at: context.clock.now().toISOString(),
      }
      if (parent !== null) {
        company.parent_company_id = parent.id
        if (!parent.member_ids.includes(owner.id)) parent.member_ids.push(owner.id)
      }
      context.fixtures.addCompany(company)
      return companyView(context.fixtures, company)
    },

    retrieveCompany(request) {
      const credential = requireCredential(request)
      requirePermissions(credential, COMPANY_PERMISSIONS.retrieve)
      const company = context.fixtures.company(request.params.id)
      if (company === undefined) throw notFound('id')
      requireCompany(context.fixtures, credential, company.id, 'id')
      return companyView(context.fixtures, company)
    },
  }
}
