/**
 * The sign-in cases against the legacy flows, with an app written the way @whop/api signs people
 * in: each flow runs the cases that apply to it (no PKCE or nonce; refresh only where the token
 * endpoint hands out refresh tokens), and a conforming legacy app passes them all
 * @see docs/whop-reference.md §2.3, §2.4, §4.2
 */
import t, { type Test } from 'tap'
import { resolveConfig, checkConfigShape, type AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { SignInVariant } from '../../src/eras.js'
import { freePort } from '../helpers/ports.js'
import { appKey, confidentialApp } from '../helpers/fixtures.js'
import { startLegacySignInApp } from '../helpers/legacy-sign-in-app.js'

async function runLegacy(t: Test, flow: SignInVariant, tokenPath: string, secret: string) {
  const mockPort = await freePort()
  const mockUrl = `http://127.0.0.1:${mockPort}`
  const baseUrl = await startLegacySignInApp(t, { mockUrl, clientId: confidentialApp.id, secret, tokenPath })
  const oauth = { flow, clientId: confidentialApp.id, startPath: '/login', callbackPath: '/cb', profilePath: '/me', scope: 'read_user' }
  const config = resolveConfig(checkConfigShape({ app: { baseUrl }, mock: { port: mockPort }, oauth }), '/') as AppModeConfig
  return runConformance(config)
}

const failures = (result: Awaited<ReturnType<typeof runConformance>>) =>
  result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.actual ?? r.reason}`)

t.test(
  'an @whop/api-style app (UUID state, the app API key as secret at /api/oauth/token, refresh) passes the 19 cases of legacy-whop-api',
  async (t) => {
    const result = await runLegacy(t, 'legacy-whop-api', '/api/oauth/token', appKey.key)
    t.same(failures(result), [])
    t.same(
      result.parts.find((p) => p.part === 'oauth'),
      { part: 'oauth', state: 'checked', cases: 19 },
    )
    t.notOk(
      result.results.some((r) => r.id === 'oauth-start-sends-pkce-and-nonce'),
      'no PKCE or nonce in a legacy flow',
    )
  },
)

t.test(
  'a v5 app (client secret at /v5/oauth/token, long-lived token) passes the 16 cases of legacy-v5, which has no refresh cases',
  async (t) => {
    const result = await runLegacy(t, 'legacy-v5', '/v5/oauth/token', confidentialApp.client_secret!)
    t.same(failures(result), [])
    t.same(
      result.results.map((r) => r.id).filter((id) => id.includes('refresh')),
      [],
    )
    t.equal(result.counts.passed, 16)
  },
)

t.test("the same app told it is on another flow's token endpoint fails the exchange case, naming where its code went", async (t) => {
  const result = await runLegacy(t, 'legacy-v5', '/api/oauth/token', appKey.key)
  t.same(
    result.results.filter((r) => r.status === 'fail').map((r) => [r.id, r.actual]),
    [['oauth-callback-authenticates-exchange', 'the code went to /api/oauth/token, not /v5/oauth/token or /api/v5/oauth/token']],
  )
})
