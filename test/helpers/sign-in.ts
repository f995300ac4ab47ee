/**
 * Sign-in page helpers: where the page is, and proof that a code from it is real — exchanged at
 * the token endpoint and asked who it belongs to, as the client would.
 */
import { bearer, call } from './http.js'
import { confidentialApp, currentAuthorizeQuery, exchangeCurrent, publicApp, type CurrentAuthorize, type Pkce } from './oauth.js'

/** The accessible name of a user's choice on the page starts with their name. */
export function choiceName(user: { name: string | null; username: string }): RegExp {
  return new RegExp(`^${(user.name ?? user.username).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)
}

/** The current flow's sign-in page for the public app, without login_hint so no user is preselected. */
export function signInUrl(mockUrl: string, o: CurrentAuthorize & { pkce: Pkce; state: string }): string {
  return `${mockUrl}/oauth/authorize?${currentAuthorizeQuery({ loginHint: null, ...o })}`
}

async function usernameOf(mockUrl: string, accessToken: string): Promise<string> {
  const me = await call('GET', `${mockUrl}/v5/me`, { headers: bearer(accessToken) })
  if (me.status !== 200) throw new Error(`/v5/me answered ${me.status}: ${me.text}`)
  return me.body.username as string
}

/** Exchange a current-flow code with its PKCE verifier; the username its token belongs to. */
export async function userOfCode(mockUrl: string, code: string, verifier: string): Promise<string> {
  const token = await exchangeCurrent(mockUrl, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
  })
  if (token.status !== 200 || typeof token.body.access_token !== 'string')
    throw new Error(`the code did not exchange: ${token.status} ${token.text}`)
  return usernameOf(mockUrl, token.body.access_token)
}

/** Exchange a legacy-page code at the v5 token endpoint; the username its token belongs to. */
export async function userOfLegacyCode(mockUrl: string, code: string, redirectUri: string): Promise<string> {
  const token = await call('POST', `${mockUrl}/v5/oauth/token`, {
    form: { code, client_id: confidentialApp.id, client_secret: confidentialApp.client_secret!, redirect_uri: redirectUri },
  })
  if (token.status !== 200 || typeof token.body.access_token !== 'string')
    throw new Error(`the legacy code did not exchange: ${token.status} ${token.text}`)
  return usernameOf(mockUrl, token.body.access_token)
}
