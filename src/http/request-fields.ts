/**
 * The fields the mock's hooks set on a request (declared with their types beside the hook that
 * sets each), decorated up front so every request object has the same shape from birth: V8
 * then keeps property reads on requests monomorphic instead of meeting a new hidden class each
 * time a hook adds a field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

const FIELDS = [
  'credential',
  'tenant',
  'fault',
  'arrivedAt',
  'journalNote',
  'bodyText',
] as const satisfies readonly (keyof FastifyRequest)[]

export function decorateRequestFields(app: FastifyInstance): void {
  for (const field of FIELDS) app.decorateRequest(field, undefined)
}
