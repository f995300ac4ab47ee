import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { MockClock } from '../../src/state/clock.js'

t.test('the clock runs with the machine clock until moved', async (t) => {
  const clock = new MockClock()
  t.ok(Math.abs(clock.nowMs() - Date.now()) < 50)
  clock.advance(301)
  t.ok(Math.abs(clock.nowMs() - Date.now() - 301_000) < 50)
  t.equal(clock.offsetSeconds, 301)
  t.equal(clock.nowSeconds(), Math.floor(clock.nowMs() / 1000))
})

t.test('set makes the clock read a given time, and reset undoes every move', async (t) => {
  const clock = new MockClock()
  clock.set(new Date('2030-06-01T00:00:00Z'))
  t.ok(Math.abs(clock.nowMs() - Date.parse('2030-06-01T00:00:00Z')) < 50)
  clock.reset()
  t.equal(clock.offsetSeconds, 0)
})

t.test('nothing in src/ reads the machine clock but state/clock.ts', async (t) => {
  const root = new URL('../../src/', import.meta.url).pathname
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (path.endsWith('.ts')) files.push(path)
    }
  }
  walk(root)
  t.ok(files.length > 10)
  const offenders = files.filter((f) => !f.endsWith('state/clock.ts') && /Date\.now\(\)|new Date\(\)/.test(readFileSync(f, 'utf8')))
  t.same(offenders, [], 'expiry reads only the mock clock')
})
