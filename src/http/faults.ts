/**
 * Injected faults as hooks: a matching request takes its fault in onRequest (waiting out any
 * delay there), and is answered after its body is parsed, so the journal still shows what the
 * client sent.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemForStatus } from '../errors.js'
import type { Spec } from '../spec/load-spec.js'
import type { Fault, FaultTable } from '../state/faults.js'
import { renderError } from './envelopes.js'
import { familyOf, pathOf } from './route-config.js'

/** Answer with the fault's status; without a body, with the documented error of that status in the route's family. */
export function answerWithFault(spec: Spec, request: FastifyRequest, reply: FastifyReply, fault: Fault): FastifyReply {
  const status = fault.status!
  if (fault.body !== undefined) {
    const text = typeof fault.body === 'string'
    return reply
      .code(status)
      .type(text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
      .headers(fault.headers)
      .send(text ? fault.body : JSON.stringify(fault.body))
  }
  const rendered = renderError(problemForStatus(status), familyOf(request, spec))
  return reply
    .code(status)
    .headers({ ...rendered.headers, ...fault.headers })
    .type(rendered.contentType)
    .send(rendered.body)
}

/** Faults are armed per tenant: the table of the tenant serving a request. */
export function registerFaultHooks(app: FastifyInstance, spec: Spec, faultsOf: (request: FastifyRequest) => FaultTable): void {
  app.addHook('onRequest', async (request) => {
    const path = pathOf(request)
    if (path.startsWith('/_mock/')) return
    const fault = faultsOf(request).take(request.method, path)
    if (fault === undefined) return
    request.fault = fault
    if (fault.delay_ms > 0) await sleep(fault.delay_ms)
  })
  app.addHook('preValidation', async (request, reply) => {
    if (request.fault?.status != null) return answerWithFault(spec, request, reply, request.fault)
  })
}
