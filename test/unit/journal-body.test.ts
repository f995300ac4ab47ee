/**
 * What the journal keeps of a long body: the first MAX_BODY_CHARS characters, less the run of
 * token characters the cut goes through (at most 1,024 of them), then a marker with the length.
 */
import fc from 'fast-check'
import t from 'tap'
import { journalBody, MAX_BODY_CHARS } from '../../src/http/journal-body.js'

const MARKER = /…\[truncated by the journal: (\d+) characters in all\]$/

function kept(text: string): string {
  const { body } = journalBody(text, text)
  const marker = MARKER.exec(String(body))
  if (!marker) throw new Error('no truncation marker')
  if (Number(marker[1]) !== text.length) throw new Error(`the marker says ${marker[1]}, not ${text.length}`)
  return String(body).slice(0, marker.index)
}

t.test('a body that fits is kept whole, with its length', async (t) => {
  const text = 'a'.repeat(MAX_BODY_CHARS)
  t.same(journalBody(text, text), { body: text, chars: MAX_BODY_CHARS })
})

t.test('a cut through a token drops the whole run of token characters it cuts', async (t) => {
  const secret = `apik_${'k'.repeat(60)}`
  const text = `${' '.repeat(MAX_BODY_CHARS - 20)}${secret} tail`
  t.equal(kept(text), ' '.repeat(MAX_BODY_CHARS - 20), 'nothing of the secret is kept')
})

t.test('a cut just after a word keeps everything before it', async (t) => {
  const text = `${'word '.repeat(MAX_BODY_CHARS / 4).slice(0, MAX_BODY_CHARS)} more`
  t.equal(text.charAt(MAX_BODY_CHARS), ' ')
  t.equal(kept(text), text.slice(0, MAX_BODY_CHARS), 'the word the cut ends on stays')
})

t.test('a run longer than 1,024 characters loses its last 1,024 before the cut', async (t) => {
  const text = 'x'.repeat(MAX_BODY_CHARS * 3)
  t.equal(kept(text), 'x'.repeat(MAX_BODY_CHARS - 1024))
})

t.test('for any text, the kept part is a prefix that ends before the cut run or 1,024 back', async (t) => {
  const char = fc.constantFrom('a', 'Z', '9', '_', '-', '.', '~', '+', '/', '=', ' ', '&', '"', '{', 'é')
  const run = fc.tuple(char, fc.integer({ min: 1, max: 1500 })).map(([c, count]) => c.repeat(count))
  const token = /[A-Za-z0-9_.~+/=-]/
  fc.assert(
    fc.property(fc.array(run, { minLength: 1, maxLength: 30 }), (runs) => {
      const joined = runs.join('')
      const text = joined.length > MAX_BODY_CHARS ? joined : joined.padEnd(MAX_BODY_CHARS + 1, 'y')
      const head = kept(text)
      if (!text.startsWith(head)) return false
      const dropped = text.slice(head.length, MAX_BODY_CHARS)
      if (!token.test(text.charAt(MAX_BODY_CHARS))) return dropped === ''
      if (dropped.length > 1024 || [...dropped].some((c) => !token.test(c))) return false
      return dropped.length === 1024 || head.length === 0 || !token.test(head.charAt(head.length - 1))
    }),
    { numRuns: 300 },
  )
  t.pass('300 texts')
})
