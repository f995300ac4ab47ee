/**
 * Faults as hooks, and the one answer to "does a fault answer this request?". A request takes
 * its fault in onRequest (waiting out any stall there) unless the spec puts its route in the
 * control family; a fault that answers does so after the body is parsed, so the journal still
 * shows what the client sent, or from the error handler when the request was malformed.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemForStatus } from '../errors.js'
import type { Spec } from '../spec/load-spec.js'
import { BODYLESS_STATUSES, type AnsweringFault, type Fault } from '../state/faults.js'
import type { FaultOperations } from '../state/store.js'
import { renderError } from './envelopes.js'
import { familyOf, isControlRequest, pathOf } from './route-config.js'

/**
 * The fault that answers this request, or undefined when none does (no fault, or a stall only).
 * Every hook that treats a faulted request differently asks this, and nothing else.
 */
export function answeringFault(request: FastifyRequest): AnsweringFault | undefined {
  const fault = request.fault
  return fault?.kind === 'answer' ? fault : undefined
}

/** Answer with the fault's status; without a body, with the documented error of that status in the route's family. */
export function answerWithFault(spec: Spec, request: FastifyRequest, reply: FastifyReply, fault: AnsweringFault): FastifyReply {
  if (BODYLESS_STATUSES.has(fault.status)) return reply.code(fault.status).headers(fault.headers).send()
  if (fault.body !== undefined) {
    const text = typeof fault.body === 'string'
    return reply
      .code(fault.status)
      .type(text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
      .headers(fault.headers)
      .send(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body))
  }
  const rendered = renderError(problemForStatus(fault.status), familyOf(request, spec))
  return reply
    .code(fault.status)
    .headers({ ...rendered.headers, ...fault.headers })
    .type(rendered.contentType)
    .send(rendered.body)
}

/** A request holds the fault it took: it waits out the delay here, and answers later if the fault says so. */
export async function holdFault(request: FastifyRequest, fault: Fault): Promise<void> {
  request.fault = fault
  if (fault.delay_ms > 0) await sleep(fault.delay_ms)
}

/**
 * Faults are armed per tenant: the table of the tenant serving a request. `takeHere` false: the
 * request takes its shot elsewhere (with shared state, in the same step that reads the clock).
 */
export function registerFaultHooks(
  app: FastifyInstance,
  spec: Spec,
  faultsOf: (request: FastifyRequest) => FaultOperations,
  takeHere = true,
): void {
  if (takeHere)
    app.addHook('onRequest', async (request) => {
      if (isControlRequest(request, spec)) return
      const taken = faultsOf(request).take(request.method, pathOf(request))
      const fault = taken instanceof Promise ? await taken : taken
      if (fault === undefined) return
      request.fault = fault
      if (fault.delay_ms > 0) await sleep(fault.delay_ms)
    })
  app.addHook('preValidation', async (request, reply) => {
    const fault = answeringFault(request)
    if (fault !== undefined) return answerWithFault(spec, request, reply, fault)
  })
}
