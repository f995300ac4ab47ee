/**
 * One engine for every token endpoint (POST /oauth/token, /api/v3/oauth/token, /v5/oauth/token,
 * /v2/oauth/token, /api/oauth/token). Each spec operation names its era with `x-token-era`;
 * the era row says what differs. A code's or refresh token's fate is one grant-store operation
 * (token-grants.ts), so of concurrent exchanges exactly one wins.
 * @see docs/whop-reference.md §2.2, §2.4, §6 items 1-6, 10, 11, 24-27
 */
import type { MockContext } from '../context.js'
import type { Handlers, OperationId, OperationRequest } from '../handlers.js'
import { authenticateClient } from '../auth/client-auth.js'
import { unsupportedGrantType } from '../errors.js'
import { RAW_BASIC_NOTE } from '../auth/basic-credentials.js'
import { given } from '../http/params.js'
import { signIdToken, signOAuthAccessToken } from '../oauth/tokens.js'
import { resolveEra, type GrantType, type ResponseField, type TokenEra } from '../eras.js'
import { required, TokenGrants, type Issuance } from './token-grants.js'
import { isIdTokenTampering, tamperNote, type Tampering } from '../state/tampering.js'

/** The operations served by this engine; each names its era with `x-token-era` in the spec. */
type TokenOperation = 'exchangeToken' | 'exchangeTokenV3' | 'exchangeTokenV5' | 'exchangeTokenV2' | 'exchangeTokenWhopApi'

function isGrantTypeOf(era: TokenEra, value: string): value is GrantType {
  return era.grantTypes.some((grantType) => grantType === value)
}

/** The token answer; `tampering` (armed for this client through the control API) spoils its id_token. */
async function respond(
  context: MockContext,
  era: TokenEra,
  issued: Issuance,
  nowMs: number,
  tampering: Tampering | undefined,
): Promise<Record<string, unknown>> {
  const spoil = tampering !== undefined && isIdTokenTampering(tampering.kind) ? tampering.kind : undefined
  const accessToken = await signOAuthAccessToken(context, issued.grant, issued.scope, nowMs, issued.accessExpiresAtMs)
  const user = context.fixtures.user(issued.grant.userId)
  const values: Record<ResponseField, () => unknown> = {
    access_token: () => accessToken,
    refresh_token: () => issued.refreshToken ?? undefined,
    token_type: () => era.tokenType,
    expires_in: () => era.accessTokenTtlSeconds,
    scope: () => issued.scope,
    created_at: () => Math.floor(nowMs / 1000),
    id_token: () => (issued.idToken && user !== undefined ? signIdToken(context, issued.grant, user, nowMs, spoil) : undefined),
  }
  const body: Record<string, unknown> = {}
  for (const name of era.fields) {
    const value = await values[name]()
    if (value !== undefined) body[name] = value
  }
  return body
}

function exchangeHandler(context: MockContext, era: TokenEra) {
  const grants = new TokenGrants(context.grants, era, () => context.settings.revokeGrantOnRefreshReuse)
  return async (request: OperationRequest<TokenOperation>) => {
    const body = request.body
    const grantType = era.defaultGrantType === null ? required(body, 'grant_type') : (given(body.grant_type) ?? era.defaultGrantType)
    if (!isGrantTypeOf(era, grantType)) throw unsupportedGrantType(grantType)
    // Client first: failing it must leave the code untouched [T1].
    const client = authenticateClient(context.fixtures, body, request.headers.authorization, {
      acceptAppApiKey: era.acceptAppApiKeyAsSecret,
      fixedMessage: era.invalidClientText,
    })
    const nowMs = context.clock.nowMs()
    const issued = await (grantType === 'authorization_code'
      ? grants.authorizationCode(client, body, nowMs)
      : grants.refreshToken(client, body, nowMs))
    const taken = issued.idToken && era.fields.includes('id_token') ? context.tampering.take('id_token', client.app.id) : undefined
    const tampering = taken instanceof Promise ? await taken : taken
    const notes = [...(client.rawBasic ? [RAW_BASIC_NOTE] : []), ...(tampering === undefined ? [] : [tamperNote(tampering)])]
    if (notes.length > 0) request.journalNote = notes.join('; ')
    return respond(context, era, issued, nowMs, tampering)
  }
}

/** The era an operation names with `x-token-era`; a token operation without one stops the build. */
function eraOf(context: MockContext, operationId: OperationId): TokenEra {
  const operation = context.spec.operations.find((op) => op.operationId === operationId)
  return resolveEra(operation?.extensions['x-token-era'])
}

/** One handler per token operation, configured by the era its spec entry names. */
export function tokenExchangeHandlers(context: MockContext): Handlers<TokenOperation> {
  const handler = (operationId: TokenOperation) => exchangeHandler(context, eraOf(context, operationId))
  return {
    exchangeToken: handler('exchangeToken'),
    exchangeTokenV3: handler('exchangeTokenV3'),
    exchangeTokenV5: handler('exchangeTokenV5'),
    exchangeTokenV2: handler('exchangeTokenV2'),
    exchangeTokenWhopApi: handler('exchangeTokenWhopApi'),
  }
}
