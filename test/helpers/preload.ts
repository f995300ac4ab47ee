/**
 * Run a small app (test/e2e/apps/*.mjs) as a real Node child process with the preload, the way a
 * user would: `node --import whop-auth-mock/register app.mjs`, or through NODE_OPTIONS. Needs a
 * build (the package's exports point at dist/).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { repoRoot, runCli, type CliResult } from './cli.js'

const registerBuild = fileURLToPath(new URL('../../dist/intercept/register.js', import.meta.url))

export interface AppRun {
  /** Variables for the app (WHOP_BASE_URL is always emptied, so no base URL reaches the SDKs). */
  env?: Record<string, string>
  /** Give the preload in NODE_OPTIONS rather than on the command line. */
  viaNodeOptions?: boolean
  hangGuardMs?: number
}

export async function runApp(t: Test, app: string, run: AppRun = {}): Promise<CliResult> {
  if (!existsSync(registerBuild)) throw new Error(`${registerBuild} is missing: run npm run build first`)
  const script = fileURLToPath(new URL(`../e2e/apps/${app}`, import.meta.url))
  const preload = '--import=whop-auth-mock/register'
  const env = { WHOP_BASE_URL: '', ...run.env, ...(run.viaNodeOptions === true && { NODE_OPTIONS: preload }) }
  const command = run.viaNodeOptions === true ? [process.execPath, script] : [process.execPath, preload, script]
  const child = runCli(t, [], env, command, repoRoot)
  const limit = run.hangGuardMs ?? 60_000
  const guard = setTimeout(() => {
    t.fail(`${app} did not finish within ${limit} ms`)
    child.child.kill('SIGKILL')
  }, limit)
  const { code } = await child.closed.finally(() => clearTimeout(guard))
  return { code, stdout: child.stdout(), stderr: child.stderr() }
}
