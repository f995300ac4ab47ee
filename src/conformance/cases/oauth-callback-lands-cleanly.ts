import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { describeAnswer, fail, pass, skip } from '../judge.js'
import { requestsOf } from '../judge-oauth.js'
import { landingPage } from '../scenarios/sign-in-attacks.js'

/** Referrer-Policy values that keep the callback URL (its code and state) from other sites. */
const SAFE_POLICIES = ['no-referrer', 'same-origin']

/** The policy a browser applies: the last value it knows in the header (W3C Referrer Policy §8.1). */
const policyOf = (header: string | undefined) =>
  (header ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .at(-1) ?? null

export default defineCase({
  id: 'oauth-callback-lands-cleanly',
  description:
    "After the callback the browser is redirected (or the page sends Referrer-Policy no-referrer or same-origin), and the page it lands on holds none of Whop's tokens or the app's secrets",
  source:
    'RFC 9700 §4.2 (credential leakage via Referer), §4.2.4 (countermeasures: redirect after the callback, Referrer-Policy); §4.3 (browser history) [I]',
  part: 'oauth',
  scenario: landingPage,
  control: normalSignIn,
  verdict: ({ story, mockTokens }, { oauth, apiKey }) => {
    const landing = story.landing
    if (landing === null) return skip(`the sign-in never came back to the callback: ${story.callback.problem ?? 'no redirect'}`)
    const expected = 'a redirect after the callback (or Referrer-Policy no-referrer/same-origin), and no token or secret in the page'
    const callbackHop = landing.hops[0]
    const redirected = callbackHop !== undefined && callbackHop.status >= 300 && callbackHop.status < 400
    const policy = policyOf(landing.headers['referrer-policy'])
    if (!redirected && (policy === null || !SAFE_POLICIES.includes(policy)))
      return fail(
        expected,
        `the callback ${describeAnswer(landing)} with ${policy === null ? 'no Referrer-Policy' : `Referrer-Policy ${policy}`}, so its URL (code and state) goes out as the Referer of whatever the page loads`,
        requestsOf(story),
      )
    const secrets = [
      ...mockTokens.map(() => 'a token Whop signed'),
      ...[oauth!.clientSecret, apiKey, ...oauth!.appApiKeys]
        .filter((s) => s !== null && landing.body.includes(s))
        .map(() => 'a secret of the app'),
    ]
    if (secrets.length > 0)
      return fail(expected, `the page at ${new URL(landing.url).pathname} holds ${secrets[0]} in its HTML`, requestsOf(story))
    return pass
  },
})
