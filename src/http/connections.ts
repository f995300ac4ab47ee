/**
 * Connection limits: slow or half-open clients are shed by timeouts, and the number of
 * connections stays below the process's open-file limit, so a crowd of idle sockets cannot
 * leave the mock without a descriptor to answer health with. Node cannot raise its own limit
 * (no setrlimit), so the cap follows the limit the process was started with.
 */
import { readFileSync } from 'node:fs'
import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'

/** Descriptors kept back for the process's own files (fixtures, key file, logs, the listening socket). */
const RESERVED_DESCRIPTORS = 128
const MAX_DEFAULT_CONNECTIONS = 10_000
/** Used where the limit cannot be read (not Linux): the usual soft limit, 1,024. */
const ASSUMED_OPEN_FILES = 1024

/** Idle time allowed between requests on a kept-alive connection. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000
/** Time allowed to receive a whole request, body included (not the answer: a stall fault may be long). */
export const REQUEST_TIMEOUT_MS = 30_000
/** How often Node checks connections against the header and request timeouts. */
export const CONNECTIONS_CHECK_MS = 1_000

/** The soft limit on open files, from /proc on Linux. */
function openFileLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8')
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1]
    if (soft === undefined) return ASSUMED_OPEN_FILES
    return soft === 'unlimited' ? MAX_DEFAULT_CONNECTIONS + RESERVED_DESCRIPTORS : Number(soft)
  } catch {
    return ASSUMED_OPEN_FILES
  }
}

export function defaultMaxConnections(): number {
  return Math.max(16, Math.min(MAX_DEFAULT_CONNECTIONS, openFileLimit() - RESERVED_DESCRIPTORS))
}

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
