/**
 * node:http and node:https: `request` and `get` of both modules send requests for Whop's hosts
 * to the mock. Node offers no dispatcher hook for these, so the four functions are wrapped (and
 * the ES module bindings synced); the wrapper only reads the arguments and, for a Whop URL, calls
 * the original function of the mock's protocol with the mock's host, port and path.
 */
import http, { type ClientRequest, type IncomingMessage } from 'node:http'
import https, { type RequestOptions } from 'node:https'
import { syncBuiltinESMExports } from 'node:module'
import { reroutedHeaders } from './headers.js'
import { reroutedUrl, type MockTarget } from './target.js'

type Callback = (res: IncomingMessage) => void
/** `request` of node:http or node:https (the same signature). */
type NodeRequest = typeof http.request
/** A wrapper, taking the arguments as given. */
type RequestFn = (...args: unknown[]) => ClientRequest

/** Call an original function with arguments as the caller gave them. */
const callOriginal = (fn: NodeRequest, args: unknown[]): ClientRequest => Reflect.apply(fn, undefined, args)

interface Call {
  url: URL | null
  options: RequestOptions
  callback: Callback | undefined
}

const isCallback = (value: unknown): value is Callback => typeof value === 'function'
const isOptions = (value: unknown): value is RequestOptions => typeof value === 'object' && value !== null && !(value instanceof URL)

/** The URL a request is for, from a URL argument and/or options as Node merges them. */
function urlOf(first: string | URL | null, options: RequestOptions, defaultProtocol: string): URL | null {
  if (options.socketPath !== undefined) return null
  try {
    const base = first === null ? null : new URL(first)
    const protocol = options.protocol ?? base?.protocol ?? defaultProtocol
    const hostname = options.hostname ?? options.host ?? base?.hostname ?? 'localhost'
    const port = options.port ?? base?.port ?? ''
    const path = options.path ?? (base === null ? '/' : `${base.pathname}${base.search}`)
    return new URL(`${protocol}//${hostname.includes(':') ? `[${hostname}]` : hostname}${port === '' ? '' : `:${port}`}${path}`)
  } catch {
    return null
  }
}

/** The arguments of `request(url[, options][, callback])` or `request(options[, callback])`. */
function readCall(args: unknown[], defaultProtocol: string): Call {
  const [a, b, c] = args
  const first = typeof a === 'string' || a instanceof URL ? a : null
  const options = first === null ? (isOptions(a) ? a : {}) : isOptions(b) ? b : {}
  const callback = [a, b, c].find(isCallback)
  return { url: urlOf(first, options, defaultProtocol), options, callback }
}

interface Originals {
  http: NodeRequest
  https: NodeRequest
}

/** Options for the same request sent to the mock: its host, port and path; the caller's agent only if it is off. */
function mockOptions(options: RequestOptions, original: URL, rerouted: URL): RequestOptions {
  // The connection settings of Whop's host give way to the mock's; TLS settings stay (harmless over http).
  const {
    agent,
    createConnection: _connection,
    socketPath: _socket,
    lookup: _lookup,
    servername: _servername,
    host: _host,
    defaultPort: _defaultPort,
    ...rest
  } = options
  return {
    ...rest,
    protocol: rerouted.protocol,
    hostname: rerouted.hostname,
    port: rerouted.port === '' ? (rerouted.protocol === 'https:' ? 443 : 80) : rerouted.port,
    path: `${rerouted.pathname}${rerouted.search}`,
    headers: reroutedHeaders(options.headers, original.href),
    ...(agent === false && { agent: false }),
  }
}

function reroutingRequest(target: MockTarget, originals: Originals, own: NodeRequest, defaultProtocol: string): RequestFn {
  return (...args) => {
    const call = readCall(args, defaultProtocol)
    const rerouted = call.url === null ? null : reroutedUrl(target, call.url)
    if (call.url === null || rerouted === null) return callOriginal(own, args)
    const send = rerouted.protocol === 'https:' ? originals.https : originals.http
    const options = mockOptions(call.options, call.url, rerouted)
    return call.callback === undefined ? send(options) : send(options, call.callback)
  }
}

/** Wrap `request` and `get` of node:http and node:https so Whop's hosts go to the mock. */
export function installNodeHttpReroute(target: MockTarget): void {
  const originals: Originals = { http: http.request, https: https.request }
  const request = {
    http: reroutingRequest(target, originals, originals.http, 'http:'),
    https: reroutingRequest(target, originals, originals.https, 'https:'),
  }
  const get =
    (send: RequestFn): RequestFn =>
    (...args) => {
      const req = send(...args)
      req.end()
      return req
    }
  Object.assign(http, { request: request.http, get: get(request.http) })
  Object.assign(https, { request: request.https, get: get(request.https) })
  syncBuiltinESMExports()
}
