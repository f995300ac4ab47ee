/** A tenant with one live grant, for the state tests. */
import { call } from './http.js'
import { publicApp } from './fixtures.js'
import { codeFor, exchangeCurrent, pkce } from './oauth.js'

/** Sign in at `base` (auto-approve on there) and return the refresh token. */
export async function refreshTokenAt(base: string): Promise<string> {
  await call('POST', `${base}/_mock/settings`, { json: { auto_approve: true } })
  const pair = pkce()
  const code = await codeFor(base, { pkce: pair })
  const res = await exchangeCurrent(base, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  return res.body.refresh_token as string
}
