/**
 * The parts of the conformance config that describe how a real app is driven: the token
 * route's request, how sign-in starts, what "signed in" looks like, and the app's host aliases. Resolved to defaults
 * here so the driver never checks for a missing field.
 */
import type { ConformanceConfigFile } from '../generated/conformance-config.js'

type TokenRouteFile = NonNullable<ConformanceConfigFile['tokenRoute']>
type OAuthFile = NonNullable<ConformanceConfigFile['oauth']>

/** Stands for the caller's Whop user id in the token route's request. */
export const WHOP_USER_ID_PLACEHOLDER = '{{whopUserId}}'
/** Stands for the CSRF token in the sign-in start's form. */
export const CSRF_PLACEHOLDER = '{{csrf}}'

export interface TokenRequest {
  headers: Record<string, string>
  body: { kind: 'json'; value: unknown } | { kind: 'form'; value: Record<string, string> } | null
}

export interface SignInStart {
  method: 'GET' | 'POST'
  csrf: { path: string; jsonField: string } | null
  /** The POST's fields, {{csrf}} not yet filled in. */
  form: Record<string, string>
  /** A control (CSS selector) to press on the start's page, whose script sends the browser to Whop. */
  press?: string
}

export interface SignedInRule {
  /** null: any 2xx. */
  status: number[] | null
  bodyIncludes: string | null
  bodyExcludes: string | null
  cookie: string | null
}

export function tokenRequest(route: TokenRouteFile): TokenRequest {
  const r = route.request ?? {}
  const body: TokenRequest['body'] =
    r.json !== undefined ? { kind: 'json', value: r.json } : r.form !== undefined ? { kind: 'form', value: r.form } : null
  return { headers: r.headers ?? {}, body }
}

export function signInStart(oauth: OAuthFile): SignInStart {
  const s = oauth.start ?? {}
  const csrf = s.csrf === undefined ? null : { path: s.csrf.path, jsonField: s.csrf.jsonField ?? 'csrfToken' }
  const form = s.form ?? (csrf === null ? {} : { csrfToken: CSRF_PLACEHOLDER })
  return { method: s.method ?? 'GET', csrf, form, ...(s.press !== undefined && { press: s.press }) }
}

export function signedInRule(oauth: OAuthFile): SignedInRule {
  const s = oauth.signedIn ?? {}
  return { status: s.status ?? null, bodyIncludes: s.bodyIncludes ?? null, bodyExcludes: s.bodyExcludes ?? null, cookie: s.cookie ?? null }
}

/** Every string in `value` with `placeholder` replaced by `actual`, objects and arrays walked. */
export function fillIn<T>(value: T, placeholder: string, actual: string): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? v.split(placeholder).join(actual) : v)) as T
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]']

/** The app's origin and its aliases': a loopback app answers as every loopback name unless the config lists its own. */
export function appOrigins(baseUrl: string, aliases: string[] | undefined): string[] {
  const url = new URL(baseUrl)
  const names = aliases ?? (LOOPBACK.includes(url.hostname) ? LOOPBACK : [])
  const origins = names.map((host) => new URL(`${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}`).origin)
  return [...new Set([url.origin, ...origins])]
}

/** Headers and body for a request the config describes: JSON or a form, with its content type. */
export function encodeBody(
  headers: Record<string, string>,
  body: TokenRequest['body'],
): { headers: Record<string, string>; body?: string } {
  if (body === null) return { headers }
  if (body.kind === 'json') return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body.value) }
  return { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body.value).toString() }
}
