/**
 * OAuth client authentication at the token and revoke endpoints: `client_secret_post`,
 * `client_secret_basic`, or `none` for public apps (which then must use PKCE).
 * It runs before the code is redeemed, so a failure never consumes one [T1].
 * @see docs/whop-reference.md §2.2 Token, §6 items 5 and 23; RFC 6749 §2.3.1
 */
import { safeEqual } from '../crypto/safe-equal.js'
import { invalidClient, parameterInvalid } from '../errors.js'
import { given } from '../http/params.js'
import { parseBasic, type BasicCredentials } from './basic-credentials.js'
import type { FixtureSet, OAuthApp } from '../state/fixtures.js'

export type ClientAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic'

export interface AuthenticatedClient {
  app: OAuthApp
  method: ClientAuthMethod
  /** The secret matched only as sent raw in Basic, not form-decoded (see basic-credentials.ts). */
  rawBasic: boolean
}

export interface ClientAuthPolicy {
  /** The @whop/api era sends the app API key as the client secret [D OLD oauth/index.ts]. */
  acceptAppApiKey: boolean
  /** The description of every invalid_client error, when the era has one fixed text. */
  fixedMessage: string | null
}

export function authenticateClient(
  fixtures: FixtureSet,
  body: { client_id?: string; client_secret?: string },
  authorization: string | undefined,
  policy: ClientAuthPolicy,
): AuthenticatedClient {
  return authenticateWith(fixtures, body, parseBasic(authorization), policy)
}

function authenticateWith(
  fixtures: FixtureSet,
  body: Record<string, unknown>,
  basic: BasicCredentials | null | 'malformed',
  policy: ClientAuthPolicy,
): AuthenticatedClient {
  const fail = (message: string, basic: boolean) => {
    const error = invalidClient(policy.fixedMessage ?? message)
    return basic ? error.withHeaders({ 'www-authenticate': 'Basic realm="whop-auth-mock"' }) : error
  }
  if (basic === 'malformed') throw fail('The Basic authorization header is malformed.', true)
  if (basic !== null && basic.raw !== null && bodyIdDiffers(body, basic)) return authenticateRaw(fixtures, body, basic, policy)
  const bodyId = given(body.client_id)
  const bodySecret = given(body.client_secret)
  if (basic !== null && bodySecret !== undefined) {
    throw parameterInvalid('client_secret', 'Use one client authentication method: Basic or client_secret in the body, not both.')
  }
  if (basic !== null && bodyId !== undefined && bodyId !== basic.id) throw fail('client_id differs from the Basic credentials.', true)
  const clientId = basic?.id ?? bodyId
  if (clientId === undefined) throw fail('Client authentication failed: no client_id was sent.', false)
  const app = fixtures.app(clientId)
  if (app === undefined) throw fail(`Client authentication failed: unknown client ${clientId}.`, basic !== null)
  const secret = basic !== null ? given(basic.secret) : bodySecret
  const method: ClientAuthMethod = secret === undefined ? 'none' : basic !== null ? 'client_secret_basic' : 'client_secret_post'
  if (secret === undefined) {
    // "client_secret is required" is what Whop answered a confidential app without one [T1].
    if (app.client_type === 'confidential') throw fail('client_secret is required', basic !== null)
    return { app, method, rawBasic: false }
  }
  const accepted = [
    ...(app.client_secret === undefined ? [] : [app.client_secret]),
    ...(policy.acceptAppApiKey ? fixtures.appApiKeys(app.id).map((k) => k.key) : []),
  ]
  if (accepted.length === 0)
    throw fail('Client authentication failed: a public client authenticates with PKCE, not a secret.', basic !== null)
  if (!accepted.some((candidate) => safeEqual(secret, candidate))) {
    if (basic?.raw != null && !basic.decodedInvalid) return authenticateRaw(fixtures, body, basic, policy)
    throw fail('Client authentication failed: the client secret is wrong.', basic !== null)
  }
  return { app, method, rawBasic: false }
}

/** The decoded client_id is not the one in the body, but the raw one may be. */
function bodyIdDiffers(body: Record<string, unknown>, basic: BasicCredentials): boolean {
  const bodyId = given(body.client_id)
  return basic.decodedInvalid || (bodyId !== undefined && bodyId !== basic.id)
}

/** The second reading: the Basic credentials exactly as sent. */
function authenticateRaw(
  fixtures: FixtureSet,
  body: Record<string, unknown>,
  basic: BasicCredentials,
  policy: ClientAuthPolicy,
): AuthenticatedClient {
  if (basic.raw === null) throw new Error('authenticateRaw needs a raw reading')
  const asSent: BasicCredentials = { ...basic.raw, raw: null, decodedInvalid: false }
  return { ...authenticateWith(fixtures, body, asSent, policy), rawBasic: true }
}
