/**
 * Where rerouted requests go: the mock's origin and base path (a tenant's `/t/{name}`, or none),
 * and how a request to Whop becomes one to the mock. Shared by the Node preload and the MSW handlers.
 */
import { reroutes } from './whop-hosts.js'

export interface MockTarget {
  /** `http://127.0.0.1:4010`, no trailing slash. */
  readonly origin: string
  /** `''`, or a tenant's base path such as `/t/ci`, no trailing slash. */
  readonly basePath: string
}

/** The target for a mock URL such as `http://127.0.0.1:4010` or `http://127.0.0.1:4010/t/ci`; throws a TypeError when it is not an http(s) URL. */
export function mockTarget(mockUrl: string): MockTarget {
  const url = new URL(mockUrl)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the mock URL must be http or https, got ${mockUrl}`)
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new TypeError(`the mock URL must be an origin with an optional path, got ${mockUrl}`)
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') }
}

/** The mock's path for a request target (path and query) sent to Whop. */
export function mockPath(target: MockTarget, path: string): string {
  return `${target.basePath}${path.startsWith('/') ? path : `/${path}`}`
}

/** The URL at the mock a request to `url` goes to, or null when `url` is not rerouted. */
export function reroutedUrl(target: MockTarget, url: URL): URL | null {
  if (!reroutes(url)) return null
  return new URL(mockPath(target, `${url.pathname}${url.search}`), target.origin)
}
