/**
 * Connection timeouts: slow or half-open clients are shed, so they cannot hold connections
 * (the cap is in open-file-limit.ts) and keep health from answering.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'

/** Idle time allowed between requests on a kept-alive connection. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000
/** Time allowed to receive a whole request, body included (not the answer: a stall fault may be long). */
export const REQUEST_TIMEOUT_MS = 30_000
/** How often Node checks connections against the header and request timeouts. */
export const CONNECTIONS_CHECK_MS = 1_000

export interface ConnectionLimits {
  headersTimeoutMs: number
}

/** Fastify's server options for these limits, with the TLS material when HTTPS is on. */
export function serverOptions<T extends object>(limits: ConnectionLimits, tls: T | null) {
  const node = {
    headersTimeout: limits.headersTimeoutMs,
    // Node refuses a request timeout shorter than the header timeout.
    requestTimeout: Math.max(REQUEST_TIMEOUT_MS, limits.headersTimeoutMs),
    connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
  }
  return {
    ...(tls === null ? { http: node } : { https: { ...tls, ...node, handshakeTimeout: limits.headersTimeoutMs } }),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: node.requestTimeout,
  }
}

/**
 * A connection that sends nothing at all is not a request yet, so Node's header timeout never
 * sees it: give every new connection until `ms` to start its first request, then close it.
 * (Between requests, the keep-alive timeout applies; once a request has started, the header
 * and request timeouts do; a stalled answer is never cut.)
 */
export function shedSilentConnections(server: Server, ms: number, tls: boolean): void {
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    socket.setTimeout(ms, () => socket.destroy())
  })
  server.on('request', (request: IncomingMessage) => request.socket.setTimeout(0))
}
