/**
 * The config expresses real apps: a token route that takes the user in a JSON body, a sign-in
 * started by POST with a CSRF token (as Auth.js starts it), a profile page that answers 200
 * either way, and an identity-only app that reads the user once at the callback. Each is the
 * sample app with one switch, judged with and without the config that describes it.
 */
import t from 'tap'
import type { AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { RunResult } from '../../src/conformance/result.js'
import { sampleConfig } from '../helpers/conformance.js'

// Each run starts its own app and mock on free ports, and most of a run is waiting on the app's
// Whop timeout in the stall cases, so the tests overlap.
t.jobs = 4

const notPassed = (result: RunResult) => result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}`)
const statusOf = (result: RunResult, id: string) => result.results.find((r) => r.id === id)?.status

/** The sample app with `env`, its config changed by `change`. */
async function run(env: Record<string, string>, change: (config: AppModeConfig) => AppModeConfig = (c) => c) {
  return runConformance(change(await sampleConfig(env)))
}

t.test('a token route that takes {"userId"} in a JSON body passes once tokenRoute.request says so', async (t) => {
  const described = await run({ TOKEN_REQUEST: 'json' }, (c) => ({
    ...c,
    tokenRoute: { ...c.tokenRoute!, request: { headers: {}, body: { kind: 'json', value: { userId: '{{whopUserId}}' } } } },
  }))
  t.same(notPassed(described), [])
  const undescribed = await run({ TOKEN_REQUEST: 'json' })
  t.equal(statusOf(undescribed, 'token-route-token-verifies-for-signed-in-user'), 'fail', 'without it, the route answers 400')
  t.equal(statusOf(undescribed, 'token-route-refuses-anonymous-caller'), 'not-judged')
})

t.test('a sign-in started by POST with a CSRF token passes once oauth.start gives the recipe', async (t) => {
  const described = await run({ START: 'post-csrf' }, (c) => ({
    ...c,
    oauth: {
      ...c.oauth!,
      start: { method: 'POST', csrf: { path: '/auth/csrf', jsonField: 'csrfToken' }, form: { csrfToken: '{{csrf}}' } },
    },
  }))
  t.same(notPassed(described), [])
  const undescribed = await run({ START: 'post-csrf' })
  t.equal(statusOf(undescribed, 'oauth-start-redirects-to-authorize'), 'fail', 'a GET start is refused with 405')
})

t.test('a profile page that answers 200 either way is judged by oauth.signedIn.bodyExcludes', async (t) => {
  const described = await run({ PROFILE: 'always-200' }, (c) => ({
    ...c,
    oauth: { ...c.oauth!, signedIn: { status: null, bodyIncludes: null, bodyExcludes: 'Authentication Failed', cookie: null } },
  }))
  t.same(notPassed(described), [])
  const undescribed = await run({ PROFILE: 'always-200' })
  t.equal(statusOf(undescribed, 'oauth-callback-refuses-altered-state'), 'fail', 'without it, every 200 looks signed in')
})

t.test('an identity-only app reads the user at the callback and passes; its refresh cases are not applicable', async (t) => {
  const result = await run({ SESSION: 'identity-only' }, (c) => ({ ...c, oauth: { ...c.oauth!, keepsTokens: false } }))
  t.same(notPassed(result), [
    'oauth-refresh-refused-ends-session: skip',
    'oauth-refresh-uses-rotated-token: skip',
    'oauth-refreshes-after-access-token-expiry: skip',
  ])
  for (const r of result.results.filter((x) => x.status === 'skip')) t.match(r.reason, /^not applicable: .*oauth\.keepsTokens false/)
  t.equal(statusOf(result, 'oauth-signs-in-and-reads-user'), 'pass')
})
