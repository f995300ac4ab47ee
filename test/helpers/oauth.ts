/**
 * OAuth protocol helpers for tests: PKCE pairs, authorize URLs, reading the redirect, and
 * exchanging codes, all over real HTTP against the mock.
 */
import { createHash, randomBytes } from 'node:crypto'
import { call, type JsonResponse } from './http.js'
import { confidentialApp, jane, publicApp } from './fixtures.js'

export interface Pkce {
  verifier: string
  challenge: string
}

/** A verifier of 32 random bytes and its S256 challenge, as the docs' sample makes them [D D-OAUTH]. */
export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

export const random22 = () => randomBytes(16).toString('base64url')

export interface CurrentAuthorize {
  clientId?: string
  redirectUri?: string
  scope?: string
  state?: string
  nonce?: string | null
  pkce?: Pkce | null
  companyId?: string
  loginHint?: string | null
  extra?: Record<string, string>
}

/** The query of a current-flow authorize request; defaults: the public app, jane, openid profile email. */
export function currentAuthorizeQuery(o: CurrentAuthorize = {}): URLSearchParams {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: o.clientId ?? publicApp.id,
    redirect_uri: o.redirectUri ?? publicApp.redirect_uris[0]!,
    scope: o.scope ?? 'openid profile email',
    state: o.state ?? random22(),
  })
  if (o.nonce !== null) q.set('nonce', o.nonce ?? random22())
  if (o.pkce !== null) {
    q.set('code_challenge', (o.pkce ?? pkce()).challenge)
    q.set('code_challenge_method', 'S256')
  }
  if (o.companyId !== undefined) q.set('company_id', o.companyId)
  if (o.loginHint !== null) q.set('login_hint', o.loginHint ?? jane.id)
  for (const [k, v] of Object.entries(o.extra ?? {})) q.set(k, v)
  return q
}

/** GET a URL without following redirects; `location` is parsed when there is one. */
export async function getNoFollow(url: string, headers: Record<string, string> = {}): Promise<JsonResponse & { location: URL | null }> {
  const res = await call('GET', url, { headers })
  const location = typeof res.headers.location === 'string' ? new URL(res.headers.location) : null
  return { ...res, location }
}

/** Authorize with auto-approve on and a login_hint: the code comes straight back. */
export async function codeFor(mockUrl: string, o: CurrentAuthorize & { pkce: Pkce }): Promise<string> {
  const res = await getNoFollow(`${mockUrl}/oauth/authorize?${currentAuthorizeQuery(o)}`)
  const code = res.location?.searchParams.get('code')
  if (res.status !== 302 || !code) throw new Error(`authorize did not redirect with a code: ${res.status} ${res.location}`)
  return code
}

export function exchangeCurrent(
  mockUrl: string,
  body: Record<string, string>,
  as: 'json' | 'form' = 'json',
  headers: Record<string, string> = {},
) {
  return call('POST', `${mockUrl}/oauth/token`, { headers, ...(as === 'json' ? { json: body } : { form: body }) })
}

/** The token answer of one public-app sign-in at `mockUrl`, with auto-approve turned on there (it stays on). */
export async function autoApprovedSignIn(
  mockUrl: string,
  o: Pick<CurrentAuthorize, 'scope'> = {},
): Promise<{ access_token: string; refresh_token: string; id_token?: string }> {
  await call('POST', `${mockUrl}/_mock/settings`, { json: { auto_approve: true } })
  const pair = pkce()
  const code = await codeFor(mockUrl, { ...o, pkce: pair })
  const res = await exchangeCurrent(mockUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: publicApp.redirect_uris[0]!,
    client_id: publicApp.id,
    code_verifier: pair.verifier,
  })
  if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${res.text}`)
  return res.body
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

export { confidentialApp, publicApp }
