/**
 * One credential of every kind the mock accepts, minted over HTTP: the fixture API keys, an
 * embedded-app user token, a v1 access token and an OAuth access token.
 */
import { call, bearer } from './http.js'
import { appKey, companyKey, jane, restrictedKey } from './fixtures.js'
import { codeFor, exchangeCurrent, pkce, publicApp } from './oauth.js'

async function oauthAccessToken(url: string): Promise<string> {
  await call('POST', `${url}/_mock/settings`, { json: { auto_approve: true } })
  const pair = pkce()
  const code = await codeFor(url, { pkce: pair })
  await call('POST', `${url}/_mock/settings`, { json: { auto_approve: false } })
  const res = await exchangeCurrent(url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  return String(res.body.access_token)
}

export async function mintCredentials(url: string): Promise<string[]> {
  const userToken = await call('POST', `${url}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: publicApp.id } })
  const v1 = await call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { user_id: jane.id } })
  const minted = [String(userToken.body.token), String(v1.body.token), await oauthAccessToken(url)]
  if (minted.some((token) => token === 'undefined')) throw new Error(`could not mint every credential: ${minted.join(', ')}`)
  return [companyKey.key, restrictedKey.key, appKey.key, ...minted, 'not-a-token']
}
