/**
 * GET /.well-known/jwks.json and GET /.well-known/openid-configuration. Endpoints are absolute
 * URLs from the public URL, and `issuer` is exactly the configured issuer, so a mock in a
 * container advertises the hostname browsers and apps use.
 * @see docs/whop-reference.md §2.2 Discovery and JWKS [T2-T5]
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { SCOPE_DESCRIPTIONS } from '../oauth/scopes.js'

export function discoveryHandlers(context: MockContext): Handlers<'getJwks' | 'getOpenIdConfiguration'> {
  const jwks = { keys: [context.key.publicJwk] }
  return {
    getJwks: () => jwks,

    getOpenIdConfiguration() {
      const base = context.publicUrl
      return {
        issuer: context.issuer,
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        userinfo_endpoint: `${base}/oauth/userinfo`,
        revocation_endpoint: `${base}/oauth/revoke`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        id_token_signing_alg_values_supported: ['ES256'],
        subject_types_supported: ['public'],
        scopes_supported: Object.keys(SCOPE_DESCRIPTIONS),
        claims_supported: [
          'sub',
          'iss',
          'aud',
          'exp',
          'iat',
          'auth_time',
          'nonce',
          'name',
          'preferred_username',
          'picture',
          'email',
          'email_verified',
        ],
      }
    },
  }
}
