/**
 * Sign in with Whop's current flow with oauth4webapi, the way a Next.js route handler would:
 * discovery once, PKCE S256, state and nonce in short-lived cookies, the code exchanged with the
 * app's secret, the id_token's nonce checked, and the user read once from userinfo.
 * @see docs/whop-reference.md §2.2
 */
import * as oauth from 'oauth4webapi'
import { has } from './defects.js'

const issuer = new URL(process.env.WHOP_MOCK_URL ?? 'https://api.whop.com')
const client = { client_id: process.env.WHOP_APP_ID ?? '', id_token_signed_response_alg: 'ES256' }
const clientAuth = oauth.ClientSecretPost(process.env.WHOP_CLIENT_SECRET ?? '')
// The mock serves plain http on loopback; Whop itself is https only.
const insecure = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}
/** A person waits on every call to Whop: each gives up after WHOP_TIMEOUT_MS (default 3000). */
const timeoutMs = Number(process.env.WHOP_TIMEOUT_MS ?? 3000)
/** Options for every request to Whop: a fresh deadline per request (none with DEFECT=no-whop-timeout). */
const requestOptions = { ...insecure, ...(!has('no-whop-timeout') && { signal: () => AbortSignal.timeout(timeoutMs) }) }

let discovered
function server() {
  discovered ??= oauth
    .discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions })
    .then((response) => oauth.processDiscoveryResponse(issuer, response))
    .catch((error) => {
      discovered = undefined
      throw error
    })
  return discovered
}

/** The authorize URL and what the callback needs to check it: { url, pending: { state, verifier, nonce } }. */
export async function authorizeUrl(redirectUri) {
  const as = await server()
  const pending = { state: oauth.generateRandomState(), verifier: oauth.generateRandomCodeVerifier(), nonce: oauth.generateRandomNonce() }
  const url = new URL(as.authorization_endpoint)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state: pending.state,
    ...(!has('no-pkce') && {
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      nonce: pending.nonce,
    }),
  }).toString()
  return { url, pending }
}

/** Exchange the callback's code; returns { accessToken, claims } or throws. */
export async function exchange(callbackUrl, redirectUri, pending) {
  const as = await server()
  const expectedState = has('no-state-check') ? oauth.skipStateCheck : pending.state
  const params = oauth.validateAuthResponse(as, client, callbackUrl, expectedState)
  const verifier = has('no-pkce') ? oauth.nopkce : pending.verifier
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, verifier, requestOptions)
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: has('no-pkce') ? oauth.expectNoNonce : pending.nonce,
    requireIdToken: true,
  })
  return { accessToken: tokens.access_token, claims: oauth.getValidatedIdTokenClaims(tokens) }
}

/** The signed-in user from Whop's userinfo, read once with the user's token. */
export async function userInfo(accessToken, sub) {
  const as = await server()
  const response = await oauth.userInfoRequest(as, client, accessToken, requestOptions)
  return oauth.processUserInfoResponse(as, client, sub, response)
}
