/**
 * Starting and stopping the app under test (`--start`): a shell command in its own process
 * group, so stopping it also stops whatever the shell started; ready once it answers HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { SetupError } from '../errors/startup.js'

const OUTPUT_LINES = 40

export interface AppProcess {
  stop(): Promise<void>
  /** Throws a SetupError naming the cause (and the app's last output) when the app has stopped since it became ready. */
  checkAlive(): void
}

export interface StartAppOptions {
  command: string
  cwd: string
  env: Record<string, string>
  baseUrl: string
  readyPath: string
  timeoutMs: number
}

/** Any HTTP answer means the server is up; only a connection failure (or no answer in time) means it is not. */
export async function answers(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) })
    await res.body.dump()
    return true
  } catch {
    return false
  }
}

/** Whether something already accepts connections at the URL's host and port. */
export function portTaken(url: URL, timeoutMs = 1000): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (taken: boolean) => {
      socket.destroy()
      resolve(taken)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole group the command started in (detached made it the leader).
    process.kill(-child.pid!, signal)
  } catch {
    // Already gone.
  }
}

/** Apps started and not yet stopped: a runner that dies must not leave one holding its port. */
const running = new Set<ChildProcess>()
const killRunning = () => {
  for (const child of running) stopGroup(child, 'SIGKILL')
}

export async function startApp(options: StartAppOptions): Promise<AppProcess> {
  const target = new URL(options.baseUrl)
  // Judging whatever already listens there would judge the wrong app.
  if (await portTaken(target)) {
    throw new SetupError(
      `port ${target.port || '(default)'} on ${target.hostname} is already taken by another process before the app started; stop it or give app.baseUrl another port: ${options.command}`,
    )
  }
  const lines: string[] = []
  const child = spawn(options.command, {
    shell: true,
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    )
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES))
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  // An object, not a `let`: it changes in callbacks, which control-flow narrowing cannot see.
  const state: { exited: string | null } = { exited: null }
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exited = signal === null ? `exit code ${code}` : `signal ${signal}`
      resolve()
    })
    child.once('error', (error) => {
      state.exited = error.message
      resolve()
    })
  })
  running.add(child)
  if (running.size === 1) process.on('exit', killRunning)

  const stop = async () => {
    running.delete(child)
    if (running.size === 0) process.removeListener('exit', killRunning)
    if (state.exited !== null) return
    stopGroup(child, 'SIGTERM')
    const graceful = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)])
    if (!graceful) {
      stopGroup(child, 'SIGKILL')
      await exit
    }
  }

  const readyUrl = `${options.baseUrl}${options.readyPath}`
  const deadline = performance.now() + options.timeoutMs
  for (;;) {
    if (state.exited !== null) {
      await stop()
      throw new SetupError(`the app stopped before it answered (${state.exited}): ${options.command}`, [...lines])
    }
    if (await answers(readyUrl)) break
    if (performance.now() > deadline) {
      await stop()
      throw new SetupError(`the app did not answer at ${readyUrl} within ${options.timeoutMs} ms: ${options.command}`, [...lines])
    }
    await sleep(50)
  }
  const checkAlive = () => {
    if (state.exited === null || !running.has(child)) return
    throw new SetupError(`the app stopped during the run (${state.exited}) after it had answered at ${readyUrl}: ${options.command}`, [
      ...lines,
    ])
  }
  return { stop, checkAlive }
}
