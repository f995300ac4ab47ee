/**
 * The proxy in front of a contract-checked test mock (every answer through it is checked against
 * the spec), and clients that go through it: an undici ProxyAgent trusting the proxy's CA, and a
 * raw CONNECT for reading a refusal page. Everything is closed at teardown.
 */
import type { Test } from 'tap'
import { request as httpRequest } from 'node:http'
import { ProxyAgent } from 'undici'
import { startWhopProxy, type WhopProxy } from '../../src/proxy/start.js'
import { injectUpstream } from '../../src/proxy/upstream.js'
import type { MockServerOptions, ProxyOptions } from '../../src/options.js'
import { startMock, type TestMock } from './start-mock.js'

export interface ProxiedMock {
  mock: TestMock
  proxy: WhopProxy
  /** Through the proxy, trusting its CA; CONNECT for every URL. */
  agent: ProxyAgent
}

export async function startProxiedMock(
  t: Test,
  proxyOptions: Partial<ProxyOptions> = {},
  mockOptions: MockServerOptions = {},
): Promise<ProxiedMock> {
  const mock = await startMock(t, mockOptions)
  const proxy = await startWhopProxy(
    { port: 0, ...proxyOptions },
    injectUpstream(mock.app, () => new URL(mock.url).host),
  )
  t.teardown(() => proxy.close())
  return { mock, proxy, agent: proxyAgent(t, proxy) }
}

/** A ProxyAgent through `proxy` trusting its CA; `tunnel: false` sends http: URLs in absolute form. */
export function proxyAgent(t: Test, proxy: WhopProxy, tunnel = true): ProxyAgent {
  const agent = new ProxyAgent({ uri: proxy.url, requestTls: { ca: proxy.caCertificate }, proxyTunnel: tunnel })
  t.teardown(() => agent.close())
  return agent
}

/** The proxy's answer to `CONNECT authority`: its status and body (a refusal page), or 200 and ''. */
export function rawConnect(proxyUrl: string, authority: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(proxyUrl, { method: 'CONNECT', path: authority })
    req.once('connect', (res, socket, head) => {
      let body = head.toString('utf8')
      socket.setEncoding('utf8')
      socket.on('data', (chunk: string) => (body += chunk))
      if (res.statusCode === 200) {
        socket.destroy()
        return resolve({ status: 200, body: '' })
      }
      socket.once('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.once('error', reject)
    req.end()
  })
}
