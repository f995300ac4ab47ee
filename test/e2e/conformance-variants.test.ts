/**
 * Proof that the suite catches what it claims: each flawed variant of the sample app (one
 * defect each, conformance/examples/sample-app/defects.js) fails exactly the cases its defect
 * should trip, and no others.
 */
import t from 'tap'
import { runConformance } from '../../src/conformance/runner.js'
import type { RunResult } from '../../src/conformance/result.js'
import { sampleAppDir, sampleConfig } from '../helpers/conformance.js'
import { companyKey, confidentialApp } from '../helpers/fixtures.js'

/** Defect → the cases it must fail. */
const EXPECTED: Record<string, string[]> = {
  'key-in-error': ['token-route-upstream-error-hides-api-key'],
  'key-in-header': ['token-route-answer-hides-api-key'],
  'no-scoped-actions': ['token-route-asks-for-explicit-scoped-actions'],
  'wrong-user': ['token-route-sends-company-and-user-ids', 'token-route-token-verifies-for-signed-in-user'],
  'no-sign-in-check': ['token-route-refuses-anonymous-caller'],
  'cache-forever': ['token-route-remints-after-expiry'],
  // Three attempts at a stalled Whop, each given the tests' 2 s, outlast the 5 s bound.
  'retry-4xx': ['token-route-upstream-4xx-not-retried', 'token-route-upstream-stall-answered-promptly'],
  'forward-upstream-body': ['token-route-upstream-error-hides-upstream-body'],
  // 5xx retries are bounded and pass; the 429's Retry-After (60 s) outlasts the 5 s bound.
  'sdk-default-retries': ['token-route-upstream-error-answered-promptly', 'token-route-upstream-stall-answered-promptly'],
  'no-state-check': ['oauth-callback-refuses-missing-state', 'oauth-callback-refuses-altered-state'],
  'static-state': ['oauth-start-sends-fresh-state'],
  // Whop revokes the connection when a code is redeemed twice, so the person ends up signed out;
  // the refresh cases skip, having no working session to refresh.
  'code-exchanged-twice': ['oauth-callback-exchanges-code-once', 'oauth-signs-in-and-reads-user'],
  'remembers-codes': ['oauth-callback-refuses-replayed-code'],
  // Every refused sign-in leaves this browser signed in. The signature cases only warn (back channel).
  'signs-in-without-token': [
    'oauth-callback-refuses-expired-code',
    'oauth-callback-refuses-injected-code',
    'oauth-refuses-expired-id-token',
    'oauth-refuses-id-token-other-aud',
    'oauth-refuses-id-token-wrong-iss',
    'oauth-refuses-id-token-wrong-nonce',
    'oauth-whop-jwks-failure-handled',
    'oauth-whop-token-endpoint-failure-handled',
  ],
  '5xx-on-access-denied': ['oauth-callback-handles-access-denied'],
  // The rotation case skips: with no first refresh there is nothing rotated to use.
  'no-refresh': ['oauth-refreshes-after-access-token-expiry'],
  'reuses-old-refresh-token': ['oauth-refresh-uses-rotated-token'],
  'secret-in-redirect': ['oauth-no-secret-or-token-in-browser-urls'],
  'token-in-url': ['oauth-no-secret-or-token-in-browser-urls'],
  // Nobody can sign in or get a token: the cases that need one fail; the refusal cases are not judged (below).
  'sign-in-broken': ['oauth-signs-in-and-reads-user'],
  // Whop misbehaving during sign-in, and what Whop sends that the app must check.
  'crashes-on-whop-error': [
    'oauth-callback-refuses-injected-code',
    'oauth-refuses-expired-id-token',
    'oauth-refuses-id-token-bad-signature',
    'oauth-refuses-id-token-other-aud',
    'oauth-refuses-id-token-wrong-iss',
    'oauth-refuses-id-token-wrong-nonce',
    'oauth-refuses-unsigned-id-token',
    'oauth-whop-discovery-failure-handled',
    'oauth-whop-jwks-failure-handled',
    'oauth-whop-token-endpoint-failure-handled',
  ],
  // Showing whatever userinfo says also shows another user's sub.
  'shows-whop-error': ['oauth-refuses-userinfo-other-sub', 'oauth-whop-user-read-failure-handled'],
  'no-whop-timeout': [
    'oauth-whop-discovery-failure-handled',
    'oauth-whop-jwks-failure-handled',
    'oauth-whop-token-endpoint-failure-handled',
    'oauth-whop-user-read-failure-handled',
    'token-route-upstream-stall-answered-promptly',
  ],
  // The unsigned and badly signed id_tokens only warn: they come over the back channel.
  'trusts-id-token': [
    'oauth-refuses-expired-id-token',
    'oauth-refuses-id-token-other-aud',
    'oauth-refuses-id-token-wrong-iss',
    'oauth-refuses-id-token-wrong-nonce',
  ],
  'trusts-userinfo-sub': ['oauth-refuses-userinfo-other-sub'],
  'retries-refused-refresh': ['oauth-refresh-refused-ends-session'],
  'state-reusable': ['oauth-callback-revisit-exchanges-nothing'],
  'open-redirect': ['oauth-start-refuses-open-redirect'],
  'token-in-page': ['oauth-callback-lands-cleanly'],
  'passes-empty-token': ['token-route-upstream-2xx-without-token-refused'],
  'mints-for-nobody': [
    'token-route-asks-for-explicit-scoped-actions',
    'token-route-mints-server-side-with-bearer-key',
    'token-route-remints-after-expiry',
    'token-route-sends-company-and-user-ids',
    'token-route-token-verifies-for-signed-in-user',
  ],
}

