/**
 * POST /api/v1/access_tokens: mint a short-lived, company- or user-scoped ES256 JWT.
 * @see docs/whop-reference.md §2.1 [D S3], §6 items 14-20
 */
import type { MockContext } from '../context.js'
import type { Handlers, Schemas } from '../handlers.js'
import {
  requireCredential,
  type ApiKeyCredential,
  type Credential,
  type OAuthTokenCredential,
  type UserAccessTokenCredential,
} from '../auth/credentials.js'
import { signJwt, type TokenUse } from '../crypto/jwt.js'
import { forbidden, notFound, parameterInvalid, parameterMissing, unauthorized } from '../errors.js'
import type { FixtureSet } from '../state/fixtures.js'

type CreateAccessTokenBody = NonNullable<Schemas['CreateAccessTokenRequest']>

/** Default lifetime 1 h, at most 3 h [D S3]. */
export const DEFAULT_TTL_MS = 60 * 60 * 1000
export const MAX_TTL_MS = 3 * 60 * 60 * 1000

interface Target {
  companyId: string | null
  userId: string | null
}

/** `account_id` is the newer docs' name for `company_id` [I reference §2.1]. */
function companyIdOf(body: CreateAccessTokenBody): string | null {
  const company = body.company_id ?? null
  const account = body.account_id ?? null
  if (company !== null && account !== null && company !== account) {
    throw parameterInvalid('account_id', 'Invalid parameter: account_id is an alias of company_id and differs from it.')
  }
  return company ?? account
}

/**
 * Which company and user an API key's token is for, and whether the key may reach them.
 * @see docs/whop-reference.md §6 items 15 and 19
 */
function apiKeyTarget(fixtures: FixtureSet, credential: ApiKeyCredential, companyId: string | null, userId: string | null): Target {
  if (companyId === null && userId === null) throw parameterMissing('company_id', 'Missing required parameter: company_id or user_id.')
  checkKnown(fixtures, companyId, userId)
  const reachable = credential.apiKey.company_ids
  if (companyId !== null && !reachable.includes(companyId)) throw forbidden('company_id')
  if (userId !== null) {
    const within = companyId === null ? reachable : [companyId]
    if (!within.some((id) => fixtures.isMember(userId, id))) throw forbidden('user_id')
  }
  return { companyId, userId }
}

/**
 * With a user token (OAuth, or one this endpoint minted) the user comes from the token [D S3];
 * the body may name the same user, and a company the user belongs to.
 * @see docs/whop-reference.md §6 item 20
 */
function tokenTarget(
  fixtures: FixtureSet,
  credential: OAuthTokenCredential | UserAccessTokenCredential,
  companyId: string | null,
  userId: string | null,
): Target {
  const tokenUser = credential.userId
  if (userId !== null && tokenUser !== null && userId !== tokenUser) throw forbidden('user_id')
  if (companyId !== null && credential.companyId !== null && companyId !== credential.companyId) throw forbidden('company_id')
  const target = { companyId: companyId ?? credential.companyId, userId: tokenUser ?? userId }
  if (target.companyId === null && target.userId === null)
    throw parameterMissing('company_id', 'Missing required parameter: company_id or user_id.')
  checkKnown(fixtures, target.companyId, target.userId)
  if (tokenUser === null && userId !== null) throw forbidden('user_id')
  if (target.companyId !== null && target.userId !== null && !fixtures.isMember(target.userId, target.companyId))
    throw forbidden('company_id')
  return target
}

function checkKnown(fixtures: FixtureSet, companyId: string | null, userId: string | null): void {
  if (companyId !== null && fixtures.company(companyId) === undefined) throw notFound('company_id')
  if (userId !== null && fixtures.user(userId) === undefined) throw notFound('user_id')
}

