/**
 * Every error the mock raises over HTTP, declared once. Handlers throw these; one error handler
 * (http/error-handler.ts) renders them in the envelope of the route's API family
 * (http/envelopes.ts). A problem code says what went wrong, not how an era spells it.
 * Failures outside HTTP (options, files, the spec, conformance setup) are in errors/startup.ts.
 */

/** What went wrong, independent of how each API family spells it. */
export type ProblemCode =
  | 'parameter_missing'
  | 'parameter_invalid'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'insufficient_scope'
  | 'upstream_failure'

/** The HTTP status of each problem; `upstream_failure` carries its own (5xx faults). */
const STATUS: Record<ProblemCode, number> = {
  parameter_missing: 400,
  parameter_invalid: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  rate_limited: 429,
  invalid_grant: 400,
  invalid_client: 401,
  invalid_scope: 400,
  unsupported_grant_type: 400,
  insufficient_scope: 403,
  upstream_failure: 500,
}

export class MockError extends Error {
  override readonly name = 'MockError'
  readonly status: number

  /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
  headers: Record<string, string> = {}

  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly param: string | null = null,
    status?: number,
  ) {
    super(message)
    this.status = status ?? STATUS[code]
  }

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers }
    return this
  }
}

/** The `error` codes an authorize request can be redirected back with (RFC 6749 §4.1.2.1). */
export type AuthorizeErrorCode = 'invalid_request' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied' | 'server_error'

/**
 * An authorize-time problem that goes back to the client as a redirect (RFC 6749 §4.1.2.1),
 * once the client and redirect_uri are verified; the authorize surface turns it into one.
 */
export class RedirectableError extends Error {
  override readonly name = 'RedirectableError'
  constructor(
    readonly error: AuthorizeErrorCode,
    readonly description: string,
  ) {
    super(description)
  }
}

/** @see docs/whop-reference.md §2.1: 400 `parameter_missing` "Missing required parameter: amount." [D S3] */
export const parameterMissing = (param: string, message = `Missing required parameter: ${param}.`) =>
  new MockError('parameter_missing', message, param)

/** @see docs/whop-reference.md §2.1: 400 `parameter_invalid` naming `param` [D S3] */
export const parameterInvalid = (param: string | null, message: string) => new MockError('parameter_invalid', message, param)

/** @see docs/whop-reference.md §2.1: 400 `invalid_json` [D S3] */
export const invalidJson = (message = 'The request body is not valid JSON.') => new MockError('invalid_json', message)

export const payloadTooLarge = (limitBytes: number) =>
  new MockError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`)

/** @see docs/whop-reference.md §6 item 14: 401 "Invalid or missing API key" [D S3] */
export const unauthorized = (message = 'Invalid or missing API key') => new MockError('unauthorized', message)

/** @see docs/whop-reference.md §6 item 15: 403 "You do not have permission to access this resource" [D S3] */
export const forbidden = (param: string | null = null, message = 'You do not have permission to access this resource') =>
  new MockError('forbidden', message, param)

/** @see docs/whop-reference.md §2.1: 404 "Resource not found" [D S3] */
export const notFound = (param: string | null = null, message = 'Resource not found') => new MockError('not_found', message, param)

/** @see docs/whop-reference.md §6 item 21: v5 "Route {ROUTE} not found" [D S4] */
export const routeNotFound = (path: string) => new MockError('route_not_found', `Route ${path} not found`)

/** A known path asked with a method none of its operations serves (RFC 9110 §15.5.6: `Allow` is required). */
export const methodNotAllowed = (method: string, path: string, allow: string) =>
  new MockError('method_not_allowed', `Method ${method} is not allowed on ${path}; allowed: ${allow}`).withHeaders({ allow })

/** A body in a media type the route does not take. */
export const unsupportedMediaType = (message: string) => new MockError('unsupported_media_type', message)

/** @see docs/whop-reference.md §6 item 13: rate limits per family [D D-TROUBLE, D-OAUTH] */
export const rateLimited = (retryAfterSeconds: number) => new MockError('rate_limited', `Try again in ${retryAfterSeconds} seconds.`)

/** @see docs/whop-reference.md §2.2 OAuth error codes [D D-OAUTH] */
export const invalidGrant = (message: string) => new MockError('invalid_grant', message)
export const invalidClient = (message: string) => new MockError('invalid_client', message)
export const invalidScope = (message: string) => new MockError('invalid_scope', message)
export const unsupportedGrantType = (grantType: string) =>
  new MockError('unsupported_grant_type', `The grant type ${JSON.stringify(grantType)} is not supported here.`, 'grant_type')
export const insufficientScope = (message: string) => new MockError('insufficient_scope', message)

/** An injected 5xx: the mock was asked to fail as Whop's servers sometimes do. */
export const upstreamFailure = (status: number) => new MockError('upstream_failure', 'An unexpected error occurred', null, status)

/** Seconds a client is asked to wait when the shared state store cannot be reached. */
export const STATE_RETRY_AFTER_SECONDS = 1

/** The replicas' shared state (Redis) cannot be reached: try again shortly. */
export const stateUnavailable = () =>
  new MockError('upstream_failure', 'The mock cannot reach its shared state store; try again shortly.', null, 503).withHeaders({
    'retry-after': String(STATE_RETRY_AFTER_SECONDS),
  })

/** The problem a bare status stands for, used when a fault gives a status but no body. */
export function problemForStatus(status: number): MockError {
  switch (status) {
    case 400:
      return parameterInvalid(null, 'The request is invalid.')
    case 401:
      return unauthorized()
    case 403:
      return forbidden()
    case 404:
      return notFound()
    case 413:
      return payloadTooLarge(0)
    case 429:
      return rateLimited(60)
    default:
      return new MockError(status >= 500 ? 'upstream_failure' : 'parameter_invalid', 'An unexpected error occurred', null, status)
  }
}