/**
 * Defect → the cases that pass with a warning: an app that signs in with an unsigned or badly
 * signed id_token, which reached it over the back channel, is warned, not failed.
 */
const SIGNATURE_CASES = ['oauth-refuses-id-token-bad-signature', 'oauth-refuses-unsigned-id-token']
const WARNED: Record<string, string[]> = { 'trusts-id-token': SIGNATURE_CASES, 'signs-in-without-token': SIGNATURE_CASES }

/** Refusal and leak cases judged only against a positive control that succeeded in the same run. */
const SIGN_IN_REFUSALS = [
  'oauth-callback-handles-access-denied',
  'oauth-callback-lands-cleanly',
  'oauth-callback-refuses-altered-state',
  'oauth-callback-refuses-expired-code',
  'oauth-callback-refuses-injected-code',
  'oauth-callback-refuses-missing-state',
  'oauth-callback-refuses-replayed-code',
  'oauth-callback-revisit-exchanges-nothing',
  'oauth-no-secret-or-token-in-browser-urls',
  'oauth-refresh-refused-ends-session',
  'oauth-refuses-expired-id-token',
  'oauth-refuses-id-token-bad-signature',
  'oauth-refuses-id-token-other-aud',
  'oauth-refuses-id-token-wrong-iss',
  'oauth-refuses-id-token-wrong-nonce',
  'oauth-refuses-unsigned-id-token',
  'oauth-refuses-userinfo-other-sub',
  'oauth-start-refuses-open-redirect',
  'oauth-whop-discovery-failure-handled',
  'oauth-whop-jwks-failure-handled',
  'oauth-whop-token-endpoint-failure-handled',
  'oauth-whop-user-read-failure-handled',
]
const TOKEN_ROUTE_REFUSALS = [
  'token-route-answer-hides-api-key',
  'token-route-refuses-anonymous-caller',
  'token-route-upstream-2xx-without-token-refused',
  'token-route-upstream-4xx-not-retried',
  'token-route-upstream-error-answered-promptly',
  'token-route-upstream-error-hides-api-key',
  'token-route-upstream-error-hides-upstream-body',
  'token-route-upstream-html-5xx-handled',
  'token-route-upstream-stall-answered-promptly',
]

/**
 * Defect → the cases not judged because the normal sign-in (or mint) failed in that run. Before
 * the controls, these passed: an app that signs nobody in refuses every tampered callback too.
 * code-exchanged-twice belongs here: Whop revokes the connection at the second exchange, so its
 * normal sign-in ends signed out.
 */
const NOT_JUDGED: Record<string, { control: string; cases: string[] }> = {
  'sign-in-broken': { control: 'a normal sign-in', cases: SIGN_IN_REFUSALS },
  'code-exchanged-twice': { control: 'a normal sign-in', cases: SIGN_IN_REFUSALS },
  'mints-for-nobody': { control: 'a normal token request by the signed-in caller', cases: TOKEN_ROUTE_REFUSALS },
}

