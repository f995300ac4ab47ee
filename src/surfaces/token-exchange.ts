/**
 * One engine for every token endpoint (POST /oauth/token, /api/v3/oauth/token, /v5/oauth/token,
 * /v2/oauth/token, /api/oauth/token). Each spec operation names its era with `x-token-era`;
 * the era row says what differs. Everything that decides a code's or refresh token's fate runs
 * synchronously before the first await, so concurrent exchanges cannot both win.
 * @see whop-auth-reference §2.2, §2.4, §6 items 1-6, 10, 11, 24-27
 */
import type { FastifyRequest } from 'fastify'
import type { HandlerTable, MockContext } from '../context.js'
import { authenticateClient, type AuthenticatedClient } from '../auth/client-auth.js'
import { RAW_BASIC_NOTE } from '../auth/basic-credentials.js'
import { invalidGrant, invalidScope, parameterMissing, unsupportedGrantType } from '../errors.js'
import { given } from '../http/params.js'
import { verifierMatches } from '../oauth/pkce.js'
import { splitScope } from '../oauth/scopes.js'
import { signIdToken, signOAuthAccessToken } from '../oauth/tokens.js'
import type { Grant } from '../state/grants.js'
import { resolveEra, type GrantType, type ResponseField, type TokenEra } from './eras.js'

type TokenRequestBody = Partial<
  Record<'grant_type' | 'code' | 'redirect_uri' | 'code_verifier' | 'refresh_token' | 'company_id' | 'scope', string>
>

/** What a grant step decided, before anything is signed. */
interface Issuance {
  grant: Grant
  scope: string
  accessExpiresAtMs: number
  refreshToken: string | null
  idToken: boolean
}

function required(body: TokenRequestBody, name: 'code' | 'refresh_token' | 'grant_type'): string {
  const value = given(body[name])
  if (value === undefined) throw parameterMissing(name)
  return value
}

class GrantSteps {
  constructor(
    readonly context: MockContext,
    readonly era: TokenEra,
  ) {}

  /** Every invalid_grant of this era: its fixed text (legacy, Doorkeeper's) or the specific one. */
  fail(specific: string): never {
    throw invalidGrant(this.era.invalidGrantText ?? specific)
  }

  accessExpiry(nowMs: number): number {
    return nowMs + this.era.accessTokenTtlSeconds * 1000
  }

  /** @see whop-auth-reference §6 items 1-4, 6 */
  authorizationCode(client: AuthenticatedClient, body: TokenRequestBody, nowMs: number): Issuance {
    const code = required(body, 'code')
    const store = this.context.grants
    const found = store.lookupCode(code)
    if (found.kind === 'unknown') this.fail('Invalid authorization code')
    const record = found.record
    if (record.clientId !== client.app.id) this.fail('Authorization code was issued to another client')
    if (found.kind === 'replayed') {
      store.revokeReplayed(record)
      this.fail('Authorization code has already been used')
    }
    if (found.kind === 'expired') this.fail('Authorization code has expired')
    if (record.flow !== this.era.flow) this.fail('Authorization code was issued by another authorize page than this endpoint serves')
    const redirectUri = given(body.redirect_uri)
    if (redirectUri !== record.redirectUri && !(redirectUri === undefined && record.redirectUriGiven === false)) {
      this.fail('redirect_uri does not match the redirection URI used in the authorization request')
    }
    if (this.era.pkce && record.codeChallenge !== null) {
      const verifier = given(body.code_verifier)
      if (verifier === undefined) this.fail('code_verifier is required')
      if (!verifierMatches(verifier, record.codeChallenge)) this.fail('code_verifier does not match the code_challenge')
    }
    const accessExpiresAtMs = this.accessExpiry(nowMs)
    const grant = store.redeem(record, accessExpiresAtMs)
    return {
      grant,
      scope: grant.scope,
      accessExpiresAtMs,
      refreshToken: this.era.fields.includes('refresh_token') ? store.issueRefreshToken(grant) : null,
      idToken: splitScope(grant.scope).includes('openid'),
    }
  }

