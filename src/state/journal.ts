/**
 * The request journal: what the mock received and answered, oldest first, in a bounded ring
 * so a long run cannot grow memory. Entries are masked before they are stored.
 */
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
}

export interface JournalFilter {
  path?: string | undefined
  method?: string | undefined
  limit?: number | undefined
}

export class Journal {
  readonly capacity: number
  #ring: (JournalEntry | undefined)[]
  #next = 0
  #size = 0
  #nextId = 1
  #dropped = 0

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`)
    this.capacity = capacity
    this.#ring = new Array<JournalEntry | undefined>(capacity)
  }

  get dropped(): number {
    return this.#dropped
  }

  record(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const stored = { id: this.#nextId++, ...entry }
    if (this.#size === this.capacity) this.#dropped++
    else this.#size++
    this.#ring[this.#next] = stored
    this.#next = (this.#next + 1) % this.capacity
    return stored
  }

  /** Entries oldest first, filtered. `limit` keeps the newest. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const method = filter.method?.toUpperCase()
    const out: JournalEntry[] = []
    const start = (this.#next - this.#size + this.capacity) % this.capacity
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.capacity]
      if (entry === undefined) continue
      if (filter.path !== undefined && entry.path !== filter.path) continue
      if (method !== undefined && entry.method !== method) continue
      out.push(entry)
    }
    return filter.limit === undefined ? out : out.slice(-filter.limit)
  }

  clear(): void {
    this.#ring = new Array<JournalEntry | undefined>(this.capacity)
    this.#next = 0
    this.#size = 0
    this.#dropped = 0
  }
}
