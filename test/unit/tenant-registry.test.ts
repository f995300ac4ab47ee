/**
 * The tenant registry's order is least recently used first, whatever sequence of first uses,
 * uses, explicit creations and deletions it meets, and past its limit it drops the front: the
 * registry of a real server against a model list.
 */
import fc from 'fast-check'
import t from 'tap'
import { buildMockServer } from '../../src/server.js'

const MAX = 4
type Step = { op: 'use' | 'create' | 'delete'; name: string }

t.test('list() is least recently used first after any steps, and the limit drops the front', async (t) => {
  const { tenants, app } = await buildMockServer({ maxTenants: MAX, logLevel: 'silent' })
  t.teardown(() => app.close())
  const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
  const step = fc.record({ op: fc.constantFrom<Step['op']>('use', 'use', 'create', 'delete'), name })
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      for (const tenant of tenants.list()) tenants.delete(tenant.name!)
      let model: string[] = []
      let evicted = tenants.evicted
      for (const { op, name } of steps) {
        if (op === 'delete') {
          if (tenants.delete(name) !== model.includes(name)) throw new Error(`delete ${name} disagreed with the model`)
          model = model.filter((n) => n !== name)
          continue
        }
        if (op === 'create' && tenants.has(name)) continue // the caller checks the name is free
        if (op === 'create') tenants.create(name, undefined)
        else tenants.useOrCreate(name)
        if (model.includes(name)) model = model.filter((n) => n !== name)
        else if (model.length === MAX) {
          model.shift()
          evicted++
        }
        model.push(name)
      }
      const listed = tenants.list().map((tenant) => tenant.name)
      if (listed.join() !== model.join())
        throw new Error(`order ${listed.join()} instead of ${model.join()} after ${JSON.stringify(steps)}`)
      if (tenants.evicted !== evicted) throw new Error(`${tenants.evicted} evicted instead of ${evicted}`)
    }),
    { numRuns: 150 },
  )
  t.pass('the order matched the model in every run')
})
