/**
 * Response headers the spec declares with a constant value (e.g. `Cache-Control: no-store` on
 * token endpoints, RFC 6749 §5.1) go on every answer of the operation: success, error or
 * fault. A header the answer already has (a fault's own `headers`) is left as it is.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Operation } from '../spec/load-spec.js'

type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => void

/** A route onSend hook for the operation, or undefined when it declares no constant header. */
export function constantHeadersHook(operation: Operation): OnSend | undefined {
  const headers = Object.entries(operation.constantHeaders)
  if (headers.length === 0) return undefined
  return (_request, reply, payload, done) => {
    for (const [name, value] of headers) if (!reply.hasHeader(name)) reply.header(name, value)
    done(null, payload)
  }
}
