/**
 * Starting and stopping the app under test (`--start`): a shell command in its own process
 * group, so stopping it also stops whatever the shell started; ready once it answers HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { SetupError } from '../errors/startup.js'

const OUTPUT_LINES = 40

export interface AppProcess {
  stop(): Promise<void>
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
  return { stop }
}
