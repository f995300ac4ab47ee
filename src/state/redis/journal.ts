/**
 * The journal in Redis: one list per tenant that every replica appends to, numbered in the order
 * Redis receives the entries, each marked with the replica that served it; bounded in entries
 * and bytes like the in-memory ring. Entries are masked before they leave this replica (another
 * replica may not know the secrets this one issued) and again when read.
 */
import type { SecretMasker } from '../../masking.js'
import type { JournalEntry, JournalFilter } from '../journal.js'
import { maskEntry } from '../journal.js'
import type { JournalOperations } from '../store.js'
import type { RedisConnection } from './connection.js'
import { RECORD_JOURNAL } from './lua-shared.js'
import { parseRecord } from './records.js'

export class RedisJournal implements JournalOperations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    readonly capacity: number,
    readonly maxBytes: number,
    private readonly masker: SecretMasker,
  ) {}

  /** Sent without waiting; an entry that cannot be written while Redis is away is lost, never the request. */
  record(entry: Omit<JournalEntry, 'id'>, bytes: number): void {
    const marked = { ...maskEntry(this.masker, { id: 0, ...entry }), replica: this.redis.replicaId }
    const { id: _unnumbered, ...rest } = marked
    this.redis.script(RECORD_JOURNAL, [this.prefix, JSON.stringify(rest), bytes, this.capacity, this.maxBytes]).catch(() => {})
  }

  async entries(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const raw = await this.redis.call(() => this.redis.client.lrange(`${this.prefix}journal`, 0, -1))
    const method = filter.method?.toUpperCase()
    const out = raw
      .map((line) => parseRecord<JournalEntry>(line.slice(line.indexOf(' ') + 1)))
      .filter((e) => (filter.path === undefined || e.path === filter.path) && (method === undefined || e.method === method))
    const kept = filter.limit === undefined ? out : out.slice(-filter.limit)
    return kept.map((entry) => maskEntry(this.masker, entry))
  }

  async droppedCount(): Promise<number> {
    return Number((await this.redis.call(() => this.redis.client.get(`${this.prefix}journal:dropped`))) ?? 0)
  }

  async clear(): Promise<void> {
    const keys = ['journal', 'journal:bytes', 'journal:dropped'].map((k) => this.prefix + k)
    await this.redis.call(() => this.redis.client.unlink(...keys))
  }
}
