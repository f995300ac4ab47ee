/**
 * The correct sample integration passes the whole suite, token route and sign-in, so every
 * failure the suite reports elsewhere is the defect's, not the suite's.
 */
import t from 'tap'
import { startMockServer } from '../../src/index.js'
import { startApp } from '../../src/conformance/app-process.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { RunResult } from '../../src/conformance/result.js'
import { fixturesRegistering, sampleAppDir, sampleConfig, TEST_WHOP_TIMEOUT_MS } from '../helpers/conformance.js'
import { confidentialApp } from '../helpers/fixtures.js'

// Each test starts its own app and mock on free ports, and most of a run is waiting on the app's
// Whop timeout in the stall cases, so the tests overlap.
t.jobs = 4

const statuses = (result: RunResult) => Object.fromEntries(result.results.map((r) => [r.id, r.status]))
const failures = (result: RunResult) => result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.actual ?? r.reason}`)

t.test('the correct sample app passes every token-route and sign-in case', async (t) => {
  const result = await runConformance(await sampleConfig())
  t.same(failures(result), [])
  t.equal(result.counts.passed, 44)
  t.same(result.parts, [
    { part: 'token-route', state: 'checked', cases: 14 },
    { part: 'oauth', state: 'checked', cases: 30 },
    { part: 'server', state: 'not-configured', cases: 0 },
  ])
  t.same(
    result.results.filter((r) => r.warning !== undefined),
    [],
    'no warning: the sample app checks the id_token signature',
  )
  t.comment(`suite against the sample app: ${result.durationMs} ms (mock and app start-up included)`)
})

t.test(
  'an app that trusts TLS for the id_token (no signature check, as openid-client does by default) passes too, the signature cases with a warning, and the JWKS case is skipped',
  async (t) => {
    const result = await runConformance(await sampleConfig({ ID_TOKEN_SIGNATURE: 'tls-only' }))
    t.same(failures(result), [
      "oauth-whop-jwks-failure-handled: the app never asked Whop's JWKS (/.well-known/jwks.json) during a sign-in, so the failures never reached it",
    ])
    const warned = result.results.filter((r) => r.warning !== undefined)
    t.same(
      warned.map((r) => r.id),
      ['oauth-refuses-id-token-bad-signature'],
      'openid-client still refuses alg none: its alg must be the registered ES256',
    )
    t.match(
      warned[0]?.warning,
      /^an id_token with a bad signature accepted \(the browser is signed in: GET \/me answered 200.*the back channel/,
    )
  },
)

t.test(
  'an app that caches each token until expires_at by its own clock also passes (the clock lag keeps the expiry case fair)',
  async (t) => {
    const result = await runConformance(await sampleConfig({ TOKEN_CACHE: 'until-expiry' }))
    t.same(failures(result), [])
    t.equal(statuses(result)['token-route-remints-after-expiry'], 'pass')
  },
)

t.test(
  'two runs against one long-running app that caches until expiry both pass: no run leaves it a token or a session the next would get',
  async (t) => {
    const config = await sampleConfig()
    const mock = await startMockServer({ port: 0, fixtures: fixturesRegistering(config.oauth!.redirectUri) })
    t.teardown(() => mock.close())
    const app = await startApp({
      command: 'node server.js',
      cwd: sampleAppDir,
      env: {
        ...mock.env,
        WHOP_MOCK_URL: mock.url,
        WHOP_APP_ID: confidentialApp.id,
        WHOP_CLIENT_SECRET: confidentialApp.client_secret!,
        PORT: new URL(config.app.baseUrl).port,
        TOKEN_CACHE: 'until-expiry',
        WHOP_TIMEOUT_MS: TEST_WHOP_TIMEOUT_MS,
      },
      baseUrl: config.app.baseUrl,
      readyPath: '/',
      timeoutMs: 15_000,
    })
    t.teardown(() => app.stop())
    const againstRunningApp = { ...config, app: { ...config.app, start: null }, mock: { ...config.mock, url: mock.url } }
    t.same(failures(await runConformance(againstRunningApp)), [], 'first run')
    // The app keeps Whop's discovery document and keys from the first run, as it should, so the
    // second run's failures there never reach it: those two cases say so, and every other passes.
    t.same(
      failures(await runConformance(againstRunningApp)),
      [
        "oauth-whop-discovery-failure-handled: the app never asked Whop's discovery document (/.well-known/openid-configuration, /oauth/.well-known/openid-configuration) during a sign-in, so the failures never reached it",
        "oauth-whop-jwks-failure-handled: the app never asked Whop's JWKS (/.well-known/jwks.json) during a sign-in, so the failures never reached it",
      ],
      'second run',
    )
  },
)

t.test(
  "a running mock given as mock.url, with the app's callback in its fixtures, is driven over its control API with the same verdicts",
  async (t) => {
    const config = await sampleConfig()
    const mock = await startMockServer({ port: 0, fixtures: fixturesRegistering(config.oauth!.redirectUri) })
    t.teardown(() => mock.close())
    // A URL naming a tenant is used as it is, so its journal can be read after the run.
    const tenant = mock.tenant('given')
    const result = await runConformance({ ...config, mock: { ...config.mock, url: tenant.url } })
    t.same(failures(result), [])
    t.equal(result.counts.passed, 44)
    t.equal(result.target.mock, tenant.url)
    const grants = tenant.journal({ path: '/oauth/token' }).map((e) => [(e.body as { grant_type: string }).grant_type, e.status])
    t.same(
      grants,
      [
        ['authorization_code', 200],
        ['refresh_token', 200],
        ['refresh_token', 200],
      ],
      'the runner reset the mock before its last story, a sign-in refreshed twice',
    )
  },
)

t.test(
  "a running mock without the app's callback registered stops the run at the authorize step, naming the redirect_uri to register",
  async (t) => {
    const mock = await startMockServer({ port: 0 })
    t.teardown(() => mock.close())
    const config = await sampleConfig()
    const tenant = mock.tenant('no-callback')
    await t.rejects(runConformance({ ...config, mock: { ...config.mock, url: tenant.url } }), {
      name: 'SetupError',
      message: `the mock at ${tenant.url} refuses redirect_uri ${config.oauth!.redirectUri} for ${confidentialApp.id} ("The redirect_uri ${config.oauth!.redirectUri} is not registered for Acme Chat Web; it must match one exactly."); register it in the apps[].redirect_uris of the fixtures that mock was started with`,
    })
  },
)

t.test(
  'an app with production cookies (Secure, Max-Age=3600) on http://127.0.0.1 passes too: a browser sends Secure cookies to loopback, and the mock clock does not expire them',
  async (t) => {
    const result = await runConformance(await sampleConfig({ COOKIES: 'production' }))
    t.same(failures(result), [])
    t.equal(result.counts.passed, 44)
  },
)
