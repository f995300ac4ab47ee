/**
 * The tenants of one server: the default tenant (the paths without a prefix, never dropped)
 * and up to `max` named ones, each a MockContext with its own handler table. Least recently
 * used first out when full; every drop is reported to `onEvict`, so none is silent.
 * Lookups are one Map access; a use moves the tenant to the back of the Map's order.
 */
import { randomBytes } from 'node:crypto'
import type { MockContext } from '../context.js'
import { realTimeMs } from '../state/clock.js'
import type { HandlerTable } from '../handlers.js'
import type { WorldData } from '../state/fixtures.js'

/** Mock choice: a picked name is `t-` and ten URL-safe random characters. */
export const pickTenantName = () => `t-${randomBytes(8).toString('base64url').slice(0, 10)}`

export interface Tenant {
  /** null for the default tenant. */
  name: string | null
  context: MockContext
  handlers: HandlerTable
  /** Real time (ms since the epoch) of its creation and of its last request. */
  createdAtMs: number
  lastUsedAtMs: number
}

export interface TenantFactory {
  /** A fresh context for tenant `name`, with a copy of `fixtures` or of the start fixtures. */
  context(name: string, fixtures: WorldData | undefined): MockContext
  /** The handler table serving one tenant's context (cheap closures over it). */
  handlers(context: MockContext, registry: TenantRegistry): HandlerTable
  /** A dropped tenant is reported here (the server notes it in the default tenant's journal). */
  onEvict(evicted: Tenant, registry: TenantRegistry): void
}

export class TenantRegistry {
  readonly #named = new Map<string, Tenant>()
  /** The tenant at the back of #named's order, if known. */
  #newest: Tenant | undefined
  readonly defaultTenant: Tenant
  #evicted = 0

  constructor(
    defaultContext: MockContext,
    /** At most this many named tenants (the default one not counted); at least 1. */
    readonly max: number,
    private readonly factory: TenantFactory,
  ) {
    const now = realTimeMs()
    this.defaultTenant = {
      name: null,
      context: defaultContext,
      handlers: factory.handlers(defaultContext, this),
      createdAtMs: now,
      lastUsedAtMs: now,
    }
  }

  /** How many tenants were dropped to make room since the start. */
  get evicted(): number {
    return this.#evicted
  }

  /** The named tenant, marked as just used; undefined when it does not exist. */
  use(name: string): Tenant | undefined {
    const tenant = this.#named.get(name)
    if (tenant === undefined) return undefined
    tenant.lastUsedAtMs = realTimeMs()
    // Back of the order; a tenant used twice in a row is there already (the common case under load).
    if (this.#newest !== tenant) {
      this.#named.delete(name)
      this.#named.set(name, tenant)
      this.#newest = tenant
    }
    return tenant
  }

  /** The named tenant, created (with the start fixtures) on its first use. */
  useOrCreate(name: string): Tenant {
    return this.use(name) ?? this.create(name, undefined)
  }

  /** A new tenant; the caller has checked the name is free. Drops the least recently used one when full. */
  create(name: string, fixtures: WorldData | undefined): Tenant {
    while (this.#named.size >= this.max) this.#evictOldest()
    const context = this.factory.context(name, fixtures)
    const now = realTimeMs()
    const tenant: Tenant = { name, context, handlers: this.factory.handlers(context, this), createdAtMs: now, lastUsedAtMs: now }
    this.#named.set(name, tenant)
    this.#newest = tenant
    return tenant
  }

  has(name: string): boolean {
    return this.#named.has(name)
  }

  delete(name: string): boolean {
    const tenant = this.#named.get(name)
    if (tenant === undefined) return false
    this.#named.delete(name)
    tenant.context.release()
    return true
  }

  /** The named tenants, least recently used first. */
  list(): Tenant[] {
    return [...this.#named.values()]
  }

  get size(): number {
    return this.#named.size
  }

  #evictOldest(): void {
    const oldest = this.#named.entries().next()
    if (oldest.done === true) return
    const [name, tenant] = oldest.value
    this.#named.delete(name)
    tenant.context.release()
    this.#evicted++
    this.factory.onEvict(tenant, this)
  }
}
