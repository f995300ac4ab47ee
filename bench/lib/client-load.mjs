// @ts-check
/**
 * The client-process load for the interception rows: one child process (lib/mint-client.mjs)
 * mints back to back against a running mock, reached directly, through the Node preload or
 * through the MSW handlers, and reports as a loop load does, plus its own CPU time.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { repoRoot } from './processes.mjs'

const run = promisify(execFile)
const CLIENT = fileURLToPath(new URL('./mint-client.mjs', import.meta.url))
const REGISTER = fileURLToPath(new URL('../../dist/intercept/register.js', import.meta.url))
/** The client warms itself up (a fresh process has cold JIT) for this long before it measures. */
const CLIENT_WARMUP_SECONDS = 0.5

/**
 * @typedef {object} ClientSpec
 * @property {'direct' | 'preload' | 'msw'} mode
 * @property {import('./load.mjs').HttpRequestSpec} request
 */

/**
 * What the client process prints, as one JSON line.
 * @typedef {object} ClientReport
 * @property {number} completed  mints that succeeded
 * @property {number} seconds  wall time of the measured loop
 * @property {{ p50: number, p99: number }} latencyMs
 * @property {number} failures
 * @property {string | null} firstError
 * @property {number} cpuSeconds  all of the process's CPU time, start-up included
 */

/**
 * @param {string} origin  the running mock
 * @param {ClientSpec} client
 * @param {{ seconds: number }} options
 * @returns {Promise<import('./load.mjs').LoadResult & { clientCpuSeconds: number }>}
 */
export async function clientLoad(origin, client, { seconds }) {
  const args = client.mode === 'preload' ? ['--import', REGISTER, CLIENT] : [CLIENT]
  const env = {
    PATH: process.env.PATH,
    MODE: client.mode,
    SECONDS: String(seconds),
    WARMUP_SECONDS: String(CLIENT_WARMUP_SECONDS),
    WHOP_MOCK_URL: origin,
    MINT_REQUEST: JSON.stringify(client.request),
  }
  const { stdout } = await run(process.execPath, args, { cwd: repoRoot, env, timeout: (seconds + 60) * 1000 })
  /** @type {ClientReport} */
  const out = JSON.parse(stdout)
  return {
    perSecond: out.completed / out.seconds,
    completed: out.completed,
    excused: 0,
    seconds: out.seconds,
    latencyMs: out.latencyMs,
    invalid: out.failures > 0 ? `${out.failures} failed: ${out.firstError}` : out.completed === 0 ? 'nothing completed' : null,
    clientCpuSeconds: out.cpuSeconds,
  }
}
