/**
 * What only the real-browser mode can judge, and Whop's real URLs in it: an app whose start page
 * signs in by script (a button that builds the authorize URL and sets location) cannot be signed
 * in by the simulated browser, so its cases are not judged there, and pass in Chromium; an app
 * that sends the browser to https://whop.com/oauth/ or https://api.whop.com/oauth/authorize is
 * judged unmodified in Chromium (its route sends Whop's hosts to the mock), with the verdicts the
 * simulated browser's host mapping gives.
 * @see docs/whop-reference.md §1 (hosts), §2.3, §4.2
 */
import t, { type Test } from 'tap'
import { checkConfigShape, resolveConfig, type AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { SignInVariant } from '../../src/eras.js'
import { freePort } from '../helpers/ports.js'
import { appKey, confidentialApp } from '../helpers/fixtures.js'
import { startLegacySignInApp, type LegacyAppOptions } from '../helpers/legacy-sign-in-app.js'
import { inChromium, notPassed, verdicts } from '../helpers/real-browser.js'

const FLOWS: Record<'legacy-v5' | 'legacy-whop-api', { tokenPath: string; secret: string }> = {
  'legacy-v5': { tokenPath: '/v5/oauth/token', secret: confidentialApp.client_secret ?? '' },
  'legacy-whop-api': { tokenPath: '/api/oauth/token', secret: appKey.key },
}

/** A legacy sign-in app on a free port, and its config; `press` names the start page's button. */
async function legacyApp(
  t: Test,
  flow: keyof typeof FLOWS,
  app: Pick<LegacyAppOptions, 'authorizeUrl' | 'byScript'>,
): Promise<AppModeConfig> {
  const mockPort = await freePort()
  const mockUrl = `http://127.0.0.1:${mockPort}`
  const baseUrl = await startLegacySignInApp(t, { mockUrl, clientId: confidentialApp.id, ...FLOWS[flow], ...app })
  const oauth = {
    flow: flow satisfies SignInVariant,
    clientId: confidentialApp.id,
    startPath: '/login',
    callbackPath: '/cb',
    profilePath: '/me',
    scope: 'read_user',
    ...(app.byScript === true && { start: { press: '#sign-in' } }),
  }
  return resolveConfig(checkConfigShape({ app: { baseUrl }, mock: { port: mockPort }, oauth }), '/') as AppModeConfig
}

t.test('a start page that signs in by script: not judged with the simulated browser, every case passes in Chromium', async (t) => {
  const config = await legacyApp(t, 'legacy-v5', { byScript: true })
  const simulated = await runConformance(config)
  t.equal(simulated.counts.passed, 0, `nothing passes with the simulated browser: ${notPassed(simulated).length} did not`)
  t.match(simulated.failedControls, [{ control: 'a normal sign-in', reason: /cannot press #sign-in/ }], 'its positive control failed')
  t.ok(simulated.counts.notJudged > 0, 'the cases that need a sign-in are not judged')
  const chromium = await runConformance(inChromium(config))
  t.same(notPassed(chromium), [], 'every case passes in Chromium')
  t.equal(chromium.counts.passed, simulated.results.length, 'the same cases, all judged')
})

t.test('an app that sends the browser to https://whop.com/oauth/: judged unmodified, the same verdicts in both browsers', async (t) => {
  const config = await legacyApp(t, 'legacy-v5', { authorizeUrl: 'https://whop.com/oauth/' })
  const simulated = await runConformance(config)
  const chromium = await runConformance(inChromium(config))
  t.same(verdicts(chromium), verdicts(simulated), `in chromium, not passed: ${notPassed(chromium).join('; ') || 'none'}`)
  t.same(notPassed(chromium), [], 'every case passes')
})

t.test('an app that sends the browser to https://api.whop.com/oauth/authorize: the same verdicts in both browsers', async (t) => {
  // The current flow's page at Whop's URL, for an app on a legacy flow: its sign-in fails there, the same way in both browsers.
  const config = await legacyApp(t, 'legacy-whop-api', { authorizeUrl: 'https://api.whop.com/oauth/authorize' })
  const simulated = await runConformance(config)
  const chromium = await runConformance(inChromium(config))
  t.same(verdicts(chromium), verdicts(simulated), `in chromium, not passed: ${notPassed(chromium).join('; ') || 'none'}`)
  t.match(
    chromium.results.find((r) => r.id === 'oauth-start-redirects-to-authorize'),
    { status: 'fail', actual: /the path is \/oauth\/authorize/ },
    "the start is judged as the mock's page it leads to",
  )
})

t.test("a script that sends the browser to Whop's real URL: Chromium follows it onto the mock", async (t) => {
  const config = await legacyApp(t, 'legacy-v5', { byScript: true, authorizeUrl: 'https://whop.com/oauth/' })
  const chromium = await runConformance(inChromium(config))
  t.same(notPassed(chromium), [])
  t.ok(chromium.counts.passed > 0)
})
