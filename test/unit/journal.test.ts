import t from 'tap'
import { journalEntry } from '../helpers/journal-entry.js'
import { SecretMasker } from '../../src/masking.js'
import { IssuedSecrets } from '../../src/state/issued-secrets.js'
import { Journal } from '../../src/state/journal.js'

const newJournal = (capacity: number, maxBytes = 1024 * 1024, secrets = new IssuedSecrets()) =>
  new Journal(capacity, maxBytes, new SecretMasker(secrets))

const entry = journalEntry

t.test('the journal keeps entries oldest first with increasing ids', async (t) => {
  const journal = newJournal(10)
  journal.record(entry('/a'), 100)
  journal.record(entry('/b'), 100)
  t.same(
    journal.entries().map((e) => [e.id, e.path]),
    [
      [1, '/a'],
      [2, '/b'],
    ],
  )
})

t.test('a full journal drops the oldest entry and counts it', async (t) => {
  const journal = newJournal(2)
  for (const p of ['/a', '/b', '/c', '/d', '/e']) journal.record(entry(p), 100)
  t.same(
    journal.entries().map((e) => e.path),
    ['/d', '/e'],
  )
  t.equal(journal.dropped, 3)
  journal.clear()
  t.same(journal.entries(), [])
  t.equal(journal.dropped, 0)
  journal.record(entry('/f'), 100)
  t.same(
    journal.entries().map((e) => [e.id, e.path]),
    [[6, '/f']],
    'ids keep increasing after a clear',
  )
})

t.test('filters by path and case-insensitive method, and limit keeps the newest', async (t) => {
  const journal = newJournal(10)
  journal.record(entry('/a', 'POST'), 100)
  journal.record(entry('/b'), 100)
  journal.record(entry('/a'), 100)
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
  t.throws(() => newJournal(0), RangeError)
})

t.test('past its byte bound the journal drops the oldest entries until the new one fits', async (t) => {
  const journal = newJournal(100, 1000)
  for (const p of ['/a', '/b', '/c', '/d', '/e']) journal.record(entry(p), 300)
  t.same(
    journal.entries().map((e) => e.path),
    ['/c', '/d', '/e'],
  )
  t.equal(journal.bytes, 900)
  t.equal(journal.dropped, 2)
})

t.test('entries are masked when read: a remembered secret anywhere in them shows only its prefix', async (t) => {
  const secrets = new IssuedSecrets()
  const code = 'Zq3k9TnP0aB7xYw2LmN5vR8sD1fG4hJ6'
  secrets.remember(code)
  const journal = newJournal(10, 1024 * 1024, secrets)
  journal.record(
    {
      ...entry(`/api/v1/users/${code}`),
      query: { x: code },
      headers: { 'x-anything': `v=${code}` },
      body: { deep: [[{ nonstandard: `pre20${code}` }]] },
      note: code,
      original_url: `https://api.whop.com/api/v1/users/${code}`,
    },
    100,
  )
  const text = JSON.stringify(journal.entries())
  t.notOk(text.includes(code), 'the whole code appears nowhere')
  t.ok(text.includes(`${code.slice(0, 8)}…`), 'its prefix does')
})

t.test('a key named __proto__ or constructor is kept, masked like any other, in bodies, queries and headers', async (t) => {
  const journal = newJournal(10)
  const secret = 'whop_SwMFLZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFd'
  journal.record(
    {
      ...entry('/oauth/token'),
      query: JSON.parse(`{"__proto__": "${secret}", "constructor": "x"}`) as Record<string, string>,
      headers: JSON.parse(`{"__proto__": "${secret}"}`) as Record<string, string>,
      body: JSON.parse(`{"__proto__": {"client_secret": "${secret}"}, "n": 1}`) as unknown,
    },
    100,
  )
  const [read] = journal.entries()
  const text = JSON.stringify(read)
  t.notOk(text.includes(secret), 'the secret appears nowhere')
  t.same(Object.keys(read!.body as object), ['__proto__', 'n'], 'the body keeps its __proto__ key as an own key')
  t.same(JSON.parse(text).body, { ['__proto__']: { client_secret: 'whop_SwM…' }, n: 1 })
  t.same(Object.keys(read!.query), ['__proto__', 'constructor'])
  t.same(Object.keys(read!.headers), ['__proto__'])
})
