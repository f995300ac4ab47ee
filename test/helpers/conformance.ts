/**
 * Helpers for the conformance suite's own tests: free ports and the sample app's config for one
 * variant. The built CLI is run with runCliToEnd from ./cli.js.
 */
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { loadConfig, type AppModeConfig } from '../../src/conformance/config.js'
import type { FixtureData } from '../../src/state/fixtures.js'
import { defaults } from './fixtures.js'

export const sampleAppDir = fileURLToPath(new URL('../../conformance/examples/sample-app/', import.meta.url))
export const sampleConfigFile = `${sampleAppDir}conformance.json`

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
