/**
 * How a request finds its tenant: a path under `/t/{tenant}/` is served by that tenant
 * (created on its first use by a route the spec serves), every other path by the default
 * tenant. The hook costs one startsWith for a path without the prefix.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import type { MockContext } from '../context.js'
import { parameterInvalid } from '../errors.js'
import { routeHandler, type OperationId } from '../handlers.js'
import { renderError } from '../http/envelopes.js'
import { isTenantName, splitTenantPath, TENANT_NAME_RULE, TENANT_PREFIX } from '../tenant-path.js'
import type { Tenant, TenantRegistry } from './registry.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant serving a request under /t/{tenant}/; absent for the default tenant. */
    tenant?: Tenant
  }
}

/** The route path of an operation's path inside a tenant. */
export const tenantRoutePath = (url: string) => `${TENANT_PREFIX}:mockTenant${url}`

/** The context serving a request. */
export function contextOf(registry: TenantRegistry, request: FastifyRequest): MockContext {
  return (request.tenant ?? registry.defaultTenant).context
}

/** A bad tenant name is refused in the control envelope, whichever route it prefixes. */
export function refuseTenantName(reply: FastifyReply, name: string): FastifyReply {
  const rendered = renderError(
    parameterInvalid('tenant', `Tenant name ${JSON.stringify(name)} is not valid: use ${TENANT_NAME_RULE}.`),
    'control',
  )
  return reply.code(rendered.status).headers(rendered.headers).type(rendered.contentType).send(rendered.body)
}

/** Registered before the journal and fault hooks, which read the tenant it sets. */
export function registerTenantRouting(app: FastifyInstance, registry: TenantRegistry): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(TENANT_PREFIX)) return done()
    const q = request.url.indexOf('?')
    const split = splitTenantPath(q < 0 ? request.url : request.url.slice(0, q))
    if (split === null) return done()
    if (!isTenantName(split.name)) {
      refuseTenantName(reply, split.name)
      return
    }
    // Only a route the spec serves brings a tenant to life; a stray 404 does not.
    const served = request.routeOptions.config?.operation !== undefined
    const tenant = served ? registry.useOrCreate(split.name) : registry.use(split.name)
    if (tenant !== undefined) request.tenant = tenant
    done()
  })
}

/** The handler of a tenant route: the same operation, from the request's tenant's table. */
export function tenantRouteHandler(registry: TenantRegistry, id: OperationId): RouteHandlerMethod {
  return function (request, reply) {
    const tenant = request.tenant ?? registry.defaultTenant
    return routeHandler(tenant.handlers, id).call(this, request, reply)
  }
}
