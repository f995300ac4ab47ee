/** Journal recording as a hook: every request but the control API's (as the spec says), masked before it is stored. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { maskHeaders, maskValue } from '../redact.js'
import type { Spec } from '../spec/load-spec.js'
import type { MockClock } from '../state/clock.js'
import type { Journal } from '../state/journal.js'
import { answeringFault } from './faults.js'
import { isControlRequest, pathOf } from './route-config.js'

/** Bodies longer than this are kept as a truncated string. */
const MAX_BODY_CHARS = 8192

function journalBody(body: unknown): unknown {
  if (body === undefined) return null
  if (typeof body === 'string') return maskValue(body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS)}…` : body)
  return maskValue(body)
}

/** The journal and clock of the tenant serving a request. */
export type JournalOf = (request: FastifyRequest) => { journal: Journal; clock: MockClock }

export function registerJournal(app: FastifyInstance, spec: Spec, journalOf: JournalOf): void {
  app.addHook('onRequest', async (request) => {
    request.arrivedAt = journalOf(request).clock.now().toISOString()
  })
  app.addHook('onResponse', async (request, reply) => {
    if (isControlRequest(request, spec)) return
    const path = pathOf(request)
    const { journal, clock } = journalOf(request)
    journal.record({
      time: request.arrivedAt ?? clock.now().toISOString(),
      method: request.method,
      path,
      query: maskValue(request.query ?? {}) as Record<string, string>,
      headers: maskHeaders(request.headers),
      body: journalBody(request.body),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      operation_id: request.routeOptions.config?.operation?.operationId ?? null,
      fault: answeringFault(request) !== undefined,
      note: request.journalNote ?? null,
    })
  })
}
