/**
 * What the proxy answers when it does not serve a request: a short HTML page that names the host,
 * so a developer reading a failed call sees why (the mock is offline by design).
 */
import type { ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

export interface Refusal {
  status: 400 | 413 | 502
  title: string
  detail: string
}

/** Not a Whop host: the mock does not reach the internet unless told to. */
export function offlineRefusal(host: string): Refusal {
  return {
    status: 502,
    title: `whop-auth-mock proxy: ${host} is not served`,
    detail:
      `The whop-auth-mock proxy answers only for Whop's hosts and is offline by design, so ${host} was not contacted. ` +
      'Start it with --proxy-passthrough to tunnel other hosts, or leave them out of HTTPS_PROXY with NO_PROXY.',
  }
}

/** A Whop host, but a path the mock does not stand in for (whop.com outside its authorize page). */
export function notReroutedRefusal(url: URL): Refusal {
  return {
    status: 502,
    title: `whop-auth-mock proxy: ${url.host}${url.pathname} is not served`,
    detail: `The mock stands in for Whop's authentication API only, and ${url.host}${url.pathname} is not part of it; it was not contacted.`,
  }
}

function page(refusal: Refusal): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(refusal.title)}</title></head>\n<body><h1>${escapeHtml(refusal.title)}</h1>\n<p>${escapeHtml(refusal.detail)}</p></body></html>\n`
}

export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  const body = page(refusal)
  res.writeHead(refusal.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(body)
}

/** The same page as the answer to a CONNECT, on the raw socket, which is then closed. */
export function refuseTunnel(socket: Duplex, refusal: Refusal): void {
  const body = page(refusal)
  const reason = refusal.status === 502 ? 'Bad Gateway' : 'Bad Request'
  socket.end(
    `HTTP/1.1 ${refusal.status} ${reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
