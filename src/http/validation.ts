/** Request validation as a route hook: media type, body and query against the operation's spec. */
import type { FastifyRequest } from 'fastify'
import { invalidJson, parameterInvalid } from '../errors.js'
import { mediaTypeOf } from '../spec/media-type.js'

export async function validateRequest(request: FastifyRequest): Promise<void> {
  const validator = request.routeOptions.config.validator
  if (validator === undefined) return
  const queryError = validator.validateQuery(request.query)
  if (queryError !== null) throw queryError
  if (validator.mediaTypes.length === 0) return
  if (request.body === undefined) {
    if (validator.bodyRequired) throw parameterInvalid(null, 'A request body is required.')
    return
  }
  const mediaType = mediaTypeOf(request.headers['content-type'])
  if (!validator.mediaTypes.includes(mediaType)) {
    throw invalidJson(`Content-Type ${mediaType || '(none)'} is not accepted here; send ${validator.mediaTypes.join(' or ')}.`)
  }
  const bodyError = validator.validateBody(mediaType, request.body)
  if (bodyError !== null) throw bodyError
}
