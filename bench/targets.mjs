// @ts-check
/**
 * What the benchmark measures, as data. Each server is a child process; each measure
 * is one row (which server, what load, what unit); each check is a ratio of two measures'
 * medians from the same run with its target. The runner (lib/benchmark.mjs) reads these tables
 * and never branches on a row's or a server's name.
 */
import { apiKey, company, member } from './lib/fixtures.mjs'
import { FLOWS, roundTrip } from './lib/oauth-flow.mjs'
import { direct, proxyFlags, throughProxy } from './lib/proxy-client.mjs'

/** @typedef {import('./lib/processes.mjs').ServerDef & { optionalFlags?: string[] }} ServerRow */
/**
 * The servers' names: SERVERS has exactly these keys (the type checker holds it to them).
 * @typedef {'mock' | 'bare' | 'peer' | 'hot-path' | 'peer-es256' | 'mock-proxy'} ServerName
 */

/** @type {Record<ServerName, ServerRow>} */
export const SERVERS = {
  mock: {
    label: 'whop-auth-mock',
    argv: (port, flags) => ['dist/cli/main.cjs', 'serve', '--port', String(port), '--log-level', 'silent', ...flags],
    readyPath: '/_mock/health',
    // Passed when this build's `serve --help` lists them (the OAuth branch adds --auto-approve).
    optionalFlags: ['--auto-approve'],
  },
  bare: {
    label: 'bare Fastify',
    argv: (port) => ['bench/servers/bare-fastify.mjs', '--port', String(port)],
    readyPath: '/',
  },
  peer: {
    label: 'oauth2-mock-server RS256',
    argv: (port) => ['bench/servers/peer.mjs', '--port', String(port), '--alg', 'RS256'],
    readyPath: '/.well-known/openid-configuration',
  },
  // The thread pool size the mock's serve gives itself (src/cli/main.cts), so signing compares like for like.
  'hot-path': {
    label: 'hot-path prototype',
    argv: (port) => ['bench/servers/hot-path.mjs', '--port', String(port)],
    readyPath: '/',
    env: { UV_THREADPOOL_SIZE: '1' },
  },
  'peer-es256': {
    label: 'oauth2-mock-server ES256',
    argv: (port) => ['bench/servers/peer.mjs', '--port', String(port), '--alg', 'ES256'],
    readyPath: '/.well-known/openid-configuration',
  },
  // Its own process, so the CA made at its start never counts in the mock's cold start.
  'mock-proxy': {
    label: 'whop-auth-mock --proxy-port',
    argv: (port, flags) => ['dist/cli/main.cjs', 'serve', '--port', String(port), '--log-level', 'silent', ...proxyFlags, ...flags],
    readyPath: '/_mock/health',
  },
}

/**
 * What a round learned about the mock before loading it (see PROBES in lib/probes.mjs).
 * @typedef {{ accessToken?: string }} ProbeContext
 */

/**
 * @typedef {object} MeasureRow
 * @property {string} id
 * @property {string} label
 * @property {'http' | 'loop' | 'client' | 'cold' | 'rss'} kind
 * @property {ServerName} server
 * @property {string} unit
 * @property {string[]} [requires]  probes that must pass first, else the row is "not available"
 * @property {number} [connections]  http: keep-alive connections
 * @property {import('./lib/load.mjs').HttpRequestSpec | ((ctx: ProbeContext) => import('./lib/load.mjs').HttpRequestSpec)} [request]
 * @property {number} [concurrency]  loop: workers
 * @property {(dispatcher: import('undici').Dispatcher) => Promise<unknown>} [step]
 * @property {import('./lib/client-load.mjs').ClientSpec} [client]  client: how a client process reaches the mock
 * @property {'start' | 'load'} [at]  rss: after start or after the round's load
 */

const CONNECTIONS = 10

/** @typedef {{ requires?: string[] }} RowExtra */

