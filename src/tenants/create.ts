/**
 * The registry of one server: named tenants are contexts like the default one, sharing its
 * options, spec and start fixtures, and its signing key unless each gets its own.
 */
import { MockContext } from '../context.js'
import { newSigningKey } from '../crypto/keys.js'
import type { HandlerTable } from '../handlers.js'
import { tenantBasePath } from '../tenant-path.js'
import { TenantRegistry, type Tenant } from './registry.js'

/** A drop made to stay within the limit is written in the default tenant's journal. */
function noteEviction(evicted: Tenant, registry: TenantRegistry): void {
  const root = registry.defaultTenant.context
  root.journal.record(
    {
      time: root.clock.now().toISOString(),
      method: 'DELETE',
      path: `/_mock/tenants/${evicted.name ?? ''}`,
      query: {},
      headers: {},
      body: null,
      status: 204,
      duration_ms: 0,
      operation_id: null,
      fault: false,
      note: `tenant ${tenantBasePath(evicted.name)} dropped: least recently used, over the limit of ${registry.max} tenants`,
      original_url: null,
    },
    512,
  )
}

export function createTenantRegistry(
  root: MockContext,
  handlersFor: (context: MockContext, registry: TenantRegistry) => HandlerTable,
): TenantRegistry {
  const { options, spec, key, initialFixtures } = root
  return new TenantRegistry(root, options.maxTenants, {
    context: (name, fixtures) =>
      new MockContext(options, spec, options.keyPerTenant ? newSigningKey() : key, fixtures ?? initialFixtures, { name, root }),
    handlers: handlersFor,
    onEvict: noteEviction,
  })
}
