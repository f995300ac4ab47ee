/** A journal entry as the recorder hands it to a store (no id yet), for tests of the journal stores. */
import type { JournalEntry } from '../../src/state/journal.js'

export const journalEntry = (path: string, method = 'GET'): Omit<JournalEntry, 'id'> => ({
  time: '2030-01-01T00:00:00.000Z',
  method,
  path,
  query: {},
  headers: {},
  body: null,
  status: 200,
  duration_ms: 1,
  operation_id: null,
  fault: false,
  note: null,
  original_url: null,
})
