/** What each route carries from the spec, and how a request finds its error family. */
import type { FastifyRequest } from 'fastify'
import { CONTROL_FAMILY, type ErrorFamily } from '../spec/families.js'
import type { Operation, Spec } from '../spec/load-spec.js'
import { familyForPath } from '../spec/load-spec.js'
import type { RequestValidator } from '../spec/request-validation.js'
import type { Fault } from '../state/faults.js'
import { tenantRelativePath } from '../tenant-path.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    operation?: Operation
    validator?: RequestValidator
  }
  interface FastifyRequest {
    /** The fault this request took in onRequest; ask http/faults.ts answeringFault() whether it answers. */
    fault?: Fault
    /** Mock-clock time the request arrived, for the journal. */
    arrivedAt?: string
    /** A remark for the journal, e.g. that auto-approve skipped the sign-in page. */
    journalNote?: string
    /** A JSON body's text as received, kept for the journal until the request ends. */
    bodyText?: string
  }
}

/** The request's path within its tenant: `/t/ci-1/oauth/token` and `/oauth/token` are both `/oauth/token`. */
export function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?')
  return tenantRelativePath(q < 0 ? request.url : request.url.slice(0, q))
}

export function familyOf(request: FastifyRequest, spec: Spec): ErrorFamily {
  return request.routeOptions.config?.operation?.family ?? familyForPath(spec, pathOf(request))
}

/**
 * Whether the request belongs to the mock's own control API, by what the spec says: its
 * operation's `x-error-family`, or for a path no operation serves, `x-unmatched-routes`.
 * Such requests are never faulted and never journaled, whatever their path looks like.
 */
export function isControlRequest(request: FastifyRequest, spec: Spec): boolean {
  return familyOf(request, spec) === CONTROL_FAMILY
}
