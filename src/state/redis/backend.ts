/** The Redis backend: one connection for the process, and each tenant's stores under its own key prefix. */
import { privateJwkOf, signingKeyFromJwk, type SigningKey } from '../../crypto/keys.js'
import type { StateBackend, StoreParts, TenantStores, SharedTenantState, SharedWorld } from '../store.js'
import { RedisConnection, tenantPrefix } from './connection.js'
import { RedisFaults } from './faults.js'
import { RedisGrantStore } from './grants.js'
import { JOURNAL_FLUSH_MS, RedisJournal } from './journal.js'
import { RedisSharedState } from './shared.js'
import { RedisSignInStore } from './sign-in.js'
import { RedisTamperings } from './tampering.js'
import { RedisWorld } from './world.js'

/** Where the shared signing key is kept (no TTL: tokens must verify as long as replicas run). */
const SIGNING_KEY = 'wam:signing-key'

export class RedisBackend implements StateBackend {
  private constructor(readonly connection: RedisConnection) {}

  /** Connect, or throw RedisUnreachableError (exit 2 with one line from the CLI). */
  static async open(url: string): Promise<RedisBackend> {
    return new RedisBackend(await RedisConnection.open(url))
  }

  /**
   * The key every replica signs with: the first replica's (its key file's, or the one it made)
   * is kept in Redis and every later one adopts it, so a token from one verifies at all.
   */
  async sharedSigningKey(candidate: SigningKey): Promise<SigningKey> {
    const { client } = this.connection
    const stored = await this.connection.call(async () => {
      await client.set(SIGNING_KEY, privateJwkOf(candidate), 'NX')
      return client.get(SIGNING_KEY)
    })
    const key = stored === null ? candidate : signingKeyFromJwk(stored)
    // A Redis that comes back empty (restarted without persistence) gets the key again, so a
    // replica started later adopts the one the running replicas sign with.
    client.on('ready', () => void client.set(SIGNING_KEY, privateJwkOf(key), 'NX').catch(() => {}))
    return key
  }

  storesFor(tenant: string | null, parts: StoreParts): TenantStores & { shared: SharedTenantState; world: SharedWorld } {
    const prefix = tenantPrefix(tenant)
    const redis = this.connection
    const seen = { tamperings: 0 }
    const journal = new RedisJournal(redis, prefix, parts.journalSize, parts.journalBytes, parts.masker)
    return {
      grants: new RedisGrantStore(redis, prefix, parts.clock, parts.secrets, parts.maxGrants),
      signIn: new RedisSignInStore(redis, prefix, parts.clock, parts.secrets),
      faults: new RedisFaults(redis, prefix),
      tampering: new RedisTamperings(redis, prefix, seen),
      journal,
      shared: new RedisSharedState(redis, prefix, seen, journal),
      world: new RedisWorld(redis, prefix),
    }
  }

  get healthy(): boolean {
    return this.connection.healthy
  }

  async close(): Promise<void> {
    // Journal entries still waiting for a sync go out alone within this time: let them.
    await new Promise((resolve) => setTimeout(resolve, JOURNAL_FLUSH_MS + 5))
    await this.connection.close()
  }
}
