/**
 * The sign-in cases: the documented sign-in edge cases, one file each, the flows each applies to,
 * and verdicts that pass, fail or skip on what the simulated browser and the journal showed.
 * @see docs/whop-reference.md §2.2-§2.4, §6
 */
import t from 'tap'
import type { BrowserResponse } from '../src/conformance/browser.js'
import type { Known, OAuthKnown } from '../src/conformance/known.js'
import { caseProblems, loadCases } from '../src/conformance/catalog.js'
import { oauthPaths } from '../src/conformance/oauth-paths.js'
import { SIGN_IN_VARIANTS } from '../src/eras.js'
import type { SignInStory } from '../src/conformance/scenarios/oauth.js'
import { looksSignedIn, type ProfileCheck, type StartAnswer } from '../src/conformance/sign-in-driver.js'
import { maskSecret } from '../src/redact.js'
import { loadBundledSpec } from '../src/spec/load-spec.js'
import type { JournalEntry } from '../src/state/journal.js'
import { appKey, companyKey, confidentialApp, publicApp, sam } from './helpers/fixtures.js'

const cases = (await loadCases()).filter((c) => c.part === 'oauth')
const byId = (id: string) => cases.find((c) => c.id === id)!

const app = 'http://127.0.0.1:3100'
const mockUrl = 'http://127.0.0.1:4010'
const { operations } = await loadBundledSpec()
const oauth: OAuthKnown = {
  flow: 'current-pkce',
  paths: oauthPaths(operations, 'current-pkce'),
  clientId: confidentialApp.id,
  clientType: 'confidential',
  clientSecret: confidentialApp.client_secret!,
  appApiKeys: [appKey.key],
  redirectUri: `${app}/cb`,
  userId: sam.id,
  scope: [],
  mockUrl,
  startPath: '/login',
  profilePath: '/me',
  start: { method: 'GET', csrf: null, form: {} },
  signedIn: { status: null, bodyIncludes: null, bodyExcludes: null, cookie: null },
  keepsTokens: true,
}
/** The known facts with some changed; another flow brings its own paths from the spec. */
const knownFor = (o: Partial<OAuthKnown> = {}): Known => ({
  apiKey: companyKey.key,
  tokenRoute: null,
  oauth: { ...oauth, ...(o.flow !== undefined && { paths: oauthPaths(operations, o.flow) }), ...o },
  server: null,
})
const known = knownFor()

function answer(status: number, body = '', headers: Record<string, string> = {}): BrowserResponse {
  return { method: 'GET', url: `${app}/x`, status, headers, setCookies: [], body, hops: [], elapsedMs: 2, timedOut: false, error: null }
}
const b64 = (n: number, seed: string) =>
  Buffer.alloc(n, seed)
    .toString('base64url')
    .slice(0, Math.ceil((n * 4) / 3))
const randomish = (i: number) => `${'k7Qz'.repeat(i + 1)}Xy${i}pLm${'a'.repeat(12)}${i}`.slice(0, 22)

/** A start that redirected to the mock with these query parameters (over sensible current-flow defaults). */
function start(params: Record<string, string | null> = {}, path = '/oauth/authorize'): StartAnswer {
  const url = new URL(`${mockUrl}${path}`)
  const all = {
    response_type: 'code',
    client_id: oauth.clientId,
    redirect_uri: oauth.redirectUri,
    scope: 'openid profile',
    state: randomish(0),
    nonce: randomish(1),
    code_challenge: b64(32, 'c'),
    code_challenge_method: 'S256',
    ...params,
  }
  for (const [k, v] of Object.entries(all)) if (v !== null) url.searchParams.set(k, v)
  return { answer: answer(302, '', { location: url.href }), authorize: url }
}

function entry(id: number, path: string, body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): JournalEntry {
  return {
    id,
    time: '',
    method: path.endsWith('token') ? 'POST' : 'GET',
    path,
    query: {},
    headers,
    body,
    status,
    duration_ms: 1,
    operation_id: null,
    fault: false,
    note: null,
    original_url: null,
  }
}
const exchange = (body: Record<string, unknown> = {}, status = 200, headers: Record<string, string> = {}) =>
  entry(
    1,
    '/oauth/token',
    {
      grant_type: 'authorization_code',
      code: 'abcdefgh…',
      redirect_uri: oauth.redirectUri,
      client_secret: maskSecret(oauth.clientSecret!),
      code_verifier: 'verifier…',
      ...body,
    },
    status,
    headers,
  )

