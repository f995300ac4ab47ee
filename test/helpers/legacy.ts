/**
 * Helpers for the legacy flow: the whop.com/oauth page as @whop/api links to it, and the token
 * endpoints of every legacy era.
 * @see docs/whop-reference.md §2.3, §2.4, §4.2
 */
import { randomUUID } from 'node:crypto'
import { request, type Dispatcher } from 'undici'
import { call, type JsonResponse } from './http.js'
import { tokenPaths } from '../../src/era-paths.js'
import type { TokenEra } from '../../src/eras.js'
import { loadBundledSpec } from '../../src/spec/load-spec.js'
import { confidentialApp, jane } from './fixtures.js'

const { operations } = await loadBundledSpec()

/** The token endpoints of the legacy eras that `test` picks, with every spelling, as the spec serves them. */
export const legacyTokenPaths = (test: (era: TokenEra) => boolean = () => true): string[] =>
  tokenPaths(operations, (era) => era.flow === 'legacy' && test(era))

/** Every legacy token endpoint. */
export const LEGACY_TOKEN_PATHS = legacyTokenPaths()

export interface LegacyAuthorize {
  clientId?: string
  /** null leaves redirect_uri out (the page then uses the first registered URI [D S2]). */
  redirectUri?: string | null
  scope?: string | null
  state?: string | null
  loginHint?: string
}

/** @whop/api's authorize URL query: client_id, response_type, scope=read_user, a UUID state, redirect_uri [D OLD oauth/index.ts]. */
export function legacyAuthorizeQuery(o: LegacyAuthorize = {}): URLSearchParams {
  const q = new URLSearchParams({ client_id: o.clientId ?? confidentialApp.id, response_type: 'code' })
  if (o.scope !== null) q.set('scope', o.scope ?? 'read_user')
  if (o.state !== null) q.set('state', o.state ?? randomUUID())
  if (o.redirectUri !== null) q.set('redirect_uri', o.redirectUri ?? confidentialApp.redirect_uris[0]!)
  q.set('login_hint', o.loginHint ?? jane.username)
  return q
}

/**
 * Through the legacy page with auto-approve: the redirect back, whose query carries the code.
 * `dispatcher` reaches an https mock whose certificate the caller trusts.
 */
export async function legacyRedirect(mockUrl: string, o: LegacyAuthorize = {}, dispatcher?: Dispatcher): Promise<URL> {
  const res = await request(`${mockUrl}/oauth/?${legacyAuthorizeQuery(o)}`, dispatcher === undefined ? {} : { dispatcher })
  await res.body.dump()
  const location = res.headers.location
  if (res.statusCode !== 302 || typeof location !== 'string') throw new Error(`the legacy page did not redirect: ${res.statusCode}`)
  const url = new URL(location)
  if (url.searchParams.get('code') === null) throw new Error(`the legacy page redirected without a code: ${url}`)
  return url
}

export async function legacyCode(mockUrl: string, o: LegacyAuthorize = {}): Promise<string> {
  return (await legacyRedirect(mockUrl, o)).searchParams.get('code')!
}

/** The body every legacy era documents: code, client credentials in the body, redirect_uri. */
export function legacyTokenBody(code: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    code,
    client_id: confidentialApp.id,
    client_secret: confidentialApp.client_secret!,
    redirect_uri: confidentialApp.redirect_uris[0]!,
    ...extra,
  }
}

export function postToken(
  mockUrl: string,
  path: string,
  body: Record<string, string>,
  as: 'json' | 'form' = 'form',
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return call('POST', `${mockUrl}${path}`, { headers, ...(as === 'json' ? { json: body } : { form: body }) })
}
