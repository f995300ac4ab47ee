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

/**
 * Wait out a fault's delay, or less when the client hangs up first (an app that gave up on a
 * stalled Whop): nobody is left waiting, and a server closing would otherwise wait out the delay.
 */
async function waitOut(ms: number, request: FastifyRequest): Promise<void> {
  const socket = request.raw.socket
  if (socket.destroyed) return
  const hungUp = new AbortController()
  const onClose = () => hungUp.abort()
  socket.once('close', onClose)
  try {
    await sleep(ms, undefined, { signal: hungUp.signal })
  } catch {
    // The client left: carry on, so the request still reaches the journal.
  } finally {
    socket.off('close', onClose)
  }
}

/** A request holds the fault it took: it waits out the delay, then goes on (and answers later if the fault says so). */
function hold(request: FastifyRequest, fault: Fault | undefined, done: () => void): void {
  if (fault !== undefined) request.fault = fault
  if (fault !== undefined && fault.delay_ms > 0) void waitOut(fault.delay_ms, request).then(() => done())
  else done()
}

/** hold() for a hook that awaits (with shared state, the fault is taken in the same step that reads the clock). */
export function holdFault(request: FastifyRequest, fault: Fault): Promise<void> {
  return new Promise((resolve) => hold(request, fault, resolve))
}

/**
 * Faults are armed per tenant: the table of the tenant serving a request. `takeHere` false: the
 * request takes its shot elsewhere (see http/shared-state.ts).
 */
export function registerFaultHooks(
  app: FastifyInstance,
  spec: Spec,
  faultsOf: (request: FastifyRequest) => FaultOperations,
  takeHere = true,
): void {
  // Callback hooks, not async ones: a request without a fault takes no promise hop for them.
  if (takeHere)
    app.addHook('onRequest', (request, _reply, done) => {
      const taken = isControlRequest(request, spec) ? undefined : faultsOf(request).take(request.method, pathOf(request))
      if (taken instanceof Promise) taken.then((fault) => hold(request, fault, done), done)
      else hold(request, taken, done)
    })
  app.addHook('preValidation', (request, reply, done) => {
    const fault = answeringFault(request)
    if (fault === undefined) done()
    else answerWithFault(spec, request, reply, fault)
  })
}