function profile(signedIn: boolean, extra: Partial<ProfileCheck> = {}): ProfileCheck {
  return {
    answer: answer(signedIn ? 200 : 401, signedIn ? `{"id":"${sam.id}"}` : '{}'),
    signedIn,
    namesUser: signedIn,
    reads: [],
    refreshes: [],
    ...extra,
  }
}
function story(o: Partial<SignInStory> = {}): SignInStory {
  const callback = new URL(`${oauth.redirectUri}?code=abcdefghijkl&state=s`)
  return {
    start: start(),
    callback: { url: callback, code: 'abcdefghijkl', problem: null },
    visited: callback,
    landing: answer(200),
    exchanges: [exchange()],
    callbackReads: [],
    profile: profile(true),
    hops: [],
    ...o,
  }
}
const neverBack = story({
  callback: { url: null, code: null, problem: "the mock's sign-in form answered 403: nope" },
  visited: null,
  landing: null,
  exchanges: [],
  profile: null,
})

t.test('the sign-in cases are the edge cases the issue lists, one file each, with their sources tagged', async (t) => {
  t.same(
    cases.map((c) => c.id),
    [
      'oauth-callback-authenticates-exchange',
      'oauth-callback-exchanges-code-once',
      'oauth-callback-handles-access-denied',
      'oauth-callback-refuses-altered-state',
      'oauth-callback-refuses-expired-code',
      'oauth-callback-refuses-missing-state',
      'oauth-callback-refuses-replayed-code',
      'oauth-no-secret-or-token-in-browser-urls',
      'oauth-refresh-uses-rotated-token',
      'oauth-refreshes-after-access-token-expiry',
      'oauth-signs-in-and-reads-user',
      'oauth-start-redirects-to-authorize',
      'oauth-start-sends-fresh-state',
      'oauth-start-sends-pkce-and-nonce',
    ],
  )
})

t.test(
  'PKCE and nonce apply to the current flow only; refresh cases to the flows whose token endpoint hands out refresh tokens',
  async (t) => {
    const applying = (flow: string) => cases.filter((c) => c.flows === undefined || c.flows.includes(flow as never)).length
    t.same(Object.fromEntries(SIGN_IN_VARIANTS.map(({ name }) => [name, applying(name)])), {
      'current-pkce': 14,
      'legacy-whop-api': 13,
      'legacy-v5': 11,
    })
    t.same(byId('oauth-start-sends-pkce-and-nonce').flows, ['current-pkce'])
    t.same(byId('oauth-refresh-uses-rotated-token').flows, ['current-pkce', 'legacy-whop-api'])
    t.match(caseProblems({ ...byId('oauth-start-sends-pkce-and-nonce'), flows: ['implicit'] }, 'oauth-start-sends-pkce-and-nonce'), [
      /flows must be a non-empty list/,
    ])
  },
)

t.test(
  "the start must reach the flow's authorize page with the registered redirect_uri; a redirect to whop.com is named as such",
  async (t) => {
    const verdict = byId('oauth-start-redirects-to-authorize').verdict
    t.match(verdict([start()], known), { status: 'pass' })
    t.match(verdict([start({ redirect_uri: 'http://localhost:3000/callback' })], known), {
      status: 'fail',
      actual: /^redirect_uri is http:\/\/localhost:3000\/callback/,
    })
    t.match(verdict([{ answer: answer(302, '', { location: 'https://whop.com/oauth/?client_id=x' }), authorize: null }], known), {
      status: 'fail',
      actual: 'the start answered 302, sending the browser to https://whop.com/oauth/?client_id=x',
    })
    t.match(verdict([start({}, '/oauth/')], knownFor({ flow: 'legacy-whop-api' })), { status: 'pass' })
    t.match(verdict([start({ scope: 'read_user' })], knownFor({ scope: ['openid'] })), { status: 'fail', actual: /scope is read_user/ })
  },
)

