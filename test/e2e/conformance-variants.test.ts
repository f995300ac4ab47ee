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
  'retry-4xx': ['token-route-upstream-4xx-not-retried'],
  'forward-upstream-body': ['token-route-upstream-error-hides-upstream-body'],
  // 5xx retries are bounded and pass; the 429's Retry-After (60 s) outlasts the 5 s bound.
  'sdk-default-retries': ['token-route-upstream-error-answered-promptly'],
  'no-state-check': ['oauth-callback-refuses-missing-state', 'oauth-callback-refuses-altered-state'],
  'static-state': ['oauth-start-sends-fresh-state'],
  // Whop revokes the connection when a code is redeemed twice, so the person ends up signed out;
  // the refresh cases skip, having no working session to refresh.
  'code-exchanged-twice': ['oauth-callback-exchanges-code-once', 'oauth-signs-in-and-reads-user'],
  'remembers-codes': ['oauth-callback-refuses-replayed-code'],
  'signs-in-without-token': ['oauth-callback-refuses-expired-code'],
  '5xx-on-access-denied': ['oauth-callback-handles-access-denied'],
  // The rotation case skips: with no first refresh there is nothing rotated to use.
  'no-refresh': ['oauth-refreshes-after-access-token-expiry'],
  'reuses-old-refresh-token': ['oauth-refresh-uses-rotated-token'],
  'secret-in-redirect': ['oauth-no-secret-or-token-in-browser-urls'],
  'token-in-url': ['oauth-no-secret-or-token-in-browser-urls'],
}

/** Cases about what the browser saw rather than what the app sent Whop. */
const BROWSER_SIDE = ['oauth-start-sends-fresh-state', 'oauth-no-secret-or-token-in-browser-urls', 'oauth-callback-handles-access-denied']

const { DEFECTS } = (await import(`${sampleAppDir}defects.js`)) as { DEFECTS: Record<string, string> }

// Every variant runs at once, each with its own mock and app on free ports.
const runs = new Map<string, Promise<RunResult>>()
for (const defect of Object.keys(EXPECTED)) {
  const run = sampleConfig({ DEFECT: defect }).then((config) => runConformance(config))
  run.catch(() => {}) // awaited in its test; this only keeps an early failure from being "unhandled"
  runs.set(defect, run)
}

t.test('every defect of the sample app has a row in this table', async (t) => {
  t.same(Object.keys(EXPECTED).sort(), Object.keys(DEFECTS).sort())
})

for (const [defect, expected] of Object.entries(EXPECTED)) {
  t.test(`DEFECT=${defect} (${DEFECTS[defect]}) fails exactly ${expected.join(', ')}`, async (t) => {
    const result = await runs.get(defect)!
    const failed = result.results.filter((r) => r.status === 'fail')
    t.same(failed.map((r) => r.id).sort(), [...expected].sort())
    for (const r of failed) {
      t.match(r, { expected: /\S/, actual: /\S/ }, `${r.id} says what was expected and what the app did`)
      // The journal shows what the app sent; when it sent nothing, the empty journal is the evidence,
      // and what the browser saw (a URL, an answer) is quoted in `actual`.
      const sentNothing = /without calling Whop|made no POST/.test(r.actual!) || BROWSER_SIDE.includes(r.id)
      t.ok(sentNothing || r.evidence!.length > 0, `${r.id} cites the journal entries that show it`)
    }
    t.notOk(JSON.stringify(result).includes(companyKey.key), 'the results never quote the API key whole')
    t.notOk(JSON.stringify(result).includes(confidentialApp.client_secret!), 'nor the client secret')
  })
}
