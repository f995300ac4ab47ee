/**
 * The tenant lifecycle in the control API: list, create, delete. Tenants themselves are made
 * and kept by the registry (src/tenants/registry.ts); this is only its HTTP face.
 */
import type { Handlers, Schemas } from '../handlers.js'
import { notFound, parameterInvalid } from '../errors.js'
import { realTimeMs } from '../state/clock.js'
import { FixtureError } from '../errors/startup.js'
import { checkFixtures, type FixtureData } from '../state/fixtures.js'
import { isTenantName, TENANT_NAME_RULE } from '../tenant-path.js'
import { pickTenantName, type Tenant, type TenantRegistry } from '../tenants/registry.js'

/** What GET /_mock/tenants says about one tenant. */
export function tenantView(tenant: Tenant, name: string): Schemas['Tenant'] {
  const { context } = tenant
  const grants = context.grants.size()
  const signIn = context.signIn.size()
  return {
    name,
    base_url: context.publicUrl,
    issuer: context.issuer,
    created_at: new Date(tenant.createdAtMs).toISOString(),
    last_used_at: new Date(tenant.lastUsedAtMs).toISOString(),
    age_seconds: Math.max(0, Math.floor((realTimeMs() - tenant.createdAtMs) / 1000)),
    size: {
      codes: grants.codes,
      grants: grants.grants,
      refresh_tokens: grants.refreshTokens,
      pending_sign_ins: signIn.pending,
      sessions: signIn.sessions,
      journal_entries: context.journal.entries().length,
      faults: context.faults.list().length,
    },
  }
}

function checkedName(name: string): string {
  if (!isTenantName(name)) throw parameterInvalid('name', `Tenant name ${JSON.stringify(name)} is not valid: use ${TENANT_NAME_RULE}.`)
  return name
}

function fixturesOf(value: unknown): FixtureData | undefined {
  if (value === undefined) return undefined
  try {
    return checkFixtures(value, 'fixtures')
  } catch (error) {
    if (error instanceof FixtureError) throw parameterInvalid('fixtures', error.message)
    throw error
  }
}

export function tenantHandlers(registry: TenantRegistry): Handlers<'listTenants' | 'createTenant' | 'deleteTenant'> {
  return {
    listTenants: () => ({
      tenants: registry.list().flatMap((t) => (t.name === null ? [] : [tenantView(t, t.name)])),
      max_tenants: registry.max,
      evicted: registry.evicted,
    }),

    createTenant(request, reply) {
      const name = checkedName(request.body?.name ?? pickTenantName())
      const fixtures = fixturesOf(request.body?.fixtures)
      const existing = registry.use(name)
      if (existing !== undefined) {
        if (fixtures !== undefined)
          throw parameterInvalid('name', `Tenant ${name} exists already; delete it before creating it with other fixtures.`)
        return reply.code(200).send(tenantView(existing, name))
      }
      return reply.code(201).send(tenantView(registry.create(name, fixtures), name))
    },

    deleteTenant(request, reply) {
      const name = checkedName(request.params.name)
      if (!registry.delete(name)) throw notFound('name', `No tenant ${name}.`)
      return reply.code(204).send()
    },
  }
}
