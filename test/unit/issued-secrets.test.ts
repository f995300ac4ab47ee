import fc from 'fast-check'
import t from 'tap'
import { IssuedSecrets, LITERAL_SECRETS_CAPACITY } from '../../src/state/issued-secrets.js'

/** What the table must behave like: the last `capacity` distinct secrets, oldest forgotten first. */
class Model {
  readonly order: string[] = []
  constructor(readonly capacity: number) {}
  remember(secret: string) {
    if (this.order.includes(secret)) return
    if (this.order.length === this.capacity) this.order.shift()
    this.order.push(secret)
  }
}

const secret = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/)

t.test('remembers the newest `capacity` secrets and forgets the oldest first, like a FIFO set', async () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(secret, { maxLength: 300 }),
      fc.array(secret, { maxLength: 20 }),
      (capacity, issued, probes) => {
        const table = new IssuedSecrets(capacity)
        const model = new Model(capacity)
        for (const s of issued) {
          table.remember(s)
          model.remember(s)
        }
        if (table.size !== model.order.length) return false
        for (const s of [...issued, ...probes]) if (table.has(s) !== model.order.includes(s)) return false
        const lengths = new Set(model.order.map((s) => s.length))
        return table.lengths().length === lengths.size && table.lengths().every((n) => lengths.has(n))
      },
    ),
    { numRuns: 300 },
  )
})

t.test('a full table keeps working through many evictions (deletion keeps probe runs intact)', async (t) => {
  const table = new IssuedSecrets(1000)
  const issued: string[] = []
  // Fixed secrets, not random ones: a 32-bit fingerprint may collide (the documented trade-off, about
  // 19,000 × 1,000 / 2^32 ≈ 0.4% of runs with random secrets), and a test must not fail by chance.
  for (let i = 0; i < 20_000; i++) {
    const secret = `s${i.toString(36).padStart(23, '0')}`
    table.remember(secret)
    issued.push(secret)
  }
  t.equal(table.size, 1000)
  t.ok(
    issued.slice(-1000).every((s) => table.has(s)),
    'every one of the newest 1000 is remembered',
  )
  t.equal(issued.slice(0, 19_000).filter((s) => table.has(s)).length, 0, 'every older one is forgotten')
  t.same(table.lengths(), [issued[0]?.length])
})

t.test('a capacity that is not a positive integer is refused', async (t) => {
  t.throws(() => new IssuedSecrets(0), RangeError)
  t.throws(() => new IssuedSecrets(1.5), RangeError)
})

t.test('a secret of other characters than a token is kept whole, once, and the oldest go past the bound', async (t) => {
  const table = new IssuedSecrets(10)
  table.remember('Odd.Secret~1')
  table.remember('Odd.Secret~1')
  table.remember('plain_token-123')
  t.same(table.literals(), ['Odd.Secret~1'], 'only the odd one, once')
  t.equal(table.size, 1, 'the token-shaped one is a fingerprint')
  for (let i = 0; i < LITERAL_SECRETS_CAPACITY + 5; i++) table.remember(`odd.${i}`)
  t.equal(table.literals().length, LITERAL_SECRETS_CAPACITY)
  t.equal(table.literals()[0], 'odd.5', 'the oldest are dropped first')
})

t.test('spansIn finds every remembered secret inside a run: whole, at either end, in the middle, several', async (t) => {
  const table = new IssuedSecrets(100)
  const a = 'AAAAbbbbCCCCdddd1234' // 20
  const b = 'zz_yy-xx0987654321QWERTYuiop' // 28
  table.remember(a)
  table.remember(b)
  t.same(table.spansIn(a), [{ start: 0, length: 20 }])
  t.same(table.spansIn(`pre${a}`), [{ start: 3, length: 20 }])
  t.same(table.spansIn(`${a}post`), [{ start: 0, length: 20 }])
  t.same(table.spansIn(`xx${a}yy${b}zz`), [
    { start: 2, length: 20 },
    { start: 24, length: 28 },
  ])
  t.same(table.spansIn('nothing-remembered-here-at-all'), [])
  t.same(table.spansIn(a.slice(1)), [], 'a part of a secret is not the secret')
})

t.test('spansIn finds any remembered secret glued between other token characters (property)', async () => {
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{0,30}$/)
  fc.assert(
    fc.property(fc.array(secret, { minLength: 1, maxLength: 20 }), fc.nat(), token, token, (secrets, pick, before, after) => {
      const table = new IssuedSecrets(100)
      for (const s of secrets) table.remember(s)
      const chosen = secrets[pick % secrets.length] ?? ''
      const run = `${before}${chosen}${after}`
      const spans = table.spansIn(run)
      // The chosen secret is covered by a span (itself, or a longer remembered secret overlapping it first).
      return spans.some((span) => span.start <= before.length && span.start + span.length > before.length)
    }),
    { numRuns: 300 },
  )
})
