/**
 * Who may reach the mock, checked before anything else runs:
 * - only the configured hosts are served (a `Host` elsewhere is 421), which closes DNS rebinding;
 * - on the control API, a foreign `Origin` is 403, a body that is not JSON is 415 (no cross-site
 *   simple POST gets through), and with a control token every call but health needs it (401).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { forbidden, MockError, unauthorized, unsupportedMediaType } from '../errors.js'
import { safeEqual } from '../crypto/safe-equal.js'
import { sendError } from './error-handler.js'
import { isControlRequest } from './route-config.js'
import type { Spec } from '../spec/load-spec.js'
import { allowedHostsOf, exposureWarning, hostAllowed, hostnameOf, type GuardSettings } from './allowed-hosts.js'

/**
 * How much of the control guard an operation takes, from its `x-control-guard`: `open` needs no
 * token (health, for probes), `none` skips every guard (upload URLs, which stand in for presigned ones).
 */
function guardOf(request: FastifyRequest): 'all' | 'open' | 'none' {
  const value = request.routeOptions.config?.operation?.extensions['x-control-guard']
  return value === 'open' || value === 'none' ? value : 'all'
}

export const CONTROL_TOKEN_HEADER = 'x-mock-control-token'

const misdirected = (host: string) =>
  new MockError(
    'forbidden',
    `Host ${JSON.stringify(host)} is not served by this mock; add it with --allowed-hosts (WHOP_MOCK_ALLOWED_HOSTS).`,
    null,
    421,
  )

/** The control token a request sent, as Bearer or in the dedicated header. */
function sentControlToken(request: FastifyRequest): string | null {
  const dedicated = request.headers[CONTROL_TOKEN_HEADER]
  if (typeof dedicated === 'string') return dedicated
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return match?.[1] ?? null
}

/** Whether `Origin` (when sent) is the mock's own: the origin the request was addressed to, or the public URL's. */
function sameOrigin(request: FastifyRequest, origin: string, publicUrl: string): boolean {
  const own = `${request.protocol}://${request.headers.host ?? ''}`
  return origin === own || (publicUrl !== '' && origin === new URL(publicUrl).origin)
}

/** The problem with a control request, or null when it may go on. */
function controlRefusal(request: FastifyRequest, settings: GuardSettings): MockError | null {
  const guard = guardOf(request)
  if (guard === 'none') return null
  const origin = request.headers.origin
  if (origin !== undefined && !sameOrigin(request, origin, settings.publicUrl()))
    return forbidden(null, `Origin ${origin} may not call the control API.`)
  const type = request.headers['content-type']
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined
  if ((type !== undefined || hasBody) && !/^application\/json\s*(;|$)/i.test(type ?? ''))
    return unsupportedMediaType('The control API takes application/json bodies only.')
  const token = settings.controlToken
  if (token === undefined || guard === 'open') return null
  const sent = sentControlToken(request)
  if (sent !== null && safeEqual(sent, token)) return null
  return unauthorized(`The control API is locked: send Authorization: Bearer <control token> (or ${CONTROL_TOKEN_HEADER}).`).withHeaders({
    'www-authenticate': 'Bearer realm="whop-auth-mock control"',
  })
}

export function registerRequestGuards(app: FastifyInstance, spec: Spec, settings: GuardSettings): void {
  const allowed = allowedHostsOf(settings)
  const warning = exposureWarning(settings.bindHost, settings.controlToken)
  if (warning !== null) app.log.warn(warning)
  // A client sends the same Host on every request: its verdict is kept until the Host or the public URL changes.
  let last = { header: '', publicUrl: '', allowed: false }
  const hostVerdict = (header: string): boolean => {
    const publicUrl = settings.publicUrl()
    if (header !== last.header || publicUrl !== last.publicUrl)
      last = { header, publicUrl, allowed: hostAllowed(allowed, hostnameOf(header), publicUrl) }
    return last.allowed
  }
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const header = request.headers.host ?? ''
    // A control route no operation serves does nothing: its 404 or 405 needs no guard.
    const controlOperation = request.routeOptions.config?.operation !== undefined && isControlRequest(request, spec)
    const refusal = !hostVerdict(header) ? misdirected(hostnameOf(header)) : controlOperation ? controlRefusal(request, settings) : null
    if (refusal === null) done()
    else sendError(spec, request, reply, refusal)
  })
}