  /** @see whop-auth-reference §6 items 10, 11 */
  refreshToken(client: AuthenticatedClient, body: TokenRequestBody, nowMs: number): Issuance {
    const token = required(body, 'refresh_token')
    const store = this.context.grants
    const live = store.lookupRefreshToken(token)
    if (live.kind === 'invalid') this.fail('Refresh token is invalid, expired or revoked')
    const grant = live.grant
    if (grant.clientId !== client.app.id) this.fail('Refresh token was issued to another client')
    // As with codes: a refresh token is redeemed only where its flow's tokens come from.
    if (grant.flow !== this.era.flow) this.fail('Refresh token was issued under another flow than this endpoint serves')
    if (this.era.stickyCompanyId && (given(body.company_id) ?? null) !== grant.companyId) {
      this.fail(
        grant.companyId === null
          ? 'company_id was not given at authorize'
          : `company_id ${grant.companyId} given at authorize must be sent again on refresh`,
      )
    }
    const requested = given(body.scope)
    const granted = splitScope(grant.scope)
    if (requested !== undefined && !splitScope(requested).every((s) => granted.includes(s))) {
      throw invalidScope('The requested scope exceeds the scope granted at first.')
    }
    const accessExpiresAtMs = this.accessExpiry(nowMs)
    return {
      grant,
      scope: requested ?? grant.scope,
      accessExpiresAtMs,
      refreshToken: store.rotateRefreshToken(live, accessExpiresAtMs),
      idToken: false,
    }
  }
}

async function respond(context: MockContext, era: TokenEra, issued: Issuance, nowMs: number): Promise<Record<string, unknown>> {
  const accessToken = await signOAuthAccessToken(context, issued.grant, issued.scope, nowMs, issued.accessExpiresAtMs)
  const user = context.fixtures.user(issued.grant.userId)
  const values: Record<ResponseField, () => unknown> = {
    access_token: () => accessToken,
    refresh_token: () => issued.refreshToken ?? undefined,
    token_type: () => era.tokenType,
    expires_in: () => era.accessTokenTtlSeconds,
    scope: () => issued.scope,
    created_at: () => Math.floor(nowMs / 1000),
    id_token: () => (issued.idToken && user !== undefined ? signIdToken(context, issued.grant, user, nowMs) : undefined),
  }
  const body: Record<string, unknown> = {}
  for (const name of era.fields) {
    const value = await values[name]()
    if (value !== undefined) body[name] = value
  }
  return body
}

function exchangeHandler(context: MockContext, era: TokenEra) {
  const steps = new GrantSteps(context, era)
  return async (request: FastifyRequest) => {
    const body = (request.body ?? {}) as TokenRequestBody & Record<string, unknown>
    const grantType = (
      era.defaultGrantType === null ? required(body, 'grant_type') : (given(body.grant_type) ?? era.defaultGrantType)
    ) as GrantType
    if (!era.grantTypes.includes(grantType)) throw unsupportedGrantType(grantType)
    // Client first: failing it must leave the code untouched [T1].
    const client = authenticateClient(context.fixtures, body, request.headers.authorization, {
      acceptAppApiKey: era.acceptAppApiKeyAsSecret,
      fixedMessage: era.invalidClientText,
    })
    if (client.rawBasic) request.journalNote = RAW_BASIC_NOTE
    const nowMs = context.clock.nowMs()
    const issued =
      grantType === 'authorization_code' ? steps.authorizationCode(client, body, nowMs) : steps.refreshToken(client, body, nowMs)
    return respond(context, era, issued, nowMs)
  }
}

/** One handler per spec operation that names a token era. */
export function tokenExchangeHandlers(context: MockContext): HandlerTable {
  const table: HandlerTable = {}
  for (const operation of context.spec.operations) {
    const eraName = operation.extensions['x-token-era']
    if (eraName !== undefined) table[operation.operationId] = exchangeHandler(context, resolveEra(eraName))
  }
  return table
}
