/** Journal recording as a hook: every request but the control API's (as the spec says), bounded in size; masked when read. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Spec } from '../spec/load-spec.js'
import type { MockClock } from '../state/clock.js'
import { ORIGINAL_URL_HEADER } from '../state/journal.js'
import type { JournalOperations } from '../state/store.js'
import { answeringFault } from './faults.js'
import { journalBody } from './journal-body.js'
import { isControlRequest, pathOf } from './route-config.js'

/** Headers as a flat string map, and the characters they take. */
function flatHeaders(headers: Record<string, string | string[] | undefined>): { headers: Record<string, string>; chars: number } {
  const out: Record<string, string> = {}
  let chars = 0
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue
    const value = Array.isArray(raw) ? raw.join(', ') : raw
    // An assignment to __proto__ would set the prototype, not a key: define that one (this runs per request).
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
    else out[name] = value
    chars += name.length + value.length
  }
  return { headers: out, chars }
}

/** The journal and clock of the tenant serving a request. */
export type JournalOf = (request: FastifyRequest) => { journal: JournalOperations; clock: MockClock }

/** Fixed overhead of an entry (ids, times, status, object headers), in bytes, about. */
const ENTRY_OVERHEAD = 256

export function registerJournal(app: FastifyInstance, spec: Spec, journalOf: JournalOf): void {
  // Callback hooks, not async ones: the request path takes no promise hop for them.
  app.addHook('onRequest', (request, _reply, done) => {
    request.arrivedAt = journalOf(request).clock.now().toISOString()
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    if (!isControlRequest(request, spec)) record(request, reply)
    done()
  })

  function record(request: FastifyRequest, reply: FastifyReply): void {
    const path = pathOf(request)
    const { journal, clock } = journalOf(request)
    const body = journalBody(request.body, request.bodyText)
    const headers = flatHeaders(request.headers)
    // The query comes from the URL, which Node bounds with the headers (16 KiB in all).
    const originalUrl = headers.headers[ORIGINAL_URL_HEADER] ?? null
    const bytes = ENTRY_OVERHEAD + request.url.length * 2 + headers.chars + (originalUrl?.length ?? 0) + body.chars
    journal.record(
      {
        time: request.arrivedAt ?? clock.now().toISOString(),
        method: request.method,
        path,
        query: (request.query ?? {}) as Record<string, string>,
        headers: headers.headers,
        body: body.body,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        operation_id: request.routeOptions.config?.operation?.operationId ?? null,
        fault: answeringFault(request) !== undefined,
        note: request.journalNote ?? null,
        original_url: originalUrl,
      },
      bytes,
    )
  }
}
