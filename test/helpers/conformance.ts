/**
 * Helpers for the conformance suite's own tests: free ports, the sample app's config for one
 * variant, and the built CLI run as a real process with a hang guard.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { loadConfig, type AppModeConfig } from '../../src/conformance/config.js'
import type { FixtureData } from '../../src/state/fixtures.js'
import { defaults } from './fixtures.js'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const sampleAppDir = fileURLToPath(new URL('../../conformance/examples/sample-app/', import.meta.url))
export const sampleConfigFile = `${sampleAppDir}conformance.json`
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.cjs', import.meta.url))

/** A port nobody listens on right now (the OS picks it; the listener is closed at once). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The sample app's own config, on a free port, with extra environment (DEFECT=..., TOKEN_CACHE=...). */
export async function sampleConfig(env: Record<string, string> = {}): Promise<AppModeConfig> {
  const port = await freePort()
  return loadConfig({ file: sampleConfigFile, overrides: { app: { baseUrl: `http://127.0.0.1:${port}`, env } } }) as AppModeConfig
}

/** The built-in fixtures with `redirectUri` registered for the sample app's OAuth client, as a mock given by --mock-url needs. */
export function fixturesRegistering(redirectUri: string, clientId = 'app_vUCsMehGAkWvj7'): FixtureData {
  const fixtures = structuredClone(defaults)
  fixtures.apps.find((a) => a.id === clientId)!.redirect_uris.push(redirectUri)
  return fixtures
}

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Run the built CLI; killed (and the test failed) if it outlives `hangGuardMs`. */
export function runCli(t: Test, args: string[], options: { cwd?: string; hangGuardMs?: number } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const guard = setTimeout(() => {
    t.fail(`whop-auth-mock ${args.join(' ')} did not finish within ${options.hangGuardMs ?? 60_000} ms`)
    child.kill('SIGKILL')
  }, options.hangGuardMs ?? 60_000)
  t.teardown(() => {
    clearTimeout(guard)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(guard)
      resolve({ code, stdout, stderr })
    })
  })
}
