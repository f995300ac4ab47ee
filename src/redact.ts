/**
 * Secret masking for the journal and the logs: API keys, client secrets, codes and tokens
 * never appear whole. A masked value keeps a short prefix, enough to tell two apart.
 */

/** Field and header names whose values are always secrets. */
const SECRET_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-whop-user-token',
  'x-mock-control-token',
  'client_secret',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'id_token',
  'token',
  'api_key',
  'password',
  'secret',
  'key',
])

/** Values that are secrets wherever they stand: Whop keys, JWTs. */
const WHOP_KEY = '(?:apik|whop)_[A-Za-z0-9_-]{8,}'
const JWT = '[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}'
const SECRET_VALUE = new RegExp(`^(?:Bearer\\s+|Basic\\s+)?(?:${WHOP_KEY}|${JWT})$`)
const SECRETS_IN_TEXT = new RegExp(`\\b(?:${WHOP_KEY}|${JWT})`, 'g')
const JWTS_IN_TEXT = new RegExp(JWT, 'g')

const PREFIX_LENGTH = 8

/** Keep a short prefix of a secret (after any `Bearer `/`Basic ` scheme) and drop the rest. */
export function maskSecret(value: string): string {
  const scheme = /^(Bearer|Basic)\s+/i.exec(value)?.[0] ?? ''
  const secret = value.slice(scheme.length)
  if (secret.length <= PREFIX_LENGTH) return `${scheme}…`
  return `${scheme}${secret.slice(0, PREFIX_LENGTH)}…`
}

/** A value masked when its field or header name, or its own shape, says it is a secret. */
export function maskString(name: string | null, value: string): string {
  if ((name !== null && SECRET_NAMES.has(name.toLowerCase())) || SECRET_VALUE.test(value)) return maskSecret(value)
  return value
}

/** A deep copy of a parsed body or query with every secret masked. */
export function maskValue(value: unknown, name: string | null = null, depth = 0): unknown {
  if (typeof value === 'string') return maskString(name, value)
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => maskValue(item, name, depth + 1))
  // fromEntries defines each key as an own property, so a key named __proto__ stays a key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, key, depth + 1)]))
}

/** Free text (an answer body, a report line) with every Whop key and JWT in it masked. */
export function maskSecretsIn(text: string): string {
  return text.replace(SECRETS_IN_TEXT, (secret) => maskSecret(secret))
}

/** The JWT-shaped runs of a text, wherever they stand (e.g. in a URL). */
export function jwtsIn(text: string): string[] {
  return text.match(JWTS_IN_TEXT) ?? []
}

/** Headers as a flat string map with secrets masked. */
export function maskHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: [string, string][] = []
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue
    const value = Array.isArray(raw) ? raw.join(', ') : raw
    out.push([name, maskString(name, value)])
  }
  return Object.fromEntries(out)
}

/** A URL with secret query values masked, for log lines. */
export function maskUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const masked = new URLSearchParams()
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) masked.append(key, maskString(key, value))
  return `${url.slice(0, q)}?${masked.toString()}`
}
