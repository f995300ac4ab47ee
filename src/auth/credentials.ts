/**
 * Who is calling: the Bearer credential of a request, resolved against the fixtures and the
 * tokens the mock signed. Which kinds an operation accepts comes from its `security` in the
 * spec; each scheme is one authenticator here.
 */
import type { FastifyRequest } from 'fastify'
import type { MockContext } from '../context.js'
import { APP_USER_TOKEN_ISSUER, TENANT_CLAIM, verifyJwt } from '../crypto/jwt.js'
import { MockError, unauthorized } from '../errors.js'
import { permissionScopes, splitScope } from '../oauth/scopes.js'
import type { ApiKey } from '../state/fixtures.js'

/** A fixture API key (company or app key). */
export interface ApiKeyCredential {
  kind: 'api_key'
  apiKey: ApiKey
  permissions: string[]
}

/** An access token from one of the OAuth token endpoints. */
export interface OAuthTokenCredential {
  kind: 'oauth_token'
  userId: string
  clientId: string
  scopes: string[]
  companyId: string | null
  /** What the token may pass on to POST /api/v1/access_tokens: its permission scopes. */
  permissions: string[]
  /** The grant the token stands for: tokens minted with it carry it on. */
  grantId: string
  /** When the token expires: no token minted with it outlives it. */
  expiresAtMs: number
}

/** A token minted by POST /api/v1/access_tokens. */
export interface UserAccessTokenCredential {
  kind: 'user_access_token'
  userId: string | null
  companyId: string | null
  permissions: string[]
  /** The OAuth grant at the root of its minting, if any: revoking it revokes this token. */
  grantId: string | null
  expiresAtMs: number
}

/** An embedded-app user token (x-whop-user-token). */
export interface AppUserTokenCredential {
  kind: 'app_user_token'
  userId: string
  appId: string
}

export type Credential = ApiKeyCredential | OAuthTokenCredential | UserAccessTokenCredential | AppUserTokenCredential

declare module 'fastify' {
  interface FastifyRequest {
    credential?: Credential
  }
}

/** The credential the route's security scheme settled before the handler ran; a route without one is 401. */
export function requireCredential(request: FastifyRequest): Credential {
  if (request.credential === undefined) throw unauthorized()
  return request.credential
}

/** The token of an `Authorization: Bearer <token>` header, or null. The scheme is case-insensitive (RFC 6750). */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (header === undefined) return null
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? null
}

/** RFC 6750 §3: a 401 names the scheme, and the error when a token was sent. */
function rejected(message?: string) {
  return unauthorized(message).withHeaders({ 'www-authenticate': 'Bearer realm="whop-auth-mock", error="invalid_token"' })
}

const TOKEN_MESSAGE = 'The access token is missing, malformed, expired or revoked.'

type VerifiedClaims = Extract<Awaited<ReturnType<typeof verifyJwt>>, { ok: true }>['claims']

/** Verify a mock-signed JWT and return its claims; any failure is the same 401. */
async function verifiedClaims(context: MockContext, token: string, issuer: string): Promise<VerifiedClaims> {
  const result = await context.verifiedTokens.verify(token, context.clock.nowSeconds(), issuer)
  if (!result.ok) throw rejected(TOKEN_MESSAGE)
  return result.claims
}

/** A string claim, or null when absent (or, in a token the mock did not shape, not a string). */
const textClaim = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const textsClaim = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])

/** An OAuth access token is honoured while its grant is: a replayed code revokes it. */
async function asOAuthToken(context: MockContext, claims: VerifiedClaims): Promise<OAuthTokenCredential> {
  if (claims.token_use !== 'oauth_access_token' || typeof claims.gid !== 'string' || !(await context.grants.isGrantActive(claims.gid)))
    throw rejected(TOKEN_MESSAGE)
  const clientId = textClaim(claims.client_id)
  if (clientId === null) throw rejected(TOKEN_MESSAGE)
  const scopes = splitScope(textClaim(claims.scope))
  return {
    kind: 'oauth_token',
    userId: claims.sub,
    clientId,
    scopes,
    companyId: textClaim(claims.company_id),
    permissions: permissionScopes(scopes),
    grantId: claims.gid,
    expiresAtMs: claims.exp * 1000,
  }
}

