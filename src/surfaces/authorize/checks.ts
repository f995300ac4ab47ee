/**
 * The protocol checks of an authorize request once its client is verified: failures go back to
 * the client as `error` + `error_description` (RFC 6749 §4.1.2.1).
 * @see docs/whop-reference.md §2.2 Authorize, §6 items 4, 27-29
 */
import type { MockContext } from '../../context.js'
import { given } from '../../http/params.js'
import { isS256Challenge } from '../../oauth/pkce.js'
import { scopeCatalogFor } from '../../oauth/scope-catalog.js'
import { splitScope } from '../../oauth/scopes.js'
import type { Flow } from '../../state/grants.js'
import type { AuthorizeRequest } from '../../state/sign-in.js'
import { RedirectableError } from '../../errors.js'

type CurrentQuery = Partial<Record<'response_type' | 'scope' | 'nonce' | 'code_challenge' | 'code_challenge_method' | 'company_id', string>>

export type CheckedRequest = Pick<AuthorizeRequest, 'scope' | 'nonce' | 'codeChallenge' | 'companyId'>

function checkScope(context: MockContext, scope: string | undefined): string[] {
  const scopes = splitScope(scope)
  if (scopes.length === 0) throw new RedirectableError('invalid_request', 'scope is required.')
  const verdict = scopeCatalogFor(context.fixtures.data).judge(scopes, context.settings.strictScopes)
  if (verdict.invalid.length > 0) throw new RedirectableError('invalid_scope', `Unknown scope: ${verdict.invalid.join(' ')}.`)
  return scopes
}

function checkChallenge(query: CurrentQuery): string {
  const challenge = given(query.code_challenge)
  if (challenge === undefined) throw new RedirectableError('invalid_request', 'code_challenge is required (PKCE with S256).')
  if ((query.code_challenge_method ?? '') !== 'S256') throw new RedirectableError('invalid_request', 'code_challenge_method must be S256.')
  if (!isS256Challenge(challenge))
    throw new RedirectableError('invalid_request', 'code_challenge must be 43 base64url characters (SHA-256 of the verifier).')
  return challenge
}

/** The current flow's protocol checks [D D-OAUTH; T4, T6 for nonce]. */
function checkCurrentRequest(context: MockContext, query: CurrentQuery): CheckedRequest {
  if (query.response_type !== 'code') throw new RedirectableError('unsupported_response_type', 'response_type must be code.')
  const scopes = checkScope(context, query.scope)
  const codeChallenge = checkChallenge(query)
  const nonce = given(query.nonce)
  if (scopes.includes('openid') && nonce === undefined && !context.settings.allowOpenidWithoutNonce)
    throw new RedirectableError('invalid_request', 'nonce is required when scope includes openid.')
  const companyId = given(query.company_id)
  if (companyId !== undefined && context.fixtures.company(companyId) === undefined) {
    throw new RedirectableError('invalid_request', `company_id ${companyId} is not a known company.`)
  }
  return { scope: scopes.join(' '), nonce: nonce ?? null, codeChallenge, companyId: companyId ?? null }
}

/** The legacy page checks nothing more: its scope is free-form and echoed as given [D S2]. */
export function checkRequest(context: MockContext, query: CurrentQuery, flow: Flow): CheckedRequest {
  return flow === 'current'
    ? checkCurrentRequest(context, query)
    : { scope: query.scope ?? '', nonce: null, codeChallenge: null, companyId: null }
}
