/**
 * With state in Redis, each request starts by reading its tenant's shared clock offset and
 * settings, taking a fault shot in the same step (one round trip), and reloads the world when
 * another replica changed it (see shared-world.ts). When Redis cannot be reached
 * the request answers 503 in its family's envelope with Retry-After; the health endpoint still
 * answers (with `degraded`), so a load balancer can see why.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { MockContext } from '../context.js'
import type { Spec } from '../spec/load-spec.js'
import { holdFault } from './faults.js'
import { adoptWorld } from '../shared-world.js'
import { isControlRequest, pathOf } from './route-config.js'

/** The one operation that must answer without the shared store. */
const HEALTH_OPERATION = 'getHealth'

export function registerSharedState(app: FastifyInstance, spec: Spec, contextOf: (request: FastifyRequest) => MockContext): void {
  app.addHook('onRequest', async (request) => {
    const context = contextOf(request)
    const shared = context.shared
    if (shared === null) return
    const control = isControlRequest(request, spec)
    let synced
    try {
      synced = await shared.sync(request.method, pathOf(request), !control)
    } catch (error) {
      if (request.routeOptions.config?.operation?.operationId === HEALTH_OPERATION) return
      throw error
    }
    context.adoptShared(synced.conf)
    if (context.world !== null) await adoptWorld(context, context.world, synced.worldRev)
    if (synced.fault !== undefined) await holdFault(request, synced.fault)
  })
}
