/** The OAuth steps the replica tests take, each at a chosen replica, checked against the spec. */
import type { Test } from 'tap'
import { bearer } from '../../helpers/http.js'
import { publicApp } from '../../helpers/fixtures.js'
import { currentAuthorizeQuery, type Pkce } from '../../helpers/oauth.js'
import { startRedis } from './redis-server.js'
import { checkedCall, startReplica, type Replica } from './replicas.js'

/** The OAuth client the steps act for: the public fixture app unless a test names another. */
export interface Client {
  id: string
  redirectUri: string
  secret?: string
}

const publicClient: Client = { id: publicApp.id, redirectUri: publicApp.redirect_uris[0]! }

/** With auto-approve on (shared by every replica), a code for jane issued at `replica`. */
export async function codeAt(t: Test, replica: Replica, verifier: Pkce, client = publicClient): Promise<string> {
  const query = currentAuthorizeQuery({ pkce: verifier, clientId: client.id, redirectUri: client.redirectUri })
  const res = await checkedCall(t, 'GET', `${replica.url}/oauth/authorize?${query}`)
  const location = typeof res.headers.location === 'string' ? new URL(res.headers.location) : null
  const code = location?.searchParams.get('code')
  if (res.status !== 302 || !code) throw new Error(`authorize did not redirect with a code: ${res.status} ${res.text}`)
  return code
}

export function exchange(t: Test, replica: Replica, code: string, verifier: Pkce, client = publicClient) {
  const json = { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.id }
  const secret = client.secret === undefined ? {} : { client_secret: client.secret }
  return checkedCall(t, 'POST', `${replica.url}/oauth/token`, { json: { ...json, ...secret, code_verifier: verifier.verifier } })
}

export function refresh(t: Test, replica: Replica, token: string) {
  return checkedCall(t, 'POST', `${replica.url}/oauth/token`, {
    json: { grant_type: 'refresh_token', refresh_token: token, client_id: publicApp.id },
  })
}

export const userinfo = (t: Test, replica: Replica, accessToken: string) =>
  checkedCall(t, 'GET', `${replica.url}/oauth/userinfo`, { headers: bearer(accessToken) })

export async function setUp(t: Test, count = 2, extra: string[] = []): Promise<Replica[]> {
  const redis = await startRedis(t)
  const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(t, redis.url, extra)))
  const settings = await checkedCall(t, 'POST', `${replicas[0]!.url}/_mock/settings`, { json: { auto_approve: true } })
  t.equal(settings.status, 200)
  return replicas
}
