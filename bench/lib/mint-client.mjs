// @ts-check
/**
 * A client process for the interception rows: it mints back to back with fetch, one at a time
 * (as a test does), and prints what it measured as one JSON line. MODE picks how it reaches the
 * mock: `direct` (fetch to WHOP_MOCK_URL), `preload` (fetch to https://api.whop.com, run with
 * --import of the preload and WHOP_MOCK_URL) or `msw` (fetch to https://api.whop.com, answered by
 * the MSW handlers and an in-process mock; WHOP_MOCK_URL is not used). It warms up for
 * WARMUP_SECONDS first, then measures for SECONDS.
 */
import { percentile } from './stats.mjs'

const { MODE, SECONDS, WARMUP_SECONDS, WHOP_MOCK_URL, MINT_REQUEST } = process.env
/** @type {import('./load.mjs').HttpRequestSpec} */
const request = JSON.parse(MINT_REQUEST ?? '{}')
const WHOP_MINT = `https://api.whop.com${request.path}`

/** Stop after this many failed mints rather than measure how fast errors come back. */
const MAX_FAILURES = 5

async function setUp() {
  if (MODE === 'direct') return `${WHOP_MOCK_URL}${request.path}`
  if (MODE === 'preload') return WHOP_MINT
  if (MODE === 'msw') {
    const { setupServer } = await import('msw/node')
    const { createWhopMock, releaseResponseClones, whopHandlers } = await import('../../dist/intercept/msw.js')
    const server = setupServer(...whopHandlers(await createWhopMock()))
    releaseResponseClones(server)
    server.listen({ onUnhandledRequest: 'error' })
    return WHOP_MINT
  }
  throw new Error(`MODE must be direct, preload or msw, got ${MODE}`)
}

/** @param {string} url */
async function mint(url) {
  const response = await fetch(url, { method: request.method, headers: request.headers, body: request.body })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`mint answered ${response.status}: ${text.slice(0, 200)}`)
}

/**
 * Mint back to back for `seconds`; the latencies of the mints that succeeded, and the failures.
 * @param {string} url
 * @param {number} seconds
 */
async function loop(url, seconds) {
  /** @type {number[]} */
  const latencies = []
  let failures = 0
  /** @type {unknown} */
  let firstError = null
  const started = performance.now()
  while (performance.now() - started < seconds * 1000 && failures < MAX_FAILURES) {
    const t = performance.now()
    try {
      await mint(url)
      latencies.push(performance.now() - t)
    } catch (error) {
      failures++
      firstError ??= error
    }
  }
  return { latencies, failures, firstError, seconds: (performance.now() - started) / 1000 }
}

const url = await setUp()
await loop(url, Number(WARMUP_SECONDS ?? '0.5'))
const run = await loop(url, Number(SECONDS ?? '3'))
run.latencies.sort((a, b) => a - b)
const cpu = process.cpuUsage()
/** @type {import('./client-load.mjs').ClientReport} */
const report = {
  completed: run.latencies.length,
  seconds: run.seconds,
  latencyMs: { p50: percentile(run.latencies, 0.5), p99: percentile(run.latencies, 0.99) },
  failures: run.failures,
  firstError: run.firstError === null ? null : String(run.firstError),
  // All of this process's CPU, start-up included, so the runner does not count it as other load.
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
}
process.stdout.write(`${JSON.stringify(report)}\n`)
process.exit(0)
