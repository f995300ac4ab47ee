/**
 * The redirect back to a client, built on the registered URI byte for byte: a custom scheme keeps
 * its case (`com.Example.App://oauth/callback`), which a URL parser would lower. Parameters are
 * appended to any query the URI already has (RFC 6749 §3.1.2: the query component is retained).
 * @see docs/whop-reference.md §2.2 Authorize (redirect_uri must match exactly [D D-OAUTH])
 */
export function redirectWithParams(redirectUri: string, params: Record<string, string | null>): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value !== null) query.set(name, value)
  const text = query.toString()
  if (text === '') return redirectUri
  const hash = redirectUri.indexOf('#')
  const base = hash < 0 ? redirectUri : redirectUri.slice(0, hash)
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${text}`
}
