/**
 * The cases where Whop misbehaves or sends what the app must check: their verdicts pass, fail,
 * warn or skip on what the simulated browser and the journal showed, each judged from a made-up
 * observation (the sample app and its defects prove them end to end in test/e2e).
 */
import t from 'tap'
import type { BrowserResponse, Hop } from '../src/conformance/browser.js'
import type { ConformanceCase, Verdict } from '../src/conformance/case.js'
import { loadCases } from '../src/conformance/catalog.js'
import type { Known, OAuthKnown } from '../src/conformance/known.js'
import type { RunResult } from '../src/conformance/result.js'
import { oauthPaths } from '../src/conformance/oauth-paths.js'
import type { SignInStory } from '../src/conformance/scenarios/oauth.js'
import type { FailedSignIn, WhopFailure } from '../src/conformance/scenarios/whop-failures.js'
import type { ProfileCheck } from '../src/conformance/sign-in-driver.js'
import { loadBundledSpec } from '../src/spec/load-spec.js'
import type { JournalEntry } from '../src/state/journal.js'
import { companyKey, confidentialApp, sam } from './helpers/fixtures.js'

const cases = await loadCases()
const judge = (id: string, observation: unknown, k: Known = known): Verdict => {
  const found: ConformanceCase | undefined = cases.find((c) => c.id === id)
  if (found === undefined) throw new Error(`no case ${id}`)
  return found.verdict(observation, k)
}

const app = 'http://127.0.0.1:3100'
const oauth: OAuthKnown = {
  flow: 'current-pkce',
  paths: oauthPaths((await loadBundledSpec()).operations, 'current-pkce'),
  clientId: confidentialApp.id,
  clientType: 'confidential',
  clientSecret: confidentialApp.client_secret ?? null,
  appApiKeys: [],
  redirectUri: `${app}/cb`,
  userId: sam.id,
  scope: [],
  mockUrl: 'http://127.0.0.1:4010',
  startPath: '/login',
  profilePath: '/me',
  start: { method: 'GET', csrf: null, form: {} },
  signedIn: { status: null, bodyIncludes: null, bodyExcludes: null, cookie: null },
  keepsTokens: true,
  returnToParams: ['next'],
}
const known: Known = { apiKey: companyKey.key, tokenRoute: null, oauth, server: null }

function answer(status: number, body = '{}', headers: Record<string, string> = {}, hops: Hop[] = []): BrowserResponse {
  return { method: 'GET', url: `${app}/x`, status, headers, setCookies: [], body, hops, elapsedMs: 2, timedOut: status === 0, error: null }
}
const hop = (status: number, location: string | null = null): Hop => ({
  method: 'GET',
  url: `${app}/cb?code=c&state=s`,
  status,
  location,
  cookiesSent: [],
  cookiesSet: [],
})
const profile = (signedIn: boolean, extra: Partial<ProfileCheck> = {}): ProfileCheck => ({
  answer: answer(signedIn ? 200 : 401, signedIn ? `{"id":"${sam.id}"}` : '{}'),
  signedIn,
  namesUser: signedIn,
  reads: [],
  refreshes: [],
  ...extra,
})
const entry = (id: number, path: string, body: Record<string, unknown> = {}, status = 200, note: string | null = null): JournalEntry => ({
  id,
  time: '',
  method: 'POST',
  path,
  query: {},
  headers: {},
  body,
  status,
  duration_ms: 1,
  operation_id: null,
  fault: false,
  note,
  original_url: null,
})
const story = (o: Partial<SignInStory> = {}): SignInStory => {
  const callback = new URL(`${oauth.redirectUri}?code=abcdefghijkl&state=s`)
  return {
    start: { answer: answer(302), authorize: new URL(`${oauth.mockUrl}/oauth/authorize`) },
    callback: { url: callback, code: 'abcdefghijkl', problem: null },
    visited: callback,
    landing: answer(200, '{}', {}, [hop(302, '/welcome'), hop(200)]),
    exchanges: [entry(1, '/oauth/token')],
    callbackReads: [],
    profile: profile(false),
    hops: [],
    ...o,
  }
}

t.test('Whop failing during sign-in: judged only where the app asked Whop, each answer below 500, in time, nobody signed in', async (t) => {
  const failed = (failure: WhopFailure, o: Partial<FailedSignIn> = {}): FailedSignIn => ({
    failure,
    canary: 'whop-ref-0123456789ab',
    story: story(),
    after: profile(false),
    reached: true,
    paths: ['/oauth/token'],
    ...o,
  })
  const id = 'oauth-whop-token-endpoint-failure-handled'
  t.same(judge(id, [failed('5xx-json'), failed('html-502'), failed('stall')]), { status: 'pass' })
  t.match(judge(id, [failed('5xx-json', { reached: false })]), {
    status: 'skip',
    reason: /never asked Whop's token endpoint \(\/oauth\/token\)/,
  })
  t.match(judge(id, [failed('5xx-json', { reached: false }), failed('html-502', { story: story({ landing: answer(500) }) })]), {
    status: 'fail',
    expected: /when Whop's token endpoint answered a 502 HTML page/,
    actual: /^the callback answered 500/,
  })
  t.match(judge(id, [failed('stall', { story: story({ landing: answer(0) }) })]), {
    status: 'fail',
    expected: /gave no answer for 6 s/,
    actual: /^the callback got no answer within 5000 ms/,
  })
  t.match(judge(id, [failed('5xx-json', { after: profile(false, { answer: answer(200, '{"error":"whop-ref-0123456789ab"}') }) })]), {
    status: 'fail',
    actual: /^GET \/me at the end shows Whop's error body/,
  })
  t.match(judge(id, [failed('5xx-json', { after: profile(true) })]), { status: 'fail', actual: /^the browser is signed in/ })
})

