// @ts-check
/**
 * The proxy rows: a mock started with `--proxy-port` and a CA the bench makes (so the client
 * knows what to trust), and a mint through the proxy as a client in another language makes it:
 * https://api.whop.com through an undici ProxyAgent trusting the CA, its CONNECT tunnel kept and
 * reused from one mint to the next. The CA's directory is removed when the bench exits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProxyAgent } from 'undici'
import { makeCa } from '../../dist/proxy/ca.js'
import { freePort } from './processes.mjs'

const ca = await makeCa(new Date())
const dir = mkdtempSync(join(tmpdir(), 'whop-auth-mock-bench-ca-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'ca.pem'), ca.pem)
writeFileSync(join(dir, 'ca-key.pem'), ca.madeKeyPem ?? '', { mode: 0o600 })

/** One proxy port for the run: the mock-proxy server is started and stopped once per round, never twice at once. */
const proxyPort = await freePort()
const proxyUrl = `http://127.0.0.1:${proxyPort}`

/** The flags that start the mock's proxy on that port with the bench's CA. */
export const proxyFlags = [
  '--proxy-port',
  String(proxyPort),
  '--proxy-ca-cert',
  join(dir, 'ca.pem'),
  '--proxy-ca-key',
  join(dir, 'ca-key.pem'),
]

/** The loop's pool stands for one load: each load gets a fresh agent (the last one is closed), so a restarted mock is never met on a dead tunnel. */
/** @type {{ pool: unknown, agent: ProxyAgent } | null} */
let current = null
/** @param {unknown} pool */
function agentFor(pool) {
  if (current !== null && current.pool === pool) return current.agent
  void current?.agent.close()
  const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: ca.pem }, connections: 1 })
  current = { pool, agent }
  return agent
}

/**
 * A loop step that sends `request` to https://api.whop.com through the proxy.
 * @param {import('./load.mjs').HttpRequestSpec} request
 * @returns {(pool: import('undici').Dispatcher) => Promise<void>}
 */
export function throughProxy(request) {
  return async (pool) => {
    const dispatcher = agentFor(pool)
    const response = await dispatcher.request({
      origin: 'https://api.whop.com',
      method: request.method,
      path: request.path,
      // A copy: the agent adds Host to the object it is given, which the direct row shares.
      headers: { ...request.headers },
      body: request.body,
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`mint through the proxy answered ${response.statusCode}: ${text.slice(0, 200)}`)
  }
}

/**
 * The same request straight to the mock, on the loop's own pool (one connection, kept alive).
 * @param {import('./load.mjs').HttpRequestSpec} request
 * @returns {(pool: import('undici').Dispatcher) => Promise<void>}
 */
export function direct(request) {
  return async (pool) => {
    const response = await pool.request({
      method: request.method,
      path: request.path,
      headers: { ...request.headers },
      body: request.body,
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`direct mint answered ${response.statusCode}: ${text.slice(0, 200)}`)
  }
}