/**
 * @param {string} id
 * @param {string} label
 * @param {ServerName} server
 * @param {NonNullable<MeasureRow['request']>} request
 * @param {RowExtra} [extra]
 * @returns {MeasureRow}
 */
const http = (id, label, server, request, extra = {}) => ({
  id,
  label,
  kind: 'http',
  server,
  unit: 'req/s',
  connections: CONNECTIONS,
  request,
  ...extra,
})
/**
 * @param {string} id
 * @param {string} label
 * @param {ServerName} server
 * @param {NonNullable<MeasureRow['step']>} step
 * @param {number} concurrency
 * @param {RowExtra} [extra]
 * @returns {MeasureRow}
 */
const loop = (id, label, server, step, concurrency, extra = {}) => ({
  id,
  label,
  kind: 'loop',
  server,
  unit: 'trips/s',
  step,
  concurrency,
  ...extra,
})
/**
 * @param {string} id
 * @param {string} label
 * @param {import('./lib/client-load.mjs').ClientSpec['mode']} mode
 * @returns {MeasureRow}
 */
const client = (id, label, mode) => ({
  id,
  label,
  kind: 'client',
  server: 'mock',
  unit: 'mints/s',
  concurrency: 1,
  client: { mode, request: mintRequest },
})
/**
 * @param {string} id
 * @param {ServerName} server
 * @returns {MeasureRow}
 */
const coldStart = (id, server) => ({ id, label: `cold start ${SERVERS[server].label}`, kind: 'cold', server, unit: 'ms' })
/**
 * @param {string} id
 * @param {ServerName} server
 * @param {'start' | 'load'} at
 * @returns {MeasureRow}
 */
const rss = (id, server, at) => ({ id, label: `RSS after ${at} ${SERVERS[server].label}`, kind: 'rss', server, unit: 'MiB', at })

/** @type {import('./lib/load.mjs').HttpRequestSpec} */
const mintRequest = {
  method: 'POST',
  path: '/api/v1/access_tokens',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({ company_id: company.id, user_id: member }),
}
/** @type {import('./lib/load.mjs').HttpRequestSpec} */
const peerClientCredentials = {
  method: 'POST',
  path: '/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=openid',
}
/** @param {import('undici').Dispatcher} dispatcher */
const mockRoundTrip = (dispatcher) => roundTrip(dispatcher, FLOWS.mock)
/** @param {import('undici').Dispatcher} dispatcher */
const peerRoundTrip = (dispatcher) => roundTrip(dispatcher, FLOWS.peer)

/** Load rows run in this order in every round; servers alternate so no process is loaded twice in a row. */
export const LOADS = [
  http('ceiling', 'bare Fastify GET / (ceiling)', 'bare', { method: 'GET', path: '/' }),
  http('mint', 'mock POST /api/v1/access_tokens', 'mock', mintRequest),
  http('peer-token', 'peer POST /token (RS256)', 'peer', peerClientCredentials),
  http('jwks', 'mock GET /.well-known/jwks.json', 'mock', { method: 'GET', path: '/.well-known/jwks.json' }),
  http('hot-path-mint', 'hot-path prototype POST /api/v1/access_tokens', 'hot-path', mintRequest),
  http(
    'me',
    'mock GET /v5/me',
    'mock',
    (ctx) => ({ method: 'GET', path: '/v5/me', headers: { authorization: `Bearer ${ctx.accessToken}` } }),
    { requires: ['oauth', 'me'] },
  ),
  http('peer-es256-token', 'peer POST /token (ES256)', 'peer-es256', peerClientCredentials),
  // The HTTPS proxy: one client minting at https://api.whop.com through it (CONNECT reused), against the same mock direct.
  loop('mint-proxy-direct', 'mock (proxy on) POST /api/v1/access_tokens direct, c=1', 'mock-proxy', direct(mintRequest), 1),
  loop(
    'mint-proxy',
    'mock POST https://api.whop.com/api/v1/access_tokens through the proxy, c=1',
    'mock-proxy',
    throughProxy(mintRequest),
    1,
  ),
  loop('rt-c1', 'mock authorize → token, c=1', 'mock', mockRoundTrip, 1, { requires: ['oauth'] }),
  loop('peer-rt-c1', 'peer authorize → token, c=1', 'peer', peerRoundTrip, 1),
  loop('rt-c10', 'mock authorize → token, c=10', 'mock', mockRoundTrip, 10, { requires: ['oauth'] }),
  loop('hot-path-rt-c10', 'hot-path prototype authorize → token, c=10', 'hot-path', mockRoundTrip, 10),
  loop('peer-rt-c10', 'peer authorize → token, c=10', 'peer', peerRoundTrip, 10),
  // Interception: one client process minting with fetch, one at a time, as a test does.
  client('mint-direct-fetch', 'fetch to the mock, mint, c=1', 'direct'),
  client('mint-preload', 'fetch to api.whop.com via --import register, mint, c=1', 'preload'),
  client('mint-msw', 'fetch to api.whop.com via MSW handlers (inject), mint, c=1', 'msw'),
]

