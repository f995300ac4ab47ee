/**
 * The Auth.js configuration: a generic OpenID Connect provider pointed at Whop's discovery, as
 * third-party Auth.js set-ups do it: PKCE, state and nonce, client_secret_post, ES256 id_tokens,
 * and the user read from userinfo (idToken: false). Sessions are Auth.js's encrypted JWT cookie,
 * holding the app's user (the Whop id) but not Whop's tokens. Every call to Whop gives up after
 * WHOP_TIMEOUT_MS; a failed sign-in goes to the app's own error page, never a 5xx.
 * @see docs/whop-reference.md §4.3
 */
import { customFetch } from '@auth/core'
import { has } from './defects.js'

/** A person waits on every call to Whop: each gives up after WHOP_TIMEOUT_MS (default 3000). */
const timeoutMs = Number(process.env.WHOP_TIMEOUT_MS ?? 3000)

/** fetch with a deadline, for Auth.js's calls to Whop (discovery, token, userinfo); keeps any signal Auth.js passes. */
function fetchWithTimeout(input, init = {}) {
  const deadline = AbortSignal.timeout(timeoutMs)
  return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, deadline]) : deadline })
}

const checks = has('no-pkce') ? ['state'] : has('state-check-off') ? ['pkce', 'nonce'] : ['pkce', 'state', 'nonce']

/** @type {import('@auth/core/providers').OIDCConfig<Record<string, unknown>>} */
const whop = {
  id: 'whop',
  name: 'Whop',
  type: 'oidc',
  issuer: process.env.WHOP_MOCK_URL ?? 'https://api.whop.com',
  clientId: process.env.WHOP_APP_ID,
  clientSecret: process.env.WHOP_CLIENT_SECRET,
  checks,
  client: { token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'ES256' },
  authorization: { params: { scope: 'openid profile email' } },
  idToken: has('id-token-only'),
  profile: (p) => ({ id: p.sub, name: p.name ?? p.preferred_username ?? null, email: p.email ?? null }),
  // Auth.js's own calls have no deadline; a provider may supply its fetch.
  ...(!has('no-whop-timeout') && { [customFetch]: fetchWithTimeout }),
}

/** @type {import('@auth/core').AuthConfig} */
export const authConfig = {
  providers: [whop],
  basePath: '/api/auth',
  secret: process.env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: 'jwt' },
  // The app's own error page: Auth.js's built-in one answers a failed check with 500.
  ...(!has('default-error-page') && { pages: { error: '/auth/error' } }),
  callbacks: {
    // The JWT keeps who the user is on Whop, not Whop's tokens: an identity-only app.
    jwt({ token, profile }) {
      if (profile?.sub !== undefined) token.whopUserId = profile.sub
      return token
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.whopUserId } }
    },
  },
}