function resolveTarget(fixtures: FixtureSet, credential: Credential, body: CreateAccessTokenBody): Target {
  const companyId = companyIdOf(body)
  const userId = body.user_id ?? null
  // The `biz_` and `user_` prefixes are the spec's patterns: validation has refused any other.
  switch (credential.kind) {
    case 'api_key':
      return apiKeyTarget(fixtures, credential, companyId, userId)
    case 'oauth_token':
    case 'user_access_token':
      return tokenTarget(fixtures, credential, companyId, userId)
    case 'app_user_token':
      // The spec's bearerAuth never lets an embedded-app token through; refuse it should that change.
      throw unauthorized()
  }
}

/**
 * Empty or omitted inherits every permission; otherwise a subset is required [D S3].
 * Mock choice: a non-subset is 403 (reference §6 item 16 [I]).
 */
function grantedActions(permissions: string[], requested: string[] | null | undefined): string[] {
  if (requested === null || requested === undefined || requested.length === 0) return [...permissions]
  const missing = requested.filter((action) => !permissions.includes(action))
  if (missing.length > 0) throw forbidden('scoped_actions')
  return [...new Set(requested)]
}

/**
 * Default now + 1 h; at most 3 h; never in the past (reference §6 item 18). Mock choice: a token
 * minted with a token as Bearer never outlives it: the default is cut to the Bearer's expiry, and
 * an explicit `expires_at` past it is refused, so a chain of mints cannot pass the first one's 3 h.
 */
function expiryOf(nowMs: number, requested: string | null | undefined, bearerExpiresAtMs: number): number {
  if (requested === null || requested === undefined) return Math.min(nowMs + DEFAULT_TTL_MS, bearerExpiresAtMs)
  const at = Date.parse(requested)
  if (Number.isNaN(at)) throw parameterInvalid('expires_at', 'Invalid parameter: expires_at must be an ISO 8601 date-time.')
  if (at <= nowMs) throw parameterInvalid('expires_at', 'Invalid parameter: expires_at must be in the future.')
  if (at > nowMs + MAX_TTL_MS) throw parameterInvalid('expires_at', 'Invalid parameter: expires_at can be at most 3 hours from now.')
  if (at > bearerExpiresAtMs)
    throw parameterInvalid('expires_at', 'Invalid parameter: expires_at can be no later than the expiry of the token used to create it.')
  return at
}

/** What a minted token inherits from the Bearer that minted it: the OAuth grant and the expiry bound. */
function lineageOf(credential: Credential): { grantId: string | null; expiresAtMs: number } {
  if (credential.kind === 'oauth_token' || credential.kind === 'user_access_token')
    return { grantId: credential.grantId, expiresAtMs: credential.expiresAtMs }
  return { grantId: null, expiresAtMs: Number.POSITIVE_INFINITY }
}

/** The token's subject: its user, else its company (resolveTarget guarantees one of them). */
function subjectOf(target: Target): string {
  const subject = target.userId ?? target.companyId
  if (subject === null) throw parameterMissing('company_id', 'Missing required parameter: company_id or user_id.')
  return subject
}

export function accessTokenHandlers(context: MockContext): Handlers<'createAccessToken'> {
  return {
    async createAccessToken(request) {
      const credential = requireCredential(request)
      const body = request.body ?? {}
      const target = resolveTarget(context.fixtures, credential, body)
      const actions = grantedActions(credential.kind === 'app_user_token' ? [] : credential.permissions, body.scoped_actions)
      const nowMs = context.clock.nowMs()
      const lineage = lineageOf(credential)
      const expiresAtMs = expiryOf(nowMs, body.expires_at, lineage.expiresAtMs)
      const token = await signJwt(
        context.key,
        {
          iss: context.issuer,
          sub: subjectOf(target),
          company_id: target.companyId,
          user_id: target.userId,
          scoped_actions: actions,
          token_use: 'access_token' satisfies TokenUse,
          // The grant id makes revoking the grant revoke this token too, with no store write here.
          ...(lineage.grantId !== null && { gid: lineage.grantId }),
        },
        { issuedAt: Math.floor(nowMs / 1000), expiresAt: Math.floor(expiresAtMs / 1000) },
      )
      return { token, expires_at: new Date(expiresAtMs).toISOString() }
    },
  }
}