/** Cold starts alternate mock, bare, mock, bare, ... within a round. */
export const COLD_STARTS = [coldStart('cold-mock', 'mock'), coldStart('cold-bare', 'bare')]

export const RSS = [
  rss('rss-start-mock', 'mock', 'start'),
  rss('rss-start-bare', 'bare', 'start'),
  rss('rss-start-peer', 'peer', 'start'),
  rss('rss-load-mock', 'mock', 'load'),
  rss('rss-load-bare', 'bare', 'load'),
  rss('rss-load-peer', 'peer', 'load'),
]

export const MEASURES = [...LOADS, ...COLD_STARTS, ...RSS]

/**
 * @typedef {object} CheckRow
 * @property {string} of  numerator measure
 * @property {string} over  reference measure
 * @property {string} reference  short name of the reference for the table
 * @property {number} [atLeast]
 * @property {number} [atMost]
 */

/** The targets, as ratios of medians; a row without a bound is reported, never failed. */
/** @type {CheckRow[]} */
export const CHECKS = [
  { of: 'mint', over: 'ceiling', reference: 'ceiling', atLeast: 0.25 },
  { of: 'mint', over: 'peer-token', reference: 'peer /token RS256', atLeast: 7 },
  { of: 'mint', over: 'peer-es256-token', reference: 'peer /token ES256' },
  { of: 'mint', over: 'hot-path-mint', reference: 'hot-path prototype' },
  { of: 'hot-path-mint', over: 'ceiling', reference: 'ceiling' },
  { of: 'jwks', over: 'ceiling', reference: 'ceiling' },
  { of: 'me', over: 'ceiling', reference: 'ceiling', atLeast: 0.2 },
  { of: 'rt-c1', over: 'peer-rt-c1', reference: 'peer c=1' },
  { of: 'rt-c10', over: 'peer-rt-c10', reference: 'peer c=10', atLeast: 10 },
  { of: 'rt-c10', over: 'hot-path-rt-c10', reference: 'hot-path prototype' },
  { of: 'hot-path-rt-c10', over: 'peer-rt-c10', reference: 'peer c=10' },
  { of: 'mint-preload', over: 'mint-direct-fetch', reference: 'direct fetch' },
  { of: 'mint-msw', over: 'mint-direct-fetch', reference: 'direct fetch' },
  { of: 'cold-mock', over: 'cold-bare', reference: 'bare Fastify', atMost: 1.5 },
  { of: 'rss-start-mock', over: 'rss-start-bare', reference: 'bare Fastify' },
  { of: 'rss-load-mock', over: 'rss-load-bare', reference: 'bare Fastify', atMost: 1.3 },
  { of: 'mint-proxy', over: 'mint-proxy-direct', reference: 'direct, same mock' },
]
