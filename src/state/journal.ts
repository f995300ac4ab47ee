/**
 * The request journal: what the mock received and answered, oldest first, in a ring bounded
 * both in entries and in bytes, so a long run or large requests cannot grow memory. Entries are
 * stored as received (bodies already cut to size by the recorder) and masked when they are read.
 */
import type { SecretMasker } from '../masking.js'
import type { BudgetedJournal, JournalBudget } from './journal-budget.js'

/** The request header naming the URL a rerouted request was first sent to; recorded as `original_url`. */
export const ORIGINAL_URL_HEADER = 'x-whop-mock-original-url'

export interface JournalEntry {
  id: number
  time: string
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: unknown
  status: number
  duration_ms: number
  operation_id: string | null
  fault: boolean
  /** A remark, e.g. `auto-approved` when auto-approve skipped the sign-in page. */
  note: string | null
  /** The URL a rerouted request was sent to (e.g. https://api.whop.com/...), else null. */
  original_url: string | null
  /** The replica that served the request, when replicas share their state in Redis. */
  replica?: string
}

export interface JournalFilter {
  path?: string | undefined
  method?: string | undefined
  limit?: number | undefined
}

interface Slot {
  entry: JournalEntry
  bytes: number
}

export class Journal implements BudgetedJournal {
  #ring: (Slot | undefined)[]
  #next = 0
  #size = 0
  #bytes = 0
  #nextId = 1
  #dropped = 0

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
    private readonly masker: SecretMasker,
    /** The bound shared with the other tenants' journals, if any. */
    private readonly budget: JournalBudget | null = null,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`)
    this.#ring = new Array<Slot | undefined>(capacity)
    budget?.join(this)
  }

  get dropped(): number {
    return this.#dropped
  }

  droppedCount(): number {
    return this.#dropped
  }

  /** Bytes the stored entries take, as counted against maxBytes. */
  get bytes(): number {
    return this.#bytes
  }

  /** Store an entry of about `bytes` bytes, dropping the oldest ones to stay within both bounds. */
  record(entry: Omit<JournalEntry, 'id'>, bytes: number): void {
    while (this.#size > 0 && (this.#size === this.capacity || this.#bytes + bytes > this.maxBytes)) this.#dropOldest()
    this.budget?.makeRoom(bytes)
    this.#ring[this.#next] = { entry: { id: this.#nextId++, ...entry }, bytes }
    this.#next = (this.#next + 1) % this.capacity
    this.#size++
    this.#bytes += bytes
    this.budget?.add(bytes)
  }

  dropOldestEntry(): boolean {
    if (this.#size === 0) return false
    this.#dropOldest()
    return true
  }

  /** Entries oldest first, filtered, with secrets masked. `limit` keeps the newest. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const method = filter.method?.toUpperCase()
    const out: JournalEntry[] = []
    const start = this.#start()
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.capacity]?.entry
      if (entry === undefined) continue
      if (filter.path !== undefined && entry.path !== filter.path) continue
      if (method !== undefined && entry.method !== method) continue
      out.push(entry)
    }
    const kept = filter.limit === undefined ? out : out.slice(-filter.limit)
    return kept.map((entry) => this.#masked(entry))
  }

  clear(): void {
    this.budget?.add(-this.#bytes)
    this.#ring = new Array<Slot | undefined>(this.capacity)
    this.#next = 0
    this.#size = 0
    this.#bytes = 0
    this.#dropped = 0
  }

  #start(): number {
    return (this.#next - this.#size + this.capacity) % this.capacity
  }

  #dropOldest(): void {
    const start = this.#start()
    const bytes = this.#ring[start]?.bytes ?? 0
    this.#bytes -= bytes
    this.budget?.add(-bytes)
    this.#ring[start] = undefined
    this.#size--
    this.#dropped++
  }

  #masked(entry: JournalEntry): JournalEntry {
    return maskEntry(this.masker, entry)
  }
}

/** An entry with every secret the masker knows hidden. */
export function maskEntry(masker: SecretMasker, entry: JournalEntry): JournalEntry {
  return {
    ...entry,
    path: masker.text(entry.path),
    query: Object.fromEntries(Object.entries(entry.query).map(([name, value]) => [masker.text(name), String(masker.value(value, name))])),
    headers: masker.headers(entry.headers),
    body: masker.value(entry.body),
    note: entry.note === null ? null : masker.text(entry.note),
    original_url: entry.original_url === null ? null : masker.text(entry.original_url),
  }
}
