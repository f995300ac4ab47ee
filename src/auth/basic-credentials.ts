/**
 * HTTP Basic client credentials. RFC 6749 §2.3.1 says client id and secret are
 * form-urlencoded before base64, as oauth4webapi sends them; widely used clients (Python
 * `requests` `auth=(id, secret)`, requests-oauthlib's default) send them raw. Both readings are
 * kept: the decoded one is tried first, the raw one only when it differs, and a match on the raw
 * one is marked in the journal. No source says what Whop does with raw credentials.
 */
export interface BasicCredentials {
  id: string
  secret: string
  /** The raw reading, when it differs from the decoded one (or the decoded one is invalid). */
  raw: { id: string; secret: string } | null
  /** The form-urlencoded reading could not be decoded (a stray `%`): only the raw one stands. */
  decodedInvalid: boolean
}

const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '))

/** null without a Basic header; 'malformed' for a Basic header that is not base64 of `id:secret`. */
export function parseBasic(header: string | undefined): BasicCredentials | null | 'malformed' {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (match === null) return header !== undefined && /^Basic\b/i.test(header) ? 'malformed' : null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return 'malformed'
  const raw = { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
  try {
    const id = unform(raw.id)
    const secret = unform(raw.secret)
    const differs = id !== raw.id || secret !== raw.secret
    return { id, secret, raw: differs ? raw : null, decodedInvalid: false }
  } catch {
    return { ...raw, raw, decodedInvalid: true }
  }
}

/** The journal note for a client accepted on its raw Basic credentials. */
export const RAW_BASIC_NOTE = 'basic credentials accepted raw (not form-urlencoded as RFC 6749 §2.3.1 says)'