/**
 * Cases about what the browser saw rather than what the app sent Whop, and the ones where Whop
 * stalled or failed before any request of the app's was journaled (a request the app gave up on
 * never gets an answer, so it never reaches the journal).
 */
const BROWSER_SIDE = [
  'oauth-start-sends-fresh-state',
  'oauth-no-secret-or-token-in-browser-urls',
  'oauth-callback-handles-access-denied',
  'oauth-whop-discovery-failure-handled',
  'token-route-upstream-stall-answered-promptly',
]

const { DEFECTS } = (await import(`${sampleAppDir}defects.js`)) as { DEFECTS: Record<string, string> }

/**
 * Variants run eight at a time, each with its own mock and app on free ports: most of a run is
 * waiting on the app's Whop timeout in the stall cases, but the mocks and the runs share this
 * one process's event loop: with twelve at once beside five other test files, a CI rehearsal
 * saw one run fail its refresh case, as an app whose 2 s Whop timeout ran out would.
 */
const AT_ONCE = 8
/**
 * Started first: apps that wait out every stall of Whop, or retry into it, take two to three
 * times a normal run (32 s and 24 s against 9-17 s, measured eight at a time).
 */
const SLOW = ['no-whop-timeout', 'sdk-default-retries', 'retry-4xx']
let running = 0
const waiting: (() => void)[] = []
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    waiting.shift()?.()
  }
}

const runs = new Map<string, Promise<RunResult>>()
const bySlowness = (defect: string) => (SLOW.includes(defect) ? SLOW.indexOf(defect) : SLOW.length)
for (const defect of Object.keys(EXPECTED).sort((a, b) => bySlowness(a) - bySlowness(b))) {
  const run = inTurn(async () => runConformance(await sampleConfig({ DEFECT: defect })))
  run.catch(() => {}) // awaited in its test; this only keeps an early failure from being "unhandled"
  runs.set(defect, run)
}

t.test('every defect of the sample app has a row in this table', async (t) => {
  t.same(Object.keys(EXPECTED).sort(), Object.keys(DEFECTS).sort())
  t.same(
    SLOW.filter((defect) => !(defect in EXPECTED)),
    [],
    'the slow ones started first are defects of the table',
  )
})

for (const [defect, expected] of Object.entries(EXPECTED)) {
  t.test(`DEFECT=${defect} (${DEFECTS[defect]}) fails exactly ${expected.join(', ')}`, async (t) => {
    const result = await runs.get(defect)!
    const failed = result.results.filter((r) => r.status === 'fail')
    t.same(failed.map((r) => r.id).sort(), [...expected].sort())
    const warned = result.results.filter((r) => r.status === 'pass' && r.warning !== undefined)
    t.same(
      warned.map((r) => r.id),
      WARNED[defect] ?? [],
      'the signature cases warn, naming the back channel, only when the app signed in anyway',
    )
    for (const r of warned) t.match(r.warning, /accepted .*the back channel/)
    const unjudged = NOT_JUDGED[defect]
    t.same(
      result.results.filter((r) => r.status === 'not-judged').map((r) => r.id),
      unjudged?.cases ?? [],
      unjudged === undefined ? 'every case was judged' : `the refusal cases are not judged, not passed: ${unjudged.control} failed`,
    )
    t.same(
      result.failedControls.map((f) => f.control),
      unjudged === undefined ? [] : [unjudged.control],
    )
    for (const r of result.results.filter((x) => x.status === 'not-judged'))
      t.match(r.reason, new RegExp(`^not judged: the positive control \\(${unjudged!.control}\\) failed in this run: \\S`))
    for (const r of failed) {
      t.match(r, { expected: /\S/, actual: /\S/ }, `${r.id} says what was expected and what the app did`)
      // The journal shows what the app sent; when it sent nothing, the empty journal is the evidence,
      // and what the browser saw (a URL, an answer) is quoted in `actual`.
      // A request the app gave up on never got an answer, so it never reached the journal either.
      const sentNothing = /without calling Whop|made no POST|no answer within/.test(r.actual!) || BROWSER_SIDE.includes(r.id)
      t.ok(sentNothing || r.evidence!.length > 0, `${r.id} cites the journal entries that show it`)
    }
    t.notOk(JSON.stringify(result).includes(companyKey.key), 'the results never quote the API key whole')
    t.notOk(JSON.stringify(result).includes(confidentialApp.client_secret!), 'nor the client secret')
  })
}
