/**
 * What the conformance suite's browsers share: one interface, two implementations. The
 * simulated browser (browser.ts) makes each request itself with Chromium's cookie rules; the
 * real one (chromium-browser.ts) drives Debian's Chromium, so scripts on the app's pages run.
 * Either way each simulated user has its own browser, every hop is recorded, and a `follow`
 * rule stops before a redirect the case must inspect.
 */

/** true: follow every redirect; false: none; a function: follow to `next` only when it says so. */
export type FollowRule = boolean | ((next: URL) => boolean)

export interface BrowserRequest {
  headers?: Record<string, string>
  body?: string
  follow?: FollowRule
  /** One deadline for the whole redirect chain. Default 5000 ms. */
  timeoutMs?: number
  /**
   * The page that caused the request (the one a redirect or a form came from), for SameSite.
   * Default: the requested URL itself, as when the person clicks a link within the site.
   */
  initiator?: URL | string
  /**
   * A control to press (a CSS selector) on the page the chain ends on; the answer is then where
   * pressing it leads, followed as `follow` says. Only a browser that runs scripts can press.
   */
  press?: string
}

export interface Hop {
  method: string
  url: string
  status: number
  location: string | null
  /** Names of the cookies the browser sent with this request. */
  cookiesSent: string[]
  /** The Set-Cookie headers of the answer, as the app sent them. */
  cookiesSet: string[]
}

export interface BrowserResponse {
  method: string
  /** The URL that gave this (final) answer. */
  url: string
  /** 0 when no answer came (see `error`). */
  status: number
  /** Lowercase names; repeated headers joined with ", " (Set-Cookie is in `setCookies`). */
  headers: Record<string, string>
  setCookies: string[]
  body: string
  /** Every request made, in order, the last one included. */
  hops: Hop[]
  elapsedMs: number
  timedOut: boolean
  error: string | null
  /** Where a script on the page sent the browser, when `follow` stopped it before going there. */
  scriptNavigation?: string
}

/**
 * Where an answer sends the browser: a 3xx answer's Location, resolved against the answer's URL,
 * or the page a script navigated to; null for any other answer.
 */
export function redirectTarget(answer: BrowserResponse): URL | null {
  const location = answer.headers.location
  if (answer.status >= 300 && answer.status < 400 && location !== undefined) return new URL(location, answer.url)
  return answer.scriptNavigation === undefined ? null : new URL(answer.scriptNavigation)
}

/** Whether `rule` lets the browser go on to `next`. */
export const follows = (rule: FollowRule, next: URL): boolean => (typeof rule === 'function' ? rule(next) : rule)

export interface BrowserOptions {
  /** The simulated user's name, sent in User-Agent so app logs tell users apart. */
  name: string
  /** Time for cookie expiry, in ms: the simulated user lives in the scenario's (mock) time. */
  clock: () => Promise<number> | number
  /** Headers sent with every request to an origin, e.g. how the app signs this user in. */
  originHeaders?: Record<string, Record<string, string>>
  /** Host-only session cookies (path /) the browser holds from the start, e.g. how the app signs this user in. */
  cookies?: { url: URL; name: string; value: string }[]
  /** The site of a URL, for SameSite. Default: scheme and registrable domain. */
  siteOf?: (url: URL) => string
  /**
   * Where a URL really leads, as a hosts-file entry or a proxy would say: the browser goes there
   * instead and carries on from there (cookies, relative links), sending the URL it was given in
   * `originalUrlHeader`. Null: the URL itself.
   */
  reroute?: (url: URL) => URL | null
  originalUrlHeader?: string
}

/** One simulated user's browser. */
export interface ConformanceBrowser {
  /** Every hop this browser made, across requests: each URL its user saw, and each redirect. */
  readonly history: Hop[]
  request(method: string, url: string | URL, init?: BrowserRequest): Promise<BrowserResponse>
  /** Names of the cookies the browser holds for `url` and would send on a same-site request. */
  cookieNames(url: URL): Promise<string[]>
}

/** Makes the browsers of one run. */
export interface BrowserMaker {
  newBrowser(options: BrowserOptions): ConformanceBrowser
  /** Ends every browser the maker made. */
  close(): Promise<void>
}

/** The user agent every browser of a run sends. */
export const userAgent = (name: string): string => `whop-auth-mock-conformance (${name})`
