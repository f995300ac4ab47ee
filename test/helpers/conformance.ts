/**
 * Helpers for the conformance suite's own tests: the sample app's config for one variant, on a
 * free port (./ports.js). The built CLI is run with runCliToEnd from ./cli.js.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadConfig, type AppModeConfig } from '../../src/conformance/config.js'
import type { FixtureData } from '../../src/state/fixtures.js'
import { defaults } from './fixtures.js'
import { freePort } from './ports.js'

export const sampleAppDir = fileURLToPath(new URL('../../conformance/examples/sample-app/', import.meta.url))
export const sampleConfigFile = `${sampleAppDir}conformance.json`

/**
 * How long the sample app waits for Whop in the project's tests. Its own config says 500 ms, which
 * keeps a run short; tests run many apps and mocks at once on a loaded machine, where a normal
 * answer can take longer than that. Still well under the 5 s the suite gives the app.
 */
export const TEST_WHOP_TIMEOUT_MS = '2000'

/** The sample app's own config, on a free port, with extra environment (DEFECT=..., TOKEN_CACHE=...). */
export async function sampleConfig(env: Record<string, string> = {}): Promise<AppModeConfig> {
  const port = await freePort()
  const withTimeout = { WHOP_TIMEOUT_MS: TEST_WHOP_TIMEOUT_MS, ...env }
  return loadConfig({
    file: sampleConfigFile,
    overrides: { app: { baseUrl: `http://127.0.0.1:${port}`, env: withTimeout } },
  }) as AppModeConfig
}

/**
 * The sample app's config file as an object for a copy in a test directory: `app.cwd` set to the
 * sample app, the test timeout to Whop, and `env` on top.
 */
export function sampleConfigCopy(env: Record<string, string> = {}): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(sampleConfigFile, 'utf8')) as { app: { env: Record<string, string> } }
  return {
    ...sample,
    $schema: undefined,
    app: { ...sample.app, cwd: sampleAppDir, env: { ...sample.app.env, WHOP_TIMEOUT_MS: TEST_WHOP_TIMEOUT_MS, ...env } },
  }
}

/** The built-in fixtures with `redirectUri` registered for the sample app's OAuth client, as a mock given by --mock-url needs. */
export function fixturesRegistering(redirectUri: string, clientId = 'app_vUCsMehGAkWvj7'): FixtureData {
  const fixtures = structuredClone(defaults)
  fixtures.apps.find((a) => a.id === clientId)!.redirect_uris.push(redirectUri)
  return fixtures
}
