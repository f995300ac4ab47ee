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
import { shareStartFixtures } from '../shared-world.js'

/** What GET /_mock/tenants says about one tenant. */
export async function tenantView(tenant: Tenant, name: string): Promise<Schemas['Tenant']> {
  const { context } = tenant
  const [grants, signIn, journal, faults] = await Promise.all([
    context.grants.size(),
    context.signIn.size(),
    context.journal.entries(),
    context.faults.list(),
  ])
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
      journal_entries: journal.length,
      faults: faults.length,
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
    listTenants: async () => ({
      tenants: await Promise.all(registry.list().flatMap((t) => (t.name === null ? [] : [tenantView(t, t.name)]))),
      max_tenants: registry.max,
      evicted: registry.evicted,
    }),

    async createTenant(request, reply) {
      const name = checkedName(request.body?.name ?? pickTenantName())
      const fixtures = fixturesOf(request.body?.fixtures)
      const existing = registry.use(name)
      if (existing !== undefined) {
        if (fixtures !== undefined)
          throw parameterInvalid('name', `Tenant ${name} exists already; delete it before creating it with other fixtures.`)
        return reply.code(200).send(await tenantView(existing, name))
      }
      const created = registry.create(name, fixtures)
      const world = created.context.world
      if (world !== null && fixtures !== undefined) await shareStartFixtures(created.context, world, fixtures)
      return reply.code(201).send(await tenantView(created, name))
    },

    async deleteTenant(request, reply) {
      const name = checkedName(request.params.name)
      const tenant = registry.use(name)
      // Shared state outlives this replica's copy of the tenant: deleting it empties it for all.
      if (tenant?.context.shared != null) await tenant.context.reset()
      await tenant?.context.world?.clear(false)
      if (!registry.delete(name)) throw notFound('name', `No tenant ${name}.`)
      return reply.code(204).send()
    },
  }
}
