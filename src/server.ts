/**
 * buildMockServer: the spec becomes the route table. Each operation gets one Fastify route
 * (plus its path aliases) bound to the handler of the same operationId; an operation without
 * a handler, or a handler without an operation, stops the build.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { authenticatorFor } from './auth/credentials.js'
import { RouteTableError } from './errors/startup.js'
import { MockContext } from './context.js'
import { isOperationId, routeHandler, type HandlerTable } from './handlers.js'
import { loadOrCreateSigningKey, type SigningKey } from './crypto/keys.js'
import { registerBodyParsers } from './http/body-parsers.js'
import { serverOptions, shedSilentConnections } from './http/connections.js'
import { loggerOptions } from './http/logging.js'
import { constantHeadersHook } from './http/constant-headers.js'
import { decorateRequestFields } from './http/request-fields.js'
import { registerDrainOnClose } from './http/drain-on-close.js'
import { registerErrorHandling } from './http/error-handler.js'
import { answeringFault, registerFaultHooks } from './http/faults.js'
import { registerJournal } from './http/journal.js'
import { registerSharedState } from './http/shared-state.js'
import type { StateBackend } from './state/store.js'
import { registerRequestGuards } from './http/request-guards.js'
import { validateRequest } from './http/validation.js'
import { resolveOptions, type MockServerOptions } from './options.js'
import { tlsMaterial } from './crypto/tls.js'
import { loadBundledSpec, type Spec } from './spec/load-spec.js'
import { compileRequestValidator, type RequestValidator } from './spec/request-validation.js'
import { readFixtureFile, checkFixtures, type FixtureData, type WorldData } from './state/fixtures.js'
import { defaultFixturesPath } from './paths.js'
import { accessTokenHandlers } from './surfaces/access-tokens.js'
import { authorizeHandlers } from './surfaces/authorize.js'
import { controlHandlers } from './surfaces/control.js'
import { discoveryHandlers } from './surfaces/discovery.js'
import { identityHandlers } from './surfaces/identity.js'
import { provisioningHandlers } from './surfaces/provisioning/index.js'
import { revokeHandlers } from './surfaces/revoke.js'
import { tokenExchangeHandlers } from './surfaces/token-exchange.js'
import { userTokenHandlers } from './surfaces/user-tokens.js'
import { tenantHandlers } from './surfaces/tenants.js'
import { stateHandlers } from './surfaces/state.js'
import { createTenantRegistry } from './tenants/create.js'
import type { TenantRegistry } from './tenants/registry.js'
import { contextOf, registerTenantRouting, tenantRouteHandler, tenantRoutePath } from './tenants/routing.js'
import { v2IdentityHandlers } from './surfaces/v2-identity.js'

/** Every surface's handlers; adding a Whop surface is one line here plus its spec entries. */
function allHandlers(context: MockContext, tenants: TenantRegistry): HandlerTable {
  // A handler for an operation the spec lacks does not compile (each surface's keys are operation ids),
  // nor does a missing one (the result must be a whole HandlerTable); checkRouteTable says the same at build.
  return {
    ...accessTokenHandlers(context),
    ...authorizeHandlers(context),
    ...tokenExchangeHandlers(context),
    ...revokeHandlers(context),
    ...identityHandlers(context),
    ...discoveryHandlers(context),
    ...userTokenHandlers(context),
    ...controlHandlers(context),
    ...provisioningHandlers(context),
    ...v2IdentityHandlers(context),
    ...tenantHandlers(tenants),
    ...stateHandlers(context),
  }
}

export function checkRouteTable(spec: Spec, handlers: Readonly<Record<string, unknown>>): void {
  const operationIds = new Set(spec.operations.map((op) => op.operationId))
  const problems = [
    ...spec.operations
      .filter((op) => !(op.operationId in handlers))
      .map((op) => `spec operation ${op.operationId} (${op.method} ${op.path}) has no handler`),
    ...Object.keys(handlers)
      .filter((id) => !operationIds.has(id))
      .map((id) => `handler ${id} has no operation in the spec`),
  ]
  if (problems.length > 0) throw new RouteTableError(problems.join('; '))
}

const validators = new WeakMap<Spec, Map<string, RequestValidator>>()

/** Request validators are compiled once per spec, however many servers a process builds. */
function validatorsFor(spec: Spec): Map<string, RequestValidator> {
  let table = validators.get(spec)
  if (table === undefined) {
    table = new Map(spec.operations.map((op) => [op.operationId, compileRequestValidator(op)]))
    validators.set(spec, table)
  }
  return table
}

