/**
 * Shutdown that drains: a request already in flight when close() begins still gets its
 * response, sent with `Connection: close` so its keep-alive socket ends with it. Fastify
 * reaps only the sockets that are idle at that moment; one that goes idle later would hold
 * close() (and the process) open until the client's keep-alive timeout, up to 72 s.
 */
import type { FastifyInstance } from 'fastify'

export function registerDrainOnClose(app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close')
    done(null, payload)
  })
}
