/**
 * Tenant paths: `/t/{tenant}/…` serves the same routes as `/…`, in that tenant's own world.
 * Pure string work, shared by routing, the journal, faults and the response contract.
 */

/** The prefix every tenant path starts with. */
export const TENANT_PREFIX = '/t/'

/** Mock choice: short and URL-safe, so a name is never escaped in a URL, a cookie path or an issuer. */
export const TENANT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const TENANT_NAME_RULE = '1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"'

export function isTenantName(name: string): boolean {
  return TENANT_NAME_PATTERN.test(name)
}

export interface TenantPath {
  /** The segment after /t/, not yet checked against the name rule. */
  name: string
  /** The path within the tenant, e.g. /oauth/token (at least "/"). */
  rest: string
}

/** Split `/t/{name}/rest`; null for every path outside a tenant (checked with one startsWith). */
export function splitTenantPath(path: string): TenantPath | null {
  if (!path.startsWith(TENANT_PREFIX)) return null
  const end = path.indexOf('/', TENANT_PREFIX.length)
  if (end < 0) return { name: path.slice(TENANT_PREFIX.length), rest: '/' }
  return { name: path.slice(TENANT_PREFIX.length, end), rest: path.slice(end) }
}

/** The path as the tenant sees it: `/t/ci-1/oauth/token` → `/oauth/token`; other paths unchanged. */
export function tenantRelativePath(path: string): string {
  return splitTenantPath(path)?.rest ?? path
}

/** `/t/{name}`, the base path of a tenant; '' for the default tenant. */
export function tenantBasePath(name: string | null): string {
  return name === null ? '' : `${TENANT_PREFIX}${name}`
}
