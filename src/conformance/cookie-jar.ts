/**
 * A cookie jar for one simulated user, after RFC 6265 §5: cookies are kept by domain, path and
 * name, sent only where domain, path and Secure allow, and dropped when they expire. SameSite is
 * not enforced: the runner's requests are all top-level navigations or same-site calls.
 */

export interface Cookie {
  name: string
  value: string
  /** Lowercase, no leading dot. */
  domain: string
  /** True when the cookie had no Domain attribute: it goes back only to the exact host. */
  hostOnly: boolean
  path: string
  secure: boolean
  httpOnly: boolean
  /** Milliseconds since the epoch on the jar's clock; null for a session cookie. */
  expiresAt: number | null
}

const isIp = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':')

/** RFC 6265 §5.1.3 */
function domainMatches(host: string, domain: string): boolean {
  return host === domain || (!isIp(host) && host.endsWith(`.${domain}`))
}

/** RFC 6265 §5.1.4 */
function defaultPath(url: URL): string {
  const path = url.pathname
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/'
  return path.slice(0, path.lastIndexOf('/'))
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

/** Parse one Set-Cookie header received from `url`; null when a browser would ignore it. */
export function parseSetCookie(header: string, url: URL, now: number): Cookie | null {
  const [pair = '', ...attributes] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq < 1) return null
  const host = url.hostname.toLowerCase()
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1'),
    domain: host,
    hostOnly: true,
    path: defaultPath(url),
    secure: false,
    httpOnly: false,
    expiresAt: null,
  }
  let maxAge: number | null = null
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at < 0 ? '' : attribute.slice(at + 1).trim()
    if (key === 'domain' && value !== '') {
      const domain = value.replace(/^\./, '').toLowerCase()
      if (!domainMatches(host, domain)) return null
      cookie.domain = domain
      cookie.hostOnly = false
    } else if (key === 'path' && value.startsWith('/')) cookie.path = value
    else if (key === 'secure') cookie.secure = true
    else if (key === 'httponly') cookie.httpOnly = true
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value)
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expiresAt ??= Date.parse(value)
  }
  // Max-Age wins over Expires (§5.3 step 3).
  if (maxAge !== null) cookie.expiresAt = maxAge <= 0 ? Number.NEGATIVE_INFINITY : now + maxAge * 1000
  return cookie
}

export class CookieJar {
  readonly #cookies = new Map<string, Cookie>()

  #key(c: Pick<Cookie, 'domain' | 'path' | 'name'>): string {
    return `${c.domain}|${c.path}|${c.name}`
  }

  /** Store what a response's Set-Cookie headers say; an expired cookie deletes its namesake. */
  receive(setCookies: string[], url: URL, now: number): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header, url, now)
      if (cookie === null) continue
      if (cookie.expiresAt !== null && cookie.expiresAt <= now) this.#cookies.delete(this.#key(cookie))
      else this.#cookies.set(this.#key(cookie), cookie)
    }
  }

  /** Put a host-only session cookie for `url`'s host, path / (how the runner signs a user in). */
  put(url: URL, name: string, value: string): void {
    const cookie: Cookie = {
      name,
      value,
      domain: url.hostname.toLowerCase(),
      hostOnly: true,
      path: '/',
      secure: false,
      httpOnly: true,
      expiresAt: null,
    }
    this.#cookies.set(this.#key(cookie), cookie)
  }

  /** Cookies a browser would send to `url`, longest path first (§5.4). */
  cookiesFor(url: URL, now: number): Cookie[] {
    const host = url.hostname.toLowerCase()
    const out: Cookie[] = []
    for (const [key, cookie] of this.#cookies) {
      if (cookie.expiresAt !== null && cookie.expiresAt <= now) {
        this.#cookies.delete(key)
        continue
      }
      if (cookie.hostOnly ? host !== cookie.domain : !domainMatches(host, cookie.domain)) continue
      if (!pathMatches(url.pathname || '/', cookie.path)) continue
      if (cookie.secure && url.protocol !== 'https:') continue
      out.push(cookie)
    }
    return out.sort((a, b) => b.path.length - a.path.length)
  }

  /** The Cookie header for `url`, or null when no cookie applies. */
  header(url: URL, now: number): string | null {
    const cookies = this.cookiesFor(url, now)
    return cookies.length === 0 ? null : cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  }
}
