/**
 * The HTTP proxy in front of the mock, for apps in any language that honour HTTPS_PROXY. A CONNECT
 * to one of Whop's hosts is answered here: TLS is ended with a certificate for that host signed by
 * the proxy's CA, and each request inside goes to the mock. Plain-HTTP requests for Whop's hosts
 * (absolute-form) are served the same way. Other hosts get a 502 page naming them, or, with
 * passthrough, a tunnel. @see docs/whop-reference.md §1 for the hosts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { TLSSocket } from 'node:tls'
import { isWhopHost, reroutes } from '../intercept/whop-hosts.js'
import type { LeafCertificates } from './leaf-certificates.js'
import { relay, tunnel } from './passthrough.js'
import { notReroutedRefusal, offlineRefusal, refuseTunnel, sendRefusal, type Refusal } from './refusal.js'
import { HOP_BY_HOP } from './hop-headers.js'
import type { Upstream } from './upstream.js'

export interface ProxyServerOptions {
  port: number
  host: string
  passthrough: boolean
  leaves: LeafCertificates
  upstream: Upstream
  /** Connections (and tunnels) served at once. */
  maxConnections: number
}

/** A request body the proxy buffers for the mock; the mock's own limit is 1 MiB by default. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

const tooLarge: Refusal = { status: 413, title: 'whop-auth-mock proxy: request body too large', detail: 'The body exceeds 8 MiB.' }
const notAProxyRequest: Refusal = {
  status: 400,
  title: 'whop-auth-mock proxy',
  detail: 'This is the HTTP proxy of whop-auth-mock: point HTTPS_PROXY and HTTP_PROXY here rather than requesting it directly.',
}

/** The host and port of a CONNECT target (`host:port`, `[v6]:port`); null when malformed. */
export function connectTarget(authority: string): { host: string; port: number } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(authority)
  if (match === null) return null
  const port = Number(match[2])
  return port > 0 && port < 65536 ? { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port } : null
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

const TLS_HANDSHAKE = 0x16

/** How long a tunnel to a Whop host may stay silent before its first byte. */
const TUNNEL_SILENCE_MS = 10_000

/** The first byte the client sends into a tunnel, left in the socket to be read again; null if it closes first. */
function firstByte(socket: Duplex, head: Buffer): Promise<number | null> {
  if (head.length > 0) {
    socket.unshift(head)
    return Promise.resolve(head[0] ?? null)
  }
  return new Promise((resolve) => {
    const onClose = () => resolve(null)
    socket.once('close', onClose)
    socket.once('data', (chunk: Buffer) => {
      socket.removeListener('close', onClose)
      socket.pause()
      socket.unshift(chunk)
      resolve(chunk[0] ?? null)
    })
  })
}

function endToEnd<T>(headers: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-length'))
}

export class ProxyServer {
  readonly #server: Server
  /** Never listens: the TLS sockets of CONNECTs to Whop's hosts are handed to it. */
  readonly #inner: Server
  readonly #origins = new WeakMap<Socket, string>()
  readonly #sockets = new Set<Duplex>()

  constructor(private readonly options: ProxyServerOptions) {
    this.#server = createServer((req, res) => void this.#plain(req, res))
    this.#server.maxConnections = options.maxConnections
    this.#server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#connect(req, socket, head))
    this.#inner = createServer((req, res) => void this.#decrypted(req, res))
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(this.options.port, this.options.host, () => resolve())
    })
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening on a TCP port')
    const host = address.address.includes(':') ? `[${address.address}]` : address.address
    return `http://${host}:${address.port}`
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    this.#inner.closeAllConnections()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
    // A client that resets mid-handshake must not surface as an unhandled error.
    socket.on('error', () => socket.destroy())
  }

  async #connect(req: IncomingMessage, duplex: Duplex, head: Buffer): Promise<void> {
    // Node hands a CONNECT its TCP socket; anything else cannot be tunnelled.
    if (!(duplex instanceof Socket)) return void duplex.destroy()
    const socket = duplex
    this.#track(socket)
    const target = connectTarget(req.url ?? '')
    if (target === null) return refuseTunnel(socket, { ...notAProxyRequest, detail: `CONNECT needs host:port, got ${req.url ?? ''}.` })
    if (!isWhopHost(target.host)) {
      if (this.options.passthrough) return tunnel(socket, head, target.host, target.port)
      return refuseTunnel(socket, offlineRefusal(target.host))
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    // A tunnel that stays silent is dropped; once it speaks, the HTTP server's own timeouts apply.
    socket.setTimeout(TUNNEL_SILENCE_MS, () => socket.destroy())
    // Clients tunnel plain HTTP too (undici does for http: URLs): a TLS handshake starts with 0x16.
    const first = await firstByte(socket, head)
    socket.setTimeout(0)
    if (first === null) return void socket.destroy()
    const authority = (scheme: string, standard: number) =>
      `${scheme}://${target.host.includes(':') ? `[${target.host}]` : target.host}${target.port === standard ? '' : `:${target.port}`}`
    if (first !== TLS_HANDSHAKE) return this.#hand(socket, authority('http', 80))
    let context
    try {
      context = await this.options.leaves.contextFor(target.host)
    } catch {
      return void socket.destroy()
    }
    const secure = new TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ['http/1.1'] })
    this.#track(secure)
    this.#hand(secure, authority('https', 443))
  }

  /** Serve the HTTP requests on a tunnel's socket as requests for `origin`. */
  #hand(socket: Socket, origin: string): void {
    this.#origins.set(socket, origin)
    this.#inner.emit('connection', socket)
    socket.resume()
  }

  async #plain(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = URL.canParse(req.url ?? '') ? new URL(req.url ?? '') : null
    if (url === null || url.protocol !== 'http:') return sendRefusal(res, notAProxyRequest)
    if (!isWhopHost(url.hostname)) {
      if (this.options.passthrough) return relay(req, res, url)
      return sendRefusal(res, offlineRefusal(url.hostname))
    }
    await this.#serve(req, res, url)
  }

  async #decrypted(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = this.#origins.get(req.socket)
    if (origin === undefined) return sendRefusal(res, notAProxyRequest)
    await this.#serve(req, res, new URL(req.url ?? '/', origin))
  }

  /** A request for a Whop host: to the mock when the path is rerouted, else the refusal page. */
  async #serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!reroutes(url)) return sendRefusal(res, notReroutedRefusal(url))
    try {
      const body = await readBody(req)
      if (body === null) return sendRefusal(res, tooLarge)
      const answer = await this.options.upstream({ method: req.method ?? 'GET', originalUrl: url, headers: endToEnd(req.headers), body })
      res.writeHead(answer.status, { ...endToEnd(answer.headers), 'content-length': answer.body.length })
      res.end(answer.body)
    } catch (error) {
      if (res.headersSent) return void res.destroy()
      sendRefusal(res, { status: 502, title: 'whop-auth-mock proxy: the mock did not answer', detail: String(error) })
    }
  }
}
