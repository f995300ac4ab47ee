/**
 * Proof that the suite catches what it claims: each flawed variant of the sample app (one
 * defect each, conformance/examples/sample-app/defects.js) fails exactly the cases its defect
 * should trip, and no others (reference: issue 4 item 4).
 */
import t from 'tap'
import { runConformance } from '../src/conformance/runner.js'
import type { RunResult } from '../src/conformance/result.js'
import { sampleAppDir, sampleConfig } from './helpers/conformance.js'
import { companyKey } from './helpers/fixtures.js'

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
}

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
      // The journal shows what the app sent; when it sent nothing, the empty journal is the evidence.
      const sentNothing = /without calling Whop|made no POST/.test(r.actual!)
      t.ok(sentNothing || r.evidence!.length > 0, `${r.id} cites the journal entries that show it`)
    }
    t.notOk(JSON.stringify(result).includes(companyKey.key), 'the results never quote the API key whole')
  })
}
