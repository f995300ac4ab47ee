/**
 * A tenant's clock offset and settings in Redis, read by every request as it starts (with a
 * fault shot, and the journal entries this replica recorded since, in the same script), so a clock moved or a setting flipped at one replica holds at
 * the next request anywhere.
 */
import type { SharedConf, SharedTenantState, SyncReply } from '../store.js'
import type { RedisConnection } from './connection.js'
import { faultOf } from './faults.js'
import { CONF_FIELDS, SYNC } from './lua-shared.js'
import type { ArmedCount } from './tampering.js'
import type { RedisJournal } from './journal.js'

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

export class RedisSharedState implements SharedTenantState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    /** Where the count of armed tamperings each sync reads goes (see tampering.ts). */
    private readonly seen: ArmedCount,
    /** The tenant's journal, whose waiting entries each sync carries. */
    private readonly journal: RedisJournal,
  ) {}

  async sync(method: string, path: string, takeFault: boolean): Promise<SyncReply> {
    const reply = await this.redis.script(SYNC, [this.prefix, method, path, takeFault ? '1' : '0', ...this.journal.drain()])
    const values: unknown[] = Array.isArray(reply) ? reply : []
    const conf: SharedConf = {
      offset_ms: text(values[0]),
      auto_approve: text(values[1]),
      strict_scopes: text(values[2]),
      allow_openid_without_nonce: text(values[3]),
      revoke_grant_on_refresh_reuse: text(values[4]),
    }
    const json = values[CONF_FIELDS.length]
    this.seen.tamperings = Number(values[CONF_FIELDS.length + 3] ?? 0)
    return {
      conf,
      worldRev: String(values[CONF_FIELDS.length + 4] ?? '0'),
      fault: typeof json === 'string' ? faultOf(values[CONF_FIELDS.length + 2], json, values[CONF_FIELDS.length + 1]) : undefined,
    }
  }

  async save(conf: Partial<SharedConf>): Promise<void> {
    const fields = Object.entries(conf).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    if (fields.length > 0) await this.redis.call(() => this.redis.client.hset(`${this.prefix}conf`, Object.fromEntries(fields)))
  }

  async advance(ms: number): Promise<number> {
    return this.redis.call(() => this.redis.client.hincrby(`${this.prefix}conf`, 'offset_ms', ms))
  }

  async clear(): Promise<void> {
    await this.redis.call(() => this.redis.client.unlink(`${this.prefix}conf`))
  }
}