t.test('a spoiled id_token or userinfo: refused passes, accepted fails, but only warns for the signature cases', async (t) => {
  const spoiled = [entry(2, '/oauth/token', {}, 200, 'tampered id_token: wrong_nonce')]
  const tampered = (o: Partial<SignInStory>, s = spoiled) => ({ kind: 'wrong_nonce', story: story(o), spoiled: s })
  t.same(judge('oauth-refuses-id-token-wrong-nonce', tampered({ landing: answer(400) })), { status: 'pass' })
  t.match(judge('oauth-refuses-id-token-wrong-nonce', tampered({ profile: profile(true) })), {
    status: 'fail',
    actual: /^the browser is signed in: GET \/me answered 200/,
  })
  t.match(judge('oauth-refuses-id-token-wrong-nonce', tampered({}, [])), {
    status: 'skip',
    reason: /never handed the app a spoiled answer/,
  })
  t.match(judge('oauth-refuses-id-token-bad-signature', tampered({ profile: profile(true) })), {
    status: 'pass',
    warning: /^an id_token with a bad signature accepted \(the browser is signed in.*the back channel/,
  })
  t.match(judge('oauth-refuses-unsigned-id-token', tampered({ landing: answer(502) })), {
    status: 'fail',
    actual: /^the callback answered 502/,
  })
  t.match(judge('oauth-refuses-userinfo-other-sub', tampered({ landing: null, profile: null })), { status: 'skip' })
})

t.test("code injection fails when Whop accepted the other browser's code or the browser is signed in", async (t) => {
  const injected = (o: Partial<SignInStory>, exchanges: JournalEntry[] = [entry(3, '/oauth/token', {}, 400)]) => ({
    story: story({ exchanges, ...o }),
    injected: 'codeofbrowserb',
    exchanges,
  })
  t.same(judge('oauth-callback-refuses-injected-code', injected({ landing: answer(400) })), { status: 'pass' })
  t.match(judge('oauth-callback-refuses-injected-code', injected({}, [entry(3, '/oauth/token')])), {
    status: 'fail',
    actual: /^Whop accepted browser B's code/,
  })
  t.match(judge('oauth-callback-refuses-injected-code', injected({ profile: profile(true) })), { status: 'fail', actual: /signed in/ })
})

t.test('a revisited callback passes with no second exchange and fails with one', async (t) => {
  const first = story()
  t.same(judge('oauth-callback-revisit-exchanges-nothing', { first, again: answer(400), exchanges: [] }), { status: 'pass' })
  t.match(judge('oauth-callback-revisit-exchanges-nothing', { first, again: answer(302), exchanges: [entry(4, '/oauth/token')] }), {
    status: 'fail',
    actual: 'the app sent the code to Whop again (1 token request)',
  })
  t.match(judge('oauth-callback-revisit-exchanges-nothing', { first, again: answer(500), exchanges: [] }), { status: 'fail' })
})

t.test('an open redirect fails naming where the browser was sent', async (t) => {
  const target = 'https://evil.example/landed'
  t.same(judge('oauth-start-refuses-open-redirect', [{ target, story: story(), exits: [] }]), { status: 'pass' })
  t.match(
    judge('oauth-start-refuses-open-redirect', [{ target, story: story(), exits: [{ hop: hop(302, target), to: new URL(target) }] }]),
    {
      status: 'fail',
      expected: /when the start names https:\/\/evil\.example\/landed/,
      actual: 'GET /cb answered 302, sending the browser to https://evil.example/landed',
    },
  )
})

t.test('the landing: a redirect or a strict Referrer-Policy, and no token or secret in the page', async (t) => {
  const landing = (status: number, headers: Record<string, string> = {}, body = '<p>hi</p>') =>
    story({ landing: answer(status, body, headers, status === 200 ? [hop(200)] : [hop(302, '/welcome'), hop(200)]) })
  t.same(judge('oauth-callback-lands-cleanly', { story: story(), mockTokens: [] }), { status: 'pass' })
  t.match(judge('oauth-callback-lands-cleanly', { story: landing(200), mockTokens: [] }), {
    status: 'fail',
    actual: /with no Referrer-Policy, so its URL/,
  })
  t.same(judge('oauth-callback-lands-cleanly', { story: landing(200, { 'referrer-policy': 'unsafe-url, no-referrer' }), mockTokens: [] }), {
    status: 'pass',
  })
  t.match(judge('oauth-callback-lands-cleanly', { story: landing(200, { 'referrer-policy': 'origin' }), mockTokens: [] }), {
    status: 'fail',
    actual: /Referrer-Policy origin/,
  })
  t.match(judge('oauth-callback-lands-cleanly', { story: story(), mockTokens: ['eyJ.x.y'] }), {
    status: 'fail',
    actual: /holds a token Whop signed/,
  })
  t.match(
    judge('oauth-callback-lands-cleanly', { story: landing(302, {}, `<script>${confidentialApp.client_secret}</script>`), mockTokens: [] }),
    {
      status: 'fail',
      actual: /holds a secret of the app/,
    },
  )
})

t.test('a refused refresh: signed out below 500 with at most two refreshes a visit; not applicable without tokens', async (t) => {
  const refresh = (status = 400) => entry(5, '/oauth/token', { grant_type: 'refresh_token' }, status)
  const visit = (o: Partial<ProfileCheck> = {}) => profile(false, { refreshes: [refresh()], ...o })
  const id = 'oauth-refresh-refused-ends-session'
  t.same(judge(id, { signIn: story(), visits: [visit(), visit({ refreshes: [] })] }), { status: 'pass' })
  t.match(judge(id, { signIn: story(), visits: [visit({ refreshes: [refresh(), refresh(), refresh()] }), visit()] }), {
    status: 'fail',
    actual: 'visit 1 after the refusal sent 3 refresh requests',
  })
  t.match(judge(id, { signIn: story(), visits: [visit({ answer: answer(500) }), visit()] }), { status: 'fail', actual: /answered 500/ })
  t.match(judge(id, { signIn: story(), visits: [visit(), profile(true)] }), { status: 'fail', actual: /^visit 2 .*still signed in/ })
  t.match(judge(id, { signIn: story(), visits: null }, { ...known, oauth: { ...oauth, keepsTokens: false } }), {
    status: 'skip',
    reason: /^not applicable/,
  })
})

t.test('the token route when Whop stalls, answers an HTML 502 or a 2xx without a token', async (t) => {
  const canary = 'whop-ref-abcdef012345'
  const mint = entry(6, '/api/v1/access_tokens', {}, 502)
  const call = (status: number, body = '{"error":"Could not get a chat token."}', mints = [mint]) => ({
    canary,
    reached: true,
    call: { who: 'caller', answer: answer(status, body), token: null, check: null, mints, at: new Date() },
  })
  t.same(judge('token-route-upstream-stall-answered-promptly', call(502, '{}', [])), { status: 'pass' })
  t.match(judge('token-route-upstream-stall-answered-promptly', { ...call(0, '', []), reached: true }), {
    status: 'fail',
    expected: /within 5000 ms while Whop stalls/,
  })
  t.match(judge('token-route-upstream-stall-answered-promptly', { ...call(502), reached: false }), {
    status: 'skip',
    reason: /without calling Whop/,
  })
  t.same(judge('token-route-upstream-html-5xx-handled', call(502)), { status: 'pass' })
  t.match(judge('token-route-upstream-html-5xx-handled', call(502, `<p>${canary}</p>`)), {
    status: 'fail',
    actual: `the body repeats Whop's HTML page (${canary})`,
  })
  t.match(judge('token-route-upstream-html-5xx-handled', call(200, '{}')), { status: 'fail', actual: /^the app answered 200/ })
  t.same(judge('token-route-upstream-2xx-without-token-refused', call(502)), { status: 'pass' })
  t.match(judge('token-route-upstream-2xx-without-token-refused', call(200, '{}')), { status: 'fail', actual: /^the app answered 200/ })
  t.match(judge('token-route-upstream-2xx-without-token-refused', call(502, `{"message":"${canary}"}`)), {
    status: 'fail',
    actual: /repeats Whop's answer/,
  })
  t.match(judge('token-route-upstream-2xx-without-token-refused', call(502, '{}', [])), { status: 'skip' })
})

t.test('a pass with a warning: the summary and TAP reports print the warning under the case', async (t) => {
  const { REPORTERS } = await import('../src/conformance/reporters/index.js')
  const warning = 'an id_token with a bad signature accepted; the back channel # allows it'
  const run: RunResult = {
    mode: 'app',
    target: { app, mock: oauth.mockUrl },
    parts: [{ part: 'oauth', state: 'checked', cases: 1 }],
    results: [{ id: 'oauth-x', part: 'oauth', description: 'Does x', source: 'OIDC [I]', status: 'pass', durationMs: 1, warning }],
    counts: { total: 1, passed: 1, failed: 0, skipped: 0, notJudged: 0 },
    failedControls: [],
    durationMs: 5,
  }
  t.match(
    REPORTERS.summary(run),
    /\n {2}pass {2}oauth-x\n {8}warning: {2}an id_token with a bad signature accepted; the back channel # allows it\n/,
  )
  t.match(
    REPORTERS.tap(run),
    /\nok 1 - oauth-x: Does x\n# warning: an id_token with a bad signature accepted; the back channel \\# allows it\n/,
  )
})