t.test('a fresh state passes as base64url or as a UUID (@whop/api); a repeated, short or counter-like one fails', async (t) => {
  const verdict = byId('oauth-start-sends-fresh-state').verdict
  const uuids = ['0b7e1c1e-5f4a-4c7b-9d2e-1a2b3c4d5e6f', '9f8e7d6c-1b2a-4f3e-8d7c-6b5a4f3e2d1c', '3c1d2e4f-8a7b-4c6d-9e1f-2a3b4c5d6e7f']
  t.match(verdict([start({ state: randomish(0) }), start({ state: randomish(1) }), start({ state: 'Q9'.repeat(11) })], known), {
    status: 'pass',
  })
  t.match(
    verdict(
      uuids.map((state) => start({ state })),
      known,
    ),
    { status: 'pass' },
  )
  t.match(verdict([start({ state: 'same' }), start({ state: 'same' }), start({ state: 'other' })], known), {
    status: 'fail',
    actual: 'the starts sent the states same, same, other',
  })
  t.match(
    verdict(
      ['state-000000000001', 'state-000000000002', 'state-000000000003'].map((state) => start({ state })),
      known,
    ),
    { status: 'fail', actual: /differ in only 1 characters/ },
  )
  t.match(verdict([start({ state: null }), start(), start()], known), { status: 'fail', actual: /a start sent no state/ })
})

t.test('PKCE needs S256 and a 43-character challenge, openid needs a nonce, and neither may repeat across starts', async (t) => {
  const verdict = byId('oauth-start-sends-pkce-and-nonce').verdict
  const fresh = (i: number, o: Record<string, string | null> = {}) =>
    start({ code_challenge: b64(32, String(i)), nonce: randomish(i), ...o })
  t.match(verdict([fresh(1), fresh(2), fresh(3)], known), { status: 'pass' })
  t.match(verdict([fresh(1), fresh(2, { code_challenge_method: 'plain' }), fresh(3)], known), {
    status: 'fail',
    actual: 'code_challenge_method is plain',
  })
  t.match(verdict([fresh(1, { nonce: null })], known), { status: 'fail', actual: /scope has openid and nonce is \(missing\)/ })
  t.match(verdict([fresh(1, { nonce: null, scope: 'profile' })], known), { status: 'pass' }, 'no openid, no nonce needed')
  t.match(verdict([fresh(1), fresh(1)], known), { status: 'fail', actual: /was sent by an earlier start too/ })
})

t.test("the exchange must carry the same redirect_uri and the app's own client authentication, as the flow has it", async (t) => {
  const verdict = byId('oauth-callback-authenticates-exchange').verdict
  t.match(verdict(story(), known), { status: 'pass' })
  const basic = exchange({ client_secret: undefined }, 200, { authorization: 'Basic YXBwX3ZV…' })
  t.match(
    verdict(story({ exchanges: [basic] }), known),
    { status: 'pass' },
    'HTTP Basic, which the journal masks whole, is judged by the mock accepting it',
  )
  t.match(verdict(story({ exchanges: [exchange({ client_secret: 'wrongsec…' }, 401)] }), known), {
    status: 'fail',
    actual: "client_secret wrongsec… is not the app's",
  })
  t.match(verdict(story({ exchanges: [exchange({ redirect_uri: 'http://localhost:3000/cb' }, 400)] }), known), {
    status: 'fail',
    actual: 'redirect_uri was http://localhost:3000/cb',
  })
  t.match(verdict(story({ exchanges: [exchange({ code_verifier: undefined }, 400)] }), known), {
    status: 'fail',
    actual: 'it sent no code_verifier',
  })
  const legacy = entry(1, '/api/oauth/token', { code: 'abcdefgh…', redirect_uri: oauth.redirectUri, client_secret: maskSecret(appKey.key) })
  t.match(
    verdict(story({ exchanges: [legacy] }), knownFor({ flow: 'legacy-whop-api' })),
    { status: 'pass' },
    '@whop/api sends the app API key as the secret',
  )
  t.match(verdict(story({ exchanges: [legacy] }), known), { status: 'fail', actual: 'the code went to /api/oauth/token, not /oauth/token' })
  const pub = knownFor({ clientId: publicApp.id, clientType: 'public', clientSecret: null, appApiKeys: [] })
  t.match(verdict(story({ exchanges: [exchange({ client_secret: undefined })] }), pub), { status: 'pass' })
  t.match(verdict(story({ exchanges: [exchange()] }), pub), { status: 'fail', actual: 'a public app sent a secret' })
  t.match(verdict(neverBack, known), {
    status: 'skip',
    reason: /never came back to the app's callback: the mock's sign-in form answered 403/,
  })
})

