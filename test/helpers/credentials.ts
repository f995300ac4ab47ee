/**
 * One credential of every kind the mock accepts, minted over HTTP: the fixture API keys, an
 * embedded-app user token, a v1 access token and an OAuth access token.
 */
import { call, bearer } from './http.js'
import { appKey, companyKey, jane, restrictedKey } from './fixtures.js'
import { autoApprovedSignIn, publicApp } from './oauth.js'

async function oauthAccessToken(url: string): Promise<string> {
  const { access_token } = await autoApprovedSignIn(url)
  await call('POST', `${url}/_mock/settings`, { json: { auto_approve: false } })
  return access_token
}

export async function mintCredentials(url: string): Promise<string[]> {
  const userToken = await call('POST', `${url}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: publicApp.id } })
  const v1 = await call('POST', `${url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { user_id: jane.id } })
  const minted = [String(userToken.body.token), String(v1.body.token), await oauthAccessToken(url)]
  if (minted.some((token) => token === 'undefined')) throw new Error(`could not mint every credential: ${minted.join(', ')}`)
  return [companyKey.key, restrictedKey.key, appKey.key, ...minted, 'not-a-token']
}
