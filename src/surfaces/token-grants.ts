/**
 * The two grants of the token endpoints, each one grant-store operation: gather the request's
 * inputs, let the store decide and apply in one call, and turn a refusal into the era's error.
 * @see docs/whop-reference.md §6 items 1-6, 10, 11
 */
import type { AuthenticatedClient } from '../auth/client-auth.js'
import { invalidGrant, invalidScope, parameterMissing } from '../errors.js'
import type { Schemas } from '../handlers.js'
import { given } from '../http/params.js'
import { verifierEvidence } from '../oauth/pkce.js'
import { splitScope } from '../oauth/scopes.js'
import type { CodeRefusal, Grant, RefreshRefusal } from '../state/grants.js'
import type { GrantOperations } from '../state/store.js'
import type { TokenEra } from '../eras.js'

export type TokenRequestBody = Schemas['TokenRequest']

/** What a grant decided, before anything is signed. */
export interface Issuance {
  grant: Readonly<Grant>
  scope: string
  accessExpiresAtMs: number
  refreshToken: string | null
  idToken: boolean
}

const CODE_REFUSALS: Record<CodeRefusal, string> = {
  unknown: 'Invalid authorization code',
  wrong_client: 'Authorization code was issued to another client',
  replayed: 'Authorization code has already been used',
  expired: 'Authorization code has expired',
  wrong_flow: 'Authorization code was issued by another authorize page than this endpoint serves',
  redirect_mismatch: 'redirect_uri does not match the redirection URI used in the authorization request',
  verifier_missing: 'code_verifier is required',
  verifier_mismatch: 'code_verifier does not match the code_challenge',
}

function refreshRefusalText(refused: RefreshRefusal): string {
  switch (refused.refusal) {
    case 'invalid':
      return 'Refresh token is invalid, expired or revoked'
    case 'reused':
      return 'Refresh token was already used; reusing it revokes the grant it belonged to'
    case 'wrong_client':
      return 'Refresh token was issued to another client'
    case 'wrong_flow':
      return 'Refresh token was issued under another flow than this endpoint serves'
    case 'scope_exceeded':
      return 'The requested scope exceeds the scope granted at first.'
    case 'company_mismatch':
      return refused.grantedCompanyId === null
        ? 'company_id was not given at authorize'
        : `company_id ${refused.grantedCompanyId} given at authorize must be sent again on refresh`
  }
}

export function required(body: TokenRequestBody, name: 'code' | 'refresh_token' | 'grant_type'): string {
  const value = given(body[name])
  if (value === undefined) throw parameterMissing(name)
  return value
}

export class TokenGrants {
  constructor(
    readonly store: GrantOperations,
    readonly era: TokenEra,
    /** Read at each refresh: the control API may flip the setting between requests. */
    readonly reuseRevokesGrant: () => boolean,
  ) {}

  /** Every invalid_grant of this era: its fixed text (legacy, Doorkeeper's) or the specific one. */
  fail(specific: string): never {
    throw invalidGrant(this.era.invalidGrantText ?? specific)
  }

  accessExpiry(nowMs: number): number {
    return nowMs + this.era.accessTokenTtlSeconds * 1000
  }

  async authorizationCode(client: AuthenticatedClient, body: TokenRequestBody, nowMs: number): Promise<Issuance> {
    const accessExpiresAtMs = this.accessExpiry(nowMs)
    const result = await this.store.redeemCode({
      code: required(body, 'code'),
      clientId: client.app.id,
      flow: this.era.flow,
      redirectUri: given(body.redirect_uri) ?? null,
      pkce: this.era.pkce ? verifierEvidence(given(body.code_verifier)) : null,
      issueRefreshToken: this.era.fields.includes('refresh_token'),
      nowMs,
      accessExpiresAtMs,
    })
    if (!result.ok) this.fail(CODE_REFUSALS[result.refusal])
    const { grant, refreshToken } = result
    return { grant, scope: grant.scope, accessExpiresAtMs, refreshToken, idToken: grant.scopes.includes('openid') }
  }

  async refreshToken(client: AuthenticatedClient, body: TokenRequestBody, nowMs: number): Promise<Issuance> {
    const accessExpiresAtMs = this.accessExpiry(nowMs)
    const requested = given(body.scope)
    const result = await this.store.rotateRefreshToken({
      token: required(body, 'refresh_token'),
      clientId: client.app.id,
      flow: this.era.flow,
      stickyCompanyId: this.era.stickyCompanyId ? { given: given(body.company_id) ?? null } : null,
      requestedScopes: requested === undefined ? null : splitScope(requested),
      reuseRevokesGrant: this.reuseRevokesGrant(),
      nowMs,
      accessExpiresAtMs,
    })
    if (!result.ok) {
      if (result.refusal === 'scope_exceeded') throw invalidScope(refreshRefusalText(result))
      this.fail(refreshRefusalText(result))
    }
    const { grant, refreshToken } = result
    return { grant, scope: requested ?? grant.scope, accessExpiresAtMs, refreshToken, idToken: false }
  }
}
