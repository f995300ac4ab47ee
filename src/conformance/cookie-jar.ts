/**
 * A cookie jar for one simulated user, with a browser's rules as Chromium applies them, on
 * tough-cookie (RFC 6265bis): cookies kept by domain, path and name; Secure cookies stored and
 * sent over https and over http to potentially trustworthy hosts (localhost, 127.0.0.1, ::1),
 * which Chromium and Firefox treat as secure contexts; SameSite enforced on sending, with a
 * cookie that names no SameSite treated as Lax, Chromium's default; and expiry judged on the
 * jar's clock (the app's, not the mock's, since the app computed Expires and Max-Age from it).
 */
import { CookieJar as ToughJar, getPublicSuffix, type Cookie as ToughCookie } from 'tough-cookie'

/** How a request relates to the page that caused it, in RFC 6265bis terms. */
export type SameSiteContext = 'strict' | 'lax' | 'none'

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
  sameSite: 'strict' | 'lax' | 'none' | null
  /** Milliseconds since the epoch on the jar's clock; null for a session cookie. */
  expiresAt: number | null
}

const OPTIONS = { allowSecureOnLocal: true, rejectPublicSuffixes: true, looseMode: false } as const

function shape(c: ToughCookie): Cookie {
  // Max-Age counts from when the cookie was set (setCookie's `now`), not from its last use.
  const expiry = c.creation instanceof Date ? c.expiryTime(c.creation) : c.expiryTime()
  const sameSite = c.sameSite?.toLowerCase()
  return {
    name: c.key,
    value: c.value,
    domain: c.domain ?? '',
    hostOnly: c.hostOnly === true,
    path: c.path ?? '/',
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none' ? sameSite : null,
    // A cookie without Expires or Max-Age lives for the session; Max-Age <= 0 is already expired.
    expiresAt: expiry === undefined || expiry === Infinity ? null : expiry,
  }
}

/** Parse one Set-Cookie header received from `url` at `now`; null when a browser would ignore it. */
export function parseSetCookie(header: string, url: URL, now: number): Cookie | null {
  const scratch = new ToughJar(undefined, OPTIONS)
  const stored = scratch.setCookieSync(header, url.href, { now: new Date(now), ignoreError: true })
  return stored === undefined ? null : shape(stored)
}

/** The site of a URL for SameSite: scheme and registrable domain (an IP or localhost is its own site). */
export function siteOf(url: URL): string {
  const host = url.hostname.toLowerCase()
  return `${url.protocol}//${getPublicSuffix(host, { allowSpecialUseDomain: true, ignoreError: true }) ?? host}`
}

export class CookieJar {
  readonly #jar = new ToughJar(undefined, OPTIONS)

  /** Store what a response's Set-Cookie headers say; an expired cookie replaces (so deletes) its namesake. */
  receive(setCookies: string[], url: URL, now: number): void {
    for (const header of setCookies) this.#jar.setCookieSync(header, url.href, { now: new Date(now), ignoreError: true })
  }

  /** Put a host-only session cookie for `url`'s host, path / (how the runner signs a user in). */
  put(url: URL, name: string, value: string): void {
    this.#jar.setCookieSync(`${name}=${value}; Path=/; HttpOnly`, url.href, { ignoreError: true })
  }

  /** Cookies a browser would send to `url` in `context`, longest path first; expired ones are dropped for good. */
  cookiesFor(url: URL, now: number, context: SameSiteContext = 'strict'): Cookie[] {
    const out: Cookie[] = []
    for (const found of this.#jar.getCookiesSync(url.href, { expire: false, sameSiteContext: context, sort: true })) {
      const cookie = shape(found)
      if (cookie.expiresAt !== null && cookie.expiresAt <= now) {
        this.#jar.store.removeCookie(found.domain, found.path, found.key, () => {})
        continue
      }
      // Chromium treats a cookie that names no SameSite as Lax: not sent on cross-site POSTs or subrequests.
      if (context === 'none' && cookie.sameSite !== 'none') continue
      out.push(cookie)
    }
    return out
  }

  /** The Cookie header for `url`, or null when no cookie applies. */
  header(url: URL, now: number, context: SameSiteContext = 'strict'): string | null {
    const cookies = this.cookiesFor(url, now, context)
    return cookies.length === 0 ? null : cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  }
}
