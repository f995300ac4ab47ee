// @ts-check
/**
 * Server processes for the benchmark: spawn one on a free loopback port, time it from spawn to
 * its first 200, read its RSS and CPU time from /proc, and stop it.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { must } from './must.mjs'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

const READY_TIMEOUT_MS = 30_000
/** How often a starting server is polled; bounds the cold-start error to about this much. */
const POLL_INTERVAL_MS = 2
const STDERR_TAIL = 4096

/** A port that was free a moment ago (the child binds it right after). */
export async function freePort() {
  const server = net.createServer()
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {net.AddressInfo} */ (server.address())
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Status of one GET on a fresh connection; rejects while nothing listens.
 * @param {string} url
 * @returns {Promise<number | undefined>}
 */
function statusOf(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume()
      resolve(response.statusCode)
    })
    request.on('error', reject)
  })
}

/**
 * Resident set size in MiB, from /proc/<pid>/status VmRSS.
 * @param {number} pid
 */
export function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(match[1]) / 1024
}

/**
 * CPU seconds from a /proc stat file: utime + stime (fields 14 and 15), plus cutime + cstime
 * (16 and 17, children that have exited) when asked. Clock ticks are 1/100 s on Linux.
 * @param {string} file
 */
function statCpuSeconds(file, withChildren = false) {
  const stat = readFileSync(file, 'utf8')
  // After the command name in parentheses; fields[0] is field 3 (state), so field n is at n - 3.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number)
  /** @param {number} n */
  const field = (n) => must(fields[n - 3], `field ${n} of ${file}`)
  return (field(14) + field(15) + (withChildren ? field(16) + field(17) : 0)) / 100
}

/**
 * User + system CPU time in seconds of a process (all its threads) or of one of its threads (the main thread's tid is the pid).
 * @param {number} pid
 * @param {number | null} [tid]
 */
export function cpuSeconds(pid, tid = null) {
  return statCpuSeconds(tid === null ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`)
}

/** CPU seconds of this process and of its children that have exited. */
export function ownAndChildrenCpuSeconds() {
  return statCpuSeconds('/proc/self/stat', true)
}

/** CPU seconds all processes on the machine have used (all cores), from /proc/stat: everything but idle and iowait. */
export function machineBusySeconds() {
  const cpuLine = must(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0], 'the cpu line of /proc/stat')
  const [, ...ticks] = cpuLine.trim().split(/\s+/).map(Number)
  /** @param {number} i */
  const tick = (i) => must(ticks[i], `field ${i + 2} of /proc/stat's cpu line`)
  // user, nice, system, then idle and iowait (not busy), then irq, softirq, steal
  return (tick(0) + tick(1) + tick(2) + tick(5) + tick(6) + tick(7)) / 100
}

/**
 * @typedef {object} ServerDef
 * @property {string} label
 * @property {(port: number, flags: string[]) => string[]} argv  node arguments, relative to the repo root
 * @property {string} readyPath  polled until it answers 200
 * @property {Record<string, string>} [env]  added to the bench's environment
 */

/**
 * @typedef {object} RunningServer
 * @property {number} pid
 * @property {string} origin  http://127.0.0.1:<port>
 * @property {number} readyMs  from spawn to the first 200 on readyPath
 * @property {() => Promise<void>} stop
 * @property {Promise<{ code: number | null, signal: string | null }>} exited  settles when the process has exited
 */

/**
 * Spawn a server and wait for the first 200 from its ready path.
 * @param {ServerDef} def
 * @param {string[]} [flags] extra flags the server understands (e.g. the mock's --auto-approve)
 * @param {string[]} [nodeArgs] flags for node itself (e.g. --cpu-prof)
 * @returns {Promise<RunningServer>}
 */
export async function startServer(def, flags = [], nodeArgs = []) {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  let stderr = ''
  const started = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, ...def.argv(port, flags)], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...def.env },
  })
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL)
  })
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const deadline = started + READY_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${def.label} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`)
    }
    const status = await statusOf(origin + def.readyPath).catch(() => 0)
    if (status === 200) break
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${def.label} did not answer 200 on ${def.readyPath} within ${READY_TIMEOUT_MS} ms:\n${stderr}`)
    }
    await sleep(POLL_INTERVAL_MS)
  }
  const readyMs = performance.now() - started
  return {
    pid: /** @type {number} */ (child.pid),
    origin,
    readyMs,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/**
 * Run `node <args>` in the repo root to completion; resolves with its stdout, rejects unless it exits 0.
 * @param {string[]} args
 * @param {Record<string, string>} [env]  added to the bench's environment
 * @returns {Promise<string>}
 */
export function runNode(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.once('error', reject)
    child.once('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`node ${args.join(' ')} exited ${code ?? signal}`))))
  })
}

/** Flags of `node dist/cli/main.cjs serve` this build knows, read from its --help (the CLI renders help from its option table). */
export function serveHelpText() {
  return runNode(['dist/cli/main.cjs', 'serve', '--help']).catch((error) => {
    throw new Error(`${error.message}; run npm run build first`)
  })
}