function loadFixtures(source: string | WorldData | undefined): FixtureData {
  if (source === undefined) return readFixtureFile(defaultFixturesPath)
  return typeof source === 'string' ? readFixtureFile(source) : checkFixtures(source, 'fixtures option')
}

/** The Redis backend when a URL is given; its client is loaded only then, so the memory store starts as light as ever. */
async function openBackend(
  redisUrl: string | undefined,
): Promise<(StateBackend & { sharedSigningKey: (key: SigningKey) => Promise<SigningKey> }) | null> {
  if (redisUrl === undefined) return null
  const { RedisBackend } = await import('./state/redis/backend.js')
  return RedisBackend.open(redisUrl)
}

export interface BuiltMockServer {
  app: FastifyInstance
  context: MockContext
  /** The default tenant (`context`) and the named ones under /t/{tenant}/. */
  tenants: TenantRegistry
  /** The PEM certificate served when TLS is on (self-signed unless files were given), else null. */
  tlsCertificate: string | null
}

/** Build (but do not start) a mock server. Throws OptionError, FixtureError, KeyFileError, SpecError or RouteTableError. */
export async function buildMockServer(options: MockServerOptions = {}): Promise<BuiltMockServer> {
  return buildMockServerFromSpec(loadBundledSpec(), options)
}

/** Build a mock server from a given spec (the bundled one, or one derived from it in tests). */
export async function buildMockServerFromSpec(specLoad: Spec | Promise<Spec>, options: MockServerOptions = {}): Promise<BuiltMockServer> {
  const resolved = resolveOptions(options)
  const fixtures = loadFixtures(resolved.fixtures)
  const [spec, ownKey, backend] = await Promise.all([specLoad, loadOrCreateSigningKey(resolved.keyFile), openBackend(resolved.redisUrl)])
  const key = backend === null ? ownKey : await backend.sharedSigningKey(ownKey)
  const context = new MockContext(resolved, spec, key, fixtures, undefined, backend)
  const tenants = createTenantRegistry(context, allHandlers)
  const handlers = tenants.defaultTenant.handlers
  checkRouteTable(spec, handlers)

  const tls = await tlsMaterial(resolved, context.clock.now())
  const app = Fastify({
    ...serverOptions(resolved, tls),
    logger: loggerOptions(resolved.logLevel, context.masker),
    bodyLimit: resolved.bodyLimit,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  })
  app.server.maxConnections = resolved.maxConnections
  shedSilentConnections(app.server, resolved.headersTimeoutMs, tls !== null)
  decorateRequestFields(app)
  await registerBodyParsers(app)
  registerErrorHandling(app, spec, resolved.bodyLimit)
  registerRequestGuards(app, spec, { ...resolved, bindHost: resolved.host, publicUrl: () => context.publicUrl })
  registerTenantRouting(app, tenants)
  const mockOf = (request: FastifyRequest) => contextOf(tenants, request)
  if (backend !== null) {
    registerSharedState(app, spec, mockOf)
    app.addHook('onClose', async () => backend.close())
  }
  registerJournal(app, spec, mockOf)
  registerFaultHooks(app, spec, (request) => mockOf(request).faults, backend === null)
  registerDrainOnClose(app)

  const table = validatorsFor(spec)
  for (const operation of spec.operations) {
    if (!isOperationId(handlers, operation.operationId)) continue // checkRouteTable has refused this already
    // The paths without a prefix call the default tenant's handler directly; /t/{tenant}/… the request's tenant's.
    const direct = routeHandler(handlers, operation.operationId)
    const viaTenant = tenantRouteHandler(tenants, operation.operationId)
    const authenticate = authenticatorFor(operation.security)
    const onSend = constantHeadersHook(operation)
    const bodyLimit = operation.extensions['x-body-limit']
    const routes = operation.routePaths.flatMap((url) => [
      { url, handler: direct },
      { url: tenantRoutePath(url), handler: viaTenant },
    ])
    for (const { url, handler } of routes) {
      app.route({
        method: operation.method,
        url,
        config: { operation, validator: table.get(operation.operationId)! },
        ...(typeof bodyLimit === 'number' && { bodyLimit }),
        // Who is calling is settled before the body is read: a bad key is 401 whatever it sent.
        // Only a fault that answers skips it; a delay-only fault stalls, then serves normally.
        ...(authenticate && {
          onRequest: async (request) => {
            if (answeringFault(request) === undefined) request.credential = await authenticate(mockOf(request), request)
          },
        }),
        ...(onSend && { onSend }),
        preValidation: validateRequest,
        handler,
      })
    }
  }
  return { app, context, tenants, tlsCertificate: tls?.cert ?? null }
}