t.test('a refused callback exchanges nothing, signs no one in and does not crash; one that never came back skips', async (t) => {
  const verdict = byId('oauth-callback-refuses-altered-state').verdict
  t.match(verdict(story({ exchanges: [], profile: profile(false), landing: answer(400) }), known), { status: 'pass' })
  t.match(
    verdict(story({ exchanges: [], profile: profile(false), landing: answer(200, '<p>Sign-in failed</p>') }), known),
    { status: 'pass' },
    'a redirect to an error page is a refusal too',
  )
  t.match(verdict(story({ profile: profile(false) }), known), {
    status: 'fail',
    actual: 'the app exchanged the code anyway (1 token request)',
    evidence: [{ path: '/oauth/token' }],
  })
  t.match(verdict(story({ exchanges: [], profile: profile(false), landing: answer(500) }), known), {
    status: 'fail',
    actual: /the callback answered 500/,
  })
  t.match(verdict(neverBack, known), { status: 'skip' })
})

t.test(
  'Deny must not crash the callback; the sign-in story must end with profilePath naming the user after a read from Whop',
  async (t) => {
    const denied = byId('oauth-callback-handles-access-denied').verdict
    t.match(denied(story({ exchanges: [], profile: profile(false), landing: answer(502) }), known), {
      status: 'fail',
      actual: /error=access_denied answered 502/,
    })
    const reads = byId('oauth-signs-in-and-reads-user').verdict
    const read = entry(2, '/oauth/userinfo', {}, 200, { authorization: 'Bearer eyJhbGci…' })
    t.match(reads(story({ profile: profile(true, { reads: [read] }) }), known), { status: 'pass' })
    t.match(reads(story({ profile: profile(true) }), known), {
      status: 'fail',
      actual: '/me named the user without reading them from Whop',
    })
    t.match(
      reads(story({ callbackReads: [read], profile: profile(true) }), known),
      { status: 'pass' },
      'an app that read the user once at the callback and keeps its own session did read them',
    )
    t.match(
      reads(neverBack, known),
      { status: 'fail', actual: /the mock's sign-in form answered 403/ },
      'the plain sign-in fails, not skips, when it cannot complete',
    )
  },
)

t.test('refresh cases judge the refresh grants after each expiry, and skip what an earlier failure made unjudgeable', async (t) => {
  const refreshes = byId('oauth-refreshes-after-access-token-expiry').verdict
  const rotates = byId('oauth-refresh-uses-rotated-token').verdict
  const grant = (id: number, token: string, status = 200) =>
    entry(id, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token }, status)
  const read = (id: number) => entry(id, '/oauth/userinfo', {}, 200, { authorization: 'Bearer eyJhbGci…' })
  const first = profile(true, { refreshes: [grant(3, 'first000…')], reads: [entry(2, '/oauth/userinfo', {}, 401), read(4)] })
  const second = profile(false, { refreshes: [grant(6, 'first000…', 400)], reads: [entry(5, '/oauth/userinfo', {}, 401)] })
  t.match(refreshes({ signIn: story(), afterFirstExpiry: first, afterSecondExpiry: second }, known), { status: 'pass' })
  t.match(rotates({ signIn: story(), afterFirstExpiry: first, afterSecondExpiry: second }, known), {
    status: 'fail',
    actual: 'Whop refused the second refresh with 400, the same refresh token as the first refresh',
  })
  t.match(refreshes({ signIn: story(), afterFirstExpiry: null, afterSecondExpiry: null }, known), {
    status: 'skip',
    reason: /did not leave a working session/,
  })
  const gaveUp = profile(false, { reads: [entry(2, '/oauth/userinfo', {}, 401)] })
  t.match(refreshes({ signIn: story(), afterFirstExpiry: gaveUp, afterSecondExpiry: gaveUp }, known), {
    status: 'fail',
    actual: /the app sent no refresh; GET \/me answered 401/,
  })
  t.match(rotates({ signIn: story(), afterFirstExpiry: gaveUp, afterSecondExpiry: gaveUp }, known), {
    status: 'skip',
    reason: /did not refresh once/,
  })
})

