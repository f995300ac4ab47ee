/**
 * One memory bound for the journals of every tenant in a process. Each journal keeps its own
 * bound (`journalBytes`); tenants are created by any request under `/t/{name}/`, so without a
 * shared bound a hundred full tenants could hold a hundred times that. Past the shared bound, the
 * journal holding the most bytes drops its oldest entries first: a tenant that floods the mock
 * loses its own history before a quiet tenant loses any.
 */

/** What the budget needs of a journal. */
export interface BudgetedJournal {
  readonly bytes: number
  /** Drop the oldest entry; false when there is none. */
  dropOldestEntry(): boolean
}

export class JournalBudget {
  #used = 0
  readonly #journals = new Set<BudgetedJournal>()

  constructor(readonly maxBytes: number) {}

  get used(): number {
    return this.#used
  }

  join(journal: BudgetedJournal): void {
    this.#journals.add(journal)
  }

  /** A journal that is gone (its tenant was dropped) gives its bytes back. */
  leave(journal: BudgetedJournal): void {
    if (this.#journals.delete(journal)) this.#used -= journal.bytes
  }

  /** Count bytes a journal stored (positive) or dropped (negative). */
  add(bytes: number): void {
    this.#used += bytes
  }

  /** Make room for `bytes` more: the fullest journals drop their oldest entries until it fits. */
  makeRoom(bytes: number): void {
    while (this.#used + bytes > this.maxBytes) {
      const fullest = this.#fullest()
      if (fullest === undefined || !fullest.dropOldestEntry()) return
    }
  }

  #fullest(): BudgetedJournal | undefined {
    let fullest: BudgetedJournal | undefined
    for (const journal of this.#journals) if (journal.bytes > (fullest?.bytes ?? 0)) fullest = journal
    return fullest
  }
}
