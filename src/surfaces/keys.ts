/** GET /.well-known/jwks.json: the public half of the mock's signing key. */
import type { HandlerTable, MockContext } from '../context.js'

export function keyHandlers(context: MockContext): HandlerTable {
  const jwks = { keys: [context.key.publicJwk] }
  return {
    getJwks: () => jwks,
  }
}
