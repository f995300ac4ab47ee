import t from 'tap'
import { Journal, type JournalEntry } from '../../src/state/journal.js'

const entry = (path: string, method = 'GET'): Omit<JournalEntry, 'id'> => ({
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
})

t.test('the journal keeps entries oldest first with increasing ids', async (t) => {
  const journal = new Journal(10)
  journal.record(entry('/a'))
  journal.record(entry('/b'))
  t.same(
    journal.entries().map((e) => [e.id, e.path]),
    [
      [1, '/a'],
      [2, '/b'],
    ],
  )
})

t.test('a full journal drops the oldest entry and counts it', async (t) => {
  const journal = new Journal(2)
  for (const p of ['/a', '/b', '/c', '/d', '/e']) journal.record(entry(p))
  t.same(
    journal.entries().map((e) => e.path),
    ['/d', '/e'],
  )
  t.equal(journal.dropped, 3)
  journal.clear()
  t.same(journal.entries(), [])
  t.equal(journal.dropped, 0)
  journal.record(entry('/f'))
  t.same(
    journal.entries().map((e) => [e.id, e.path]),
    [[6, '/f']],
    'ids keep increasing after a clear',
  )
})

t.test('filters by path and case-insensitive method, and limit keeps the newest', async (t) => {
  const journal = new Journal(10)
  journal.record(entry('/a', 'POST'))
  journal.record(entry('/b'))
  journal.record(entry('/a'))
  t.same(
    journal.entries({ path: '/a' }).map((e) => e.method),
    ['POST', 'GET'],
  )
  t.same(
    journal.entries({ method: 'post' }).map((e) => e.path),
    ['/a'],
  )
  t.same(
    journal.entries({ limit: 2 }).map((e) => e.id),
    [2, 3],
  )
})

t.test('a capacity below one is refused', async (t) => {
  t.throws(() => new Journal(0), RangeError)
})
