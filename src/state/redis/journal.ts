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

/** How long an entry waits for a request's sync to carry it before it is sent alone. */
export const JOURNAL_FLUSH_MS = 20
/** Entries held at most before they are sent at once. */
const MAX_PENDING = 64

export class RedisJournal implements JournalOperations {
  /** Entries recorded and not yet sent: JSON and size, in turn. */
  #pending: string[] = []
  #timer: NodeJS.Timeout | null = null

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    readonly capacity: number,
    readonly maxBytes: number,
    private readonly masker: SecretMasker,
  ) {}

  /**
   * Never waits: the entry rides on this replica's next sync (see lua-shared.ts), or is sent
   * alone within JOURNAL_FLUSH_MS when no request comes. An entry that cannot be written while
   * Redis is away is lost, never the request.
   */
  record(entry: Omit<JournalEntry, 'id'>, bytes: number): void {
    const marked = { ...maskEntry(this.masker, { id: 0, ...entry }), replica: this.redis.replicaId }
    const { id: _unnumbered, ...rest } = marked
    this.#pending.push(JSON.stringify(rest), String(bytes))
    if (this.#pending.length >= 2 * MAX_PENDING) this.flush()
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.flush(), JOURNAL_FLUSH_MS)
      this.#timer.unref()
    }
  }

  /** The entries waiting, with the capacity and byte limit, for a sync to carry; none wait after. */
  drain(): string[] {
    if (this.#pending.length === 0) return []
    const batch = [String(this.capacity), String(this.maxBytes), ...this.#pending]
    this.#pending = []
    return batch
  }

  /** Send the waiting entries now. */
  flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    const batch = this.drain()
    if (batch.length === 0) return Promise.resolve()
    return this.redis.script(RECORD_JOURNAL, [this.prefix, ...batch]).then(
      () => {},
      () => {},
    )
  }

  async entries(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    await this.flush()
    const raw = await this.redis.call(() => this.redis.client.lrange(`${this.prefix}journal`, 0, -1))
    const method = filter.method?.toUpperCase()
    const out = raw
      .map((line) => parseRecord<JournalEntry>(line.slice(line.indexOf(' ') + 1)))
      .filter((e) => (filter.path === undefined || e.path === filter.path) && (method === undefined || e.method === method))
    const kept = filter.limit === undefined ? out : out.slice(-filter.limit)
    return kept.map((entry) => maskEntry(this.masker, entry))
  }

  async droppedCount(): Promise<number> {
    await this.flush()
    return Number((await this.redis.call(() => this.redis.client.get(`${this.prefix}journal:dropped`))) ?? 0)
  }

  async clear(): Promise<void> {
    this.#pending = []
    const keys = ['journal', 'journal:bytes', 'journal:dropped'].map((k) => this.prefix + k)
    await this.redis.call(() => this.redis.client.unlink(...keys))
  }
}
