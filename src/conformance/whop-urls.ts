/**
 * Whop's real URLs in a conformance run: an app that sends the browser to
 * https://whop.com/oauth/ or https://api.whop.com/oauth/authorize is sent to the run's mock, as
 * the interception entry points send its server-side calls. Which URLs: src/intercept/whop-hosts.ts.
 */
import { reroutes } from '../intercept/whop-hosts.js'

/** The mock's URL (under `mockUrl`, a tenant's or not) for a URL at Whop that the mock stands in for; null for any other URL. */
export function onMock(url: URL, mockUrl: string): URL | null {
  if (!reroutes(url)) return null
  return new URL(`${mockUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`)
}

/** Whether a URL leads to the mock: at the mock's own origin, or at Whop where the mock stands in. */
export function leadsToMock(url: URL, mockUrl: string): boolean {
  return url.origin === new URL(mockUrl).origin || reroutes(url)
}

/** The path a URL names within the mock (without a tenant's prefix); null when it does not lead there. */
export function pathWithinMock(url: URL, mockUrl: string): string | null {
  if (reroutes(url)) return url.pathname
  const base = new URL(mockUrl).pathname.replace(/\/+$/, '')
  return url.origin === new URL(mockUrl).origin && url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : null
}
