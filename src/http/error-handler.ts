/**
 * The one place errors become responses: MockErrors and Fastify's own errors are rendered in
 * the envelope of the route's API family; anything unexpected is logged and answered as a
 * 500 in that family, so no input can crash the server.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { invalidJson, methodNotAllowed, MockError, parameterInvalid, payloadTooLarge, routeNotFound } from '../errors.js'
import type { ErrorFamily } from '../spec/families.js'
import type { Spec } from '../spec/load-spec.js'
import { allowedMethods, operationsAtPath } from '../spec/path-match.js'
import { renderError } from './envelopes.js'
import { answeringFault, answerWithFault } from './faults.js'
import { familyOf, pathOf } from './route-config.js'

/** Translate Fastify's framework errors (body limits, bad headers, bad URLs) into mock problems. */
function fromFastifyError(error: FastifyError, bodyLimit: number): MockError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson(error.message)
    default:
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return parameterInvalid(null, error.message)
      }
      return null
  }
}

export function sendError(
  spec: Spec,
  request: FastifyRequest,
  reply: FastifyReply,
  error: MockError,
  family: ErrorFamily = familyOf(request, spec),
): FastifyReply {
  const rendered = renderError(error, family)
  return reply.code(rendered.status).headers(rendered.headers).type(rendered.contentType).send(rendered.body)
}

export function registerErrorHandling(app: FastifyInstance, spec: Spec, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A fault answers even when the request itself was malformed.
    const fault = answeringFault(request)
    if (fault !== undefined) return answerWithFault(spec, request, reply, fault)
    // No operation serves this route: it is a 404 or 405 whatever was wrong with the body.
    if (request.routeOptions.config?.operation === undefined) return sendUnmatched(spec, request, reply)
    const known = error instanceof MockError ? error : fromFastifyError(error, bodyLimit)
    if (known !== null) return sendError(spec, request, reply, known)
    request.log.error({ err: error }, 'unexpected error')
    return sendError(spec, request, reply, new MockError('upstream_failure', 'An unexpected error occurred', null, 500))
  })
  app.setNotFoundHandler((request, reply) => sendUnmatched(spec, request, reply))
}

/**
 * A route no operation serves: 405 with `Allow` when operations serve its path with other
 * methods (in the envelope of their family), else 404 in the family of the path's prefix.
 */
function sendUnmatched(spec: Spec, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = pathOf(request)
  const [first, ...others] = operationsAtPath(spec, path)
  if (first === undefined) return sendError(spec, request, reply, routeNotFound(path))
  return sendError(spec, request, reply, methodNotAllowed(request.method, path, allowedMethods([first, ...others])), first.family)
}
