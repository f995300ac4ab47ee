/** The few cookies the sign-in page needs: parsing a Cookie header and writing Set-Cookie values. */

/** fromEntries defines each name as an own property, so a cookie named __proto__ is kept like any other. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: [string, string][] = []
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 1) continue
    const name = part.slice(0, eq).trim()
    try {
      out.push([name, decodeURIComponent(part.slice(eq + 1).trim())])
    } catch {
      // A cookie we cannot decode is not one of ours.
    }
  }
  return Object.fromEntries(out)
}

export interface CookieOptions {
  path: string
  sameSite: 'Strict' | 'Lax'
  maxAgeSeconds: number
  secure: boolean
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return `${name}=${encodeURIComponent(value)}; Path=${o.path}; Max-Age=${o.maxAgeSeconds}; HttpOnly; SameSite=${o.sameSite}${o.secure ? '; Secure' : ''}`
}
