/**
 * Whop's hosts, and which requests to each of them the interception entry points (the Node
 * preload, the MSW handlers, the HTTPS proxy) send to the mock instead. This is the one list:
 * every entry point asks this module, so they agree on what is rerouted.
 *
 * API hosts are rerouted whole, so an app under interception never reaches the real Whop there
 * (a path the mock does not serve gets the mock's 404). On whop.com, Whop's website, only the
 * legacy authorize page is rerouted; the rest of the site is left alone.
 *
 * @see docs/whop-reference.md §1
 */

/** Which paths on a host are rerouted: all of them, or those under the given path prefixes. */
export type ReroutedPaths = 'all' | readonly string[]

/** Whop's hosts and the paths rerouted on each. @see docs/whop-reference.md §1 */
export const WHOP_ROUTES: Readonly<Record<string, ReroutedPaths>> = {
  /** v1, the current OAuth flow, discovery and the legacy v2/v5 routes. */
  'api.whop.com': 'all',
  /** The same paths as api.whop.com, for sandbox apps and keys. */
  'sandbox-api.whop.com': 'all',
  /** The v3 era's token endpoint (both spellings). */
  'data.whop.com': 'all',
  /** Only the legacy authorize page, `/oauth` and `/oauth/...`. */
  'whop.com': ['/oauth'],
}

/** The host names of Whop's hosts that any request is rerouted from, lower case. */
export const WHOP_HOSTS: readonly string[] = Object.keys(WHOP_ROUTES)

/**
 * The bare host name of a host or Host header value: lower case, without a port or a trailing
 * dot. An IPv6 literal is returned as it is (it is never a Whop host).
 */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase()
  if (lower.startsWith('[')) return lower
  const name = lower.replace(/:\d*$/, '')
  return name.endsWith('.') ? name.slice(0, -1) : name
}

function pathsOf(host: string): ReroutedPaths | undefined {
  const name = hostName(host)
  return Object.hasOwn(WHOP_ROUTES, name) ? WHOP_ROUTES[name] : undefined
}

/** Whether a host name (or a Host header value, with or without a port) is one of Whop's hosts. */
export function isWhopHost(host: string): boolean {
  return pathsOf(host) !== undefined
}

/** Whether a path (which may carry a query) falls under one of the given prefixes. */
function underPrefix(path: string, prefixes: readonly string[]): boolean {
  const pathname = path.split(/[?#]/, 1)[0] ?? ''
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))
}

/**
 * Whether a request to this host and path (the request target, which may carry a query) is
 * rerouted to the mock.
 */
export function reroutesPath(host: string, path: string): boolean {
  const paths = pathsOf(host)
  if (paths === undefined) return false
  return paths === 'all' || underPrefix(path, paths)
}

/** Whether a request to this URL is rerouted to the mock: http(s) to a Whop host and path. */
export function reroutes(url: URL): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  return reroutesPath(url.hostname, url.pathname)
}