t.test(
  "credentials in browser URLs are found by value (secret, keys, the mock's tokens) and by parameter name; the app's own JWT state is not one",
  async (t) => {
    const verdict = byId('oauth-no-secret-or-token-in-browser-urls').verdict
    const at = (url: string, mockSignedTokens: string[] = []) =>
      verdict({ urls: [{ story: 'sign-in', url }], mockSignedTokens, maskedRefreshTokens: ['Rt0paque…'] }, known)
    const appJwt = 'eyJhbGciOiJIUzI1NiJ9.eyJub25jZSI6IjEyMyJ9.c2lnbmF0dXJlLWJ5LXRoZS1hcHA'
    t.match(at(`${app}/cb?code=abc&state=${appJwt}`), { status: 'pass' })
    t.match(at(`${app}/welcome?t=${appJwt}`, [appJwt]), {
      status: 'fail',
      actual: /the token Whop issued in http:\/\/127\.0\.0\.1:3100\/welcome\?t=eyJhbGci…/,
    })
    t.match(at(`${mockUrl}/oauth/authorize?client_secret=${encodeURIComponent(oauth.clientSecret!)}`), {
      status: 'fail',
      actual: new RegExp(`the client secret in .*client_secret=${confidentialApp.client_secret!.slice(0, 8)}…`),
    })
    t.match(at(`${app}/welcome#refresh_token=opaque123`), { status: 'fail', actual: /the refresh_token parameter/ })
    t.match(
      at(`${app}/welcome?rt=Rt0paqueXfW3kq9ZrT1mB7nV5cL2`),
      { status: 'fail', actual: /the refresh token Whop issued in .*rt=Rt0paque…/ },
      'an opaque refresh token under any name, by its journaled prefix',
    )
    t.match(at(`${app}/debug?k=${companyKey.key}`), {
      status: 'fail',
      actual: new RegExp(`the API key in .*k=${companyKey.key.slice(0, 8)}…`),
    })
  },
)

t.test('identity-only apps (oauth.keepsTokens false): the refresh cases are not applicable, and say why', async (t) => {
  const identityOnly = knownFor({ keepsTokens: false })
  for (const id of ['oauth-refreshes-after-access-token-expiry', 'oauth-refresh-uses-rotated-token']) {
    t.match(byId(id).verdict({ signIn: story(), afterFirstExpiry: null, afterSecondExpiry: null }, identityOnly), {
      status: 'skip',
      reason: /^not applicable: the config says the app keeps no Whop tokens after sign-in \(oauth\.keepsTokens false\)/,
    })
  }
})

t.test('"signed in" is what the config says: statuses, text that must or must not appear, a cookie', async (t) => {
  const rule = { status: null, bodyIncludes: null, bodyExcludes: null, cookie: null }
  t.ok(looksSignedIn(rule, answer(204), []))
  t.notOk(looksSignedIn(rule, answer(302), []))
  const page = answer(200, '<h1>Authentication Failed</h1>')
  t.notOk(looksSignedIn({ ...rule, bodyExcludes: 'Authentication Failed' }, page, []), 'a 200 page that says sign-in failed')
  t.ok(looksSignedIn({ ...rule, bodyExcludes: 'Authentication Failed' }, answer(200, 'Hello Sam'), []))
  t.notOk(looksSignedIn({ ...rule, bodyIncludes: 'Sign out' }, answer(200, 'Hello'), []))
  t.ok(looksSignedIn({ ...rule, status: [200, 302] }, answer(302), []))
  t.notOk(looksSignedIn({ ...rule, cookie: 'session' }, answer(200), ['csrf']))
  t.ok(looksSignedIn({ ...rule, cookie: 'session' }, answer(200), ['csrf', 'session']))
})
