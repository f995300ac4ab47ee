/** Request validation as a route hook: media type, body and query against the operation's spec. */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { invalidJson, parameterInvalid, type MockError } from '../errors.js'
import { mediaTypeOf } from '../spec/media-type.js'

/** What is wrong with a request, or null. */
function requestProblem(request: FastifyRequest): MockError | null {
  const validator = request.routeOptions.config.validator
  if (validator === undefined) return null
  const queryError = validator.validateQuery(request.query)
  if (queryError !== null) return queryError
  if (validator.mediaTypes.length === 0) return null
  if (request.body === undefined) return validator.bodyRequired ? parameterInvalid(null, 'A request body is required.') : null
  const mediaType = mediaTypeOf(request.headers['content-type'])
  if (!validator.mediaTypes.includes(mediaType)) {
    return invalidJson(`Content-Type ${mediaType || '(none)'} is not accepted here; send ${validator.mediaTypes.join(' or ')}.`)
  }
  return validator.validateBody(mediaType, request.body)
}

/** A callback hook, not an async one: the request path takes no promise hop for it. */
export function validateRequest(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const problem = requestProblem(request)
  if (problem === null) done()
  else done(problem)
}
