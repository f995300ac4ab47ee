/**
 * The real CLI as a child process (`node dist/cli/main.cjs`), scoped to one test: its output
 * is collected, the URL it prints is parsed, and it is killed at teardown if still running.
 * `runCli` hands back the running process (for `serve`); `runCliToEnd` waits for a command that
 * finishes (`conformance`, `healthcheck`, `--help`) and fails the test if it hangs.
 * Needs a build (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.cjs', import.meta.url))

/**
 * Cleared from a child's environment: settings the CLI reads, so the caller's shell cannot
 * leak in; tap's NODE_OPTIONS hooks, so the child runs as it would for a user; and what an
 * enclosing `npm test` says about this package, so a child npm works on its own project.
 * (The npm_config_* a CI sets, such as a registry, are kept.)
 */
const NOT_INHERITED =
  /^(PORT|HOST|PUBLIC_URL|WHOP_MOCK_\w+|NODE_OPTIONS|TAP\w*|_TAPJS\w+|npm_package_\w+|npm_lifecycle_\w+|npm_command|npm_config_local_prefix|INIT_CWD)$/

export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_INHERITED.test(name))), ...extra }
}

export interface CliRun {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves when the process has exited and its output has been read to the end. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** The "listening on <url>" address from the banner. */
  listening: () => Promise<string>
  /** The first match of `pattern` in stdout, once printed; rejects if the process exits first. */
  printed: (pattern: RegExp) => Promise<RegExpExecArray>
}

export function runCli(
  t: Test,
  args: string[],
  env: Record<string, string> = {},
  command: string[] = [process.execPath, cliPath],
  cwd: string = repoRoot,
): CliRun {
  if (command[1] === cliPath && !existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`)
  const child = spawn(command[0]!, [...command.slice(1), ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }))
  })
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const match = pattern.exec(stdout)
        if (match) {
          child.stdout!.off('data', look)
          resolve(match)
        }
      }
      child.stdout!.on('data', look)
      look()
      void exited.then(({ code, signal }) =>
        reject(new Error(`CLI exited (${code ?? signal}) before printing ${pattern}: ${stderr.trim()}`)),
      )
    })
  const listening = async () => (await printed(/listening on (http:\/\/\S+)/))[1]!
  return { child, stdout: () => stdout, stderr: () => stderr, exited, closed, listening, printed }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Run a CLI command to its end; killed (and the test failed) if it outlives `hangGuardMs`. */
export async function runCliToEnd(
  t: Test,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; hangGuardMs?: number } = {},
): Promise<CliResult> {
  const run = runCli(t, args, options.env, undefined, options.cwd)
  const limit = options.hangGuardMs ?? 60_000
  const guard = setTimeout(() => {
    t.fail(`whop-auth-mock ${args.join(' ')} did not finish within ${limit} ms`)
    run.child.kill('SIGKILL')
  }, limit)
  const { code } = await run.closed.finally(() => clearTimeout(guard))
  return { code, stdout: run.stdout(), stderr: run.stderr() }
}

/** Reject if `promise` takes longer than `ms`: a guard against hangs, not a timing assertion. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
    }),
  ])
}
