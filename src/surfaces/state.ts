/** GET and PUT /_mock/state: one tenant's whole state out and in (spec/state.schema.json). */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { parameterInvalid } from '../errors.js'
import { checkStateDocument, exportTenant, importTenant, stateDocument, StateError } from '../tenants/state-document.js'

export function stateHandlers(context: MockContext): Handlers<'exportState' | 'importState'> {
  return {
    exportState: async () => stateDocument([await exportTenant(context)]),

    async importState(request, reply) {
      try {
        const { tenants } = checkStateDocument(request.body, 'the body')
        const [only, ...more] = tenants
        if (only === undefined || more.length > 0)
          throw parameterInvalid('tenants', `Send exactly one tenant's state; this document has ${tenants.length}.`)
        await importTenant(context, only)
      } catch (error) {
        if (error instanceof StateError) throw parameterInvalid(null, error.message)
        throw error
      }
      return reply.code(204).send()
    },
  }
}
