/**
 * `--proxy-passthrough`: requests for hosts other than Whop's go out as a plain proxy would send
 * them. CONNECT becomes a TCP tunnel; an absolute-form HTTP request is relayed.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { refuseTunnel, sendRefusal, type Refusal } from './refusal.js'
import { HOP_BY_HOP } from './hop-headers.js'

const unreachable = (host: string, cause: string): Refusal => ({
  status: 502,
  title: `whop-auth-mock proxy: ${host} cannot be reached`,
  detail: `Passing the request through to ${host} failed: ${cause}.`,
})

/** A tunnel from the client to host:port, answered 200 once the far end accepts. */
export function tunnel(client: Duplex, head: Buffer, host: string, port: number): void {
  const far = connect({ host, port })
  far.once('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) far.write(head)
    far.pipe(client)
    client.pipe(far)
  })
  far.once('error', (error) => {
    if (far.connecting) refuseTunnel(client, unreachable(host, error.message))
    else client.destroy()
  })
  client.once('error', () => far.destroy())
  client.once('close', () => far.destroy())
}

/** An absolute-form request relayed to its origin, its answer streamed back. */
export function relay(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)))
  const out = httpRequest(url, { method: req.method, headers: { ...headers, host: url.host } }, (answer) => {
    const back = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)))
    res.writeHead(answer.statusCode ?? 502, back)
    answer.pipe(res)
  })
  out.once('error', (error) => {
    if (!res.headersSent) sendRefusal(res, unreachable(url.host, error.message))
    else res.destroy()
  })
  req.pipe(out)
}