/** A v1 token is honoured while the OAuth grant it was minted under (if any) is. */
async function asUserAccessToken(context: MockContext, claims: VerifiedClaims): Promise<UserAccessTokenCredential> {
  if (claims.token_use !== 'access_token') throw rejected(TOKEN_MESSAGE)
  const grantId = textClaim(claims.gid)
  if (grantId !== null && !(await context.grants.isGrantActive(grantId))) throw rejected(TOKEN_MESSAGE)
  return {
    kind: 'user_access_token',
    userId: textClaim(claims.user_id),
    companyId: textClaim(claims.company_id),
    permissions: textsClaim(claims.scoped_actions),
    grantId,
    expiresAtMs: claims.exp * 1000,
  }
}

/** A token this mock signed for a user or company: an OAuth access token or an /access_tokens token. */
function asSignedToken(context: MockContext, claims: VerifiedClaims): Promise<OAuthTokenCredential | UserAccessTokenCredential> {
  return claims.token_use === 'oauth_access_token' ? asOAuthToken(context, claims) : asUserAccessToken(context, claims)
}

function requireBearer(request: FastifyRequest): string {
  const token = bearerToken(request)
  if (token === null) throw rejected('An Authorization: Bearer token is required.')
  return token
}

/** Our JWTs have three dot-separated parts; fixture API keys never do. */
const looksLikeJwt = (token: string) => token.split('.').length === 3

type Authenticator = (context: MockContext, request: FastifyRequest) => Promise<Credential>

/** Security scheme name in the spec → how a request proves it. */
const AUTHENTICATORS: Record<string, Authenticator> = {
  /**
   * A company or app API key, a user OAuth token, or a token from /access_tokens [D S3 bearerAuth].
   * Every failure is the documented v1 401 "Invalid or missing API key" (reference §6 item 14).
   */
  async bearerAuth(context, request) {
    const token = bearerToken(request)
    if (token === null) throw unauthorized()
    if (!looksLikeJwt(token)) {
      const apiKey = context.fixtures.apiKey(token)
      if (apiKey === undefined) throw unauthorized()
      return { kind: 'api_key', apiKey, permissions: apiKey.permissions }
    }
    try {
      return await asSignedToken(context, await verifiedClaims(context, token, context.issuer))
    } catch (error) {
      // The shared state store being away is no verdict on the token.
      if (error instanceof MockError && error.status === 503) throw error
      throw unauthorized()
    }
  },
  async oauthAccessToken(context, request) {
    return asOAuthToken(context, await verifiedClaims(context, requireBearer(request), context.issuer))
  },
  async appUserToken(context, request) {
    const claims = await verifiedClaims(context, requireBearer(request), APP_USER_TOKEN_ISSUER)
    // verifyUserToken insists on a single-string aud [D NEW verify-user-token.ts].
    if (typeof claims.aud !== 'string') throw rejected(TOKEN_MESSAGE)
    // The issuer is fixed, so the tenant claim is what keeps one tenant's user tokens out of another.
    if (textClaim(claims[TENANT_CLAIM]) !== context.tenantName) throw rejected(TOKEN_MESSAGE)
    return { kind: 'app_user_token', userId: claims.sub, appId: claims.aud }
  },
  /** Tokens that name a user: OAuth access tokens, and user tokens from /access_tokens. */
  async userToken(context, request) {
    const credential = await asSignedToken(context, await verifiedClaims(context, requireBearer(request), context.issuer))
    if (credential.userId === null) throw rejected('This token is for a company, not a user.')
    return credential
  },
}

/** The authenticator for an operation's security schemes; null when the operation is open. */
export function authenticatorFor(schemes: string[]): Authenticator | null {
  if (schemes.length === 0) return null
  const known = schemes.map((name) => {
    const authenticator = AUTHENTICATORS[name]
    if (authenticator === undefined) throw new Error(`security scheme ${name} has no authenticator`)
    return authenticator
  })
  const [only] = known
  if (known.length === 1 && only !== undefined) return only
  // Several schemes: the first that accepts the request wins; the first one's error stands.
  return async (context, request) => {
    let firstError: unknown
    for (const authenticate of known) {
      try {
        return await authenticate(context, request)
      } catch (error) {
        firstError ??= error
      }
    }
    throw firstError
  }
}
