/**
 * How each Whop API family spells an error. Families are data attached to operations in the
 * spec (`x-error-family`); handlers never pick an envelope themselves.
 */
import type { MockError, ProblemCode } from '../errors.js'
import type { ErrorFamily } from '../spec/families.js'

export interface RenderedError {
  status: number
  /** A value to serialize as JSON, or the text of an HTML page. */
  body: unknown
  contentType: string
  headers: Record<string, string>
}

const JSON_TYPE = 'application/json; charset=utf-8'
const HTML_TYPE = 'text/html; charset=utf-8'

/** Text safe to place in HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A minimal page for a person: the authorize pages show errors instead of redirecting to an unverified client. */
export function htmlErrorPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · whop-auth-mock</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><small>whop-auth-mock: this page stands in for Whop's error page.</small></p>
</body></html>
`
}

/** @see docs/whop-reference.md §2.1 `type` values [D S3], 429 `rate_limit_exceeded` [D D-TROUBLE] */
function v1Type(code: ProblemCode): string {
  switch (code) {
    case 'unauthorized':
    case 'invalid_client':
      return 'unauthorized'
    case 'forbidden':
    case 'insufficient_scope':
      return 'forbidden'
    case 'not_found':
    case 'route_not_found':
      return 'not_found'
    case 'rate_limited':
      return 'rate_limit_exceeded'
    case 'upstream_failure':
      return 'internal_server_error'
    case 'parameter_missing':
    case 'parameter_invalid':
    case 'invalid_json':
    case 'payload_too_large':
    case 'method_not_allowed':
    case 'unsupported_media_type':
    case 'invalid_grant':
    case 'invalid_scope':
    case 'unsupported_grant_type':
      return 'invalid_request_error'
    default:
      return assertNever(code)
  }
}

/** @see docs/whop-reference.md §2.2 OAuth error codes [D D-OAUTH], RFC 6749 §5.2 */
function oauthError(code: ProblemCode): string {
  switch (code) {
    case 'parameter_missing':
    case 'parameter_invalid':
    case 'invalid_json':
    case 'payload_too_large':
    case 'method_not_allowed':
    case 'unsupported_media_type':
      return 'invalid_request'
    case 'unauthorized':
      return 'invalid_token'
    case 'forbidden':
      return 'access_denied'
    case 'not_found':
    case 'route_not_found':
      return 'not_found'
    case 'rate_limited':
      return 'rate_limit_exceeded'
    case 'upstream_failure':
      return 'server_error'
    case 'invalid_grant':
    case 'invalid_client':
    case 'invalid_scope':
    case 'unsupported_grant_type':
    case 'insufficient_scope':
      return code
    default:
      return assertNever(code)
  }
}

/**
 * The documented message of each status in the v2 family, used when a bare status is rendered.
 * @see docs/whop-reference.md §2.6 v2 examples [D V2J]
 */
const V2_MESSAGES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  500: "Uh oh, something went wrong. This is something we need to fix, and isn't on your end. We've been notified and are working on a fix",
}

/** @see docs/whop-reference.md §2.4 legacy 401 message [D S4] */
export const V5_INVALID_TOKEN_MESSAGE =
  'Your access token is invalid. Please make sure you are passing an access token, and that it is correctly formatted.'

/** @see docs/whop-reference.md §2.6: 429 `{"message":"You are being rate limited"}` [D OLD rate-limits.mdx] */
const LEGACY_RATE_LIMIT_MESSAGE = 'You are being rate limited'

function retryHeaders(error: MockError, family: ErrorFamily): Record<string, string> {
  if (error.code !== 'rate_limited') return {}
  // v5/v2 document a 60 s cooldown; v1 says "Try again in N seconds" [D D-TROUBLE, OLD rate-limits.mdx].
  const seconds = family === 'v5' || family === 'v2' ? 60 : Number(/(\d+)/.exec(error.message)?.[1] ?? 60)
  return { 'retry-after': String(seconds) }
}

/** Render one error in the envelope of one family. */
export function renderError(error: MockError, family: ErrorFamily): RenderedError {
  const headers = { ...retryHeaders(error, family), ...error.headers }
  const status = error.status
  const json = (body: unknown): RenderedError => ({ status, headers, contentType: JSON_TYPE, body })
  switch (family) {
    case 'v1':
      return json({ error: { type: v1Type(error.code), message: error.message, code: error.code, param: error.param } })
    case 'oauth':
      return json({ error: oauthError(error.code), error_description: error.message })
    case 'v5': {
      const message =
        error.code === 'unauthorized' ? V5_INVALID_TOKEN_MESSAGE : error.code === 'rate_limited' ? LEGACY_RATE_LIMIT_MESSAGE : error.message
      return json({ error: { status, message } })
    }
    case 'v2': {
      const message = error.code === 'rate_limited' ? LEGACY_RATE_LIMIT_MESSAGE : (V2_MESSAGES[status] ?? error.message)
      return json({ error: { code: status, message } })
    }
    case 'control':
      return json({ error: { code: error.code, message: error.message, param: error.param } })
    case 'html':
      return {
        status,
        headers,
        contentType: HTML_TYPE,
        body: htmlErrorPage(error.code === 'route_not_found' ? 'Not found' : 'Something is wrong with this request', error.message),
      }
    default:
      return assertNever(family)
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value: ${String(value)}`)
}
