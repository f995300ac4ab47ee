/**
 * The case catalog: one file per documented edge case, each a whole case whose id is its file
 * name and which cites its source; and verdicts that fail, skip or pass on what was observed.
 */
import t from 'tap'
import { readdirSync } from 'node:fs'
import type { BrowserResponse } from '../src/conformance/browser.js'
import type { Known } from '../src/conformance/known.js'
import { caseProblems, loadCases } from '../src/conformance/catalog.js'
import type { TokenCall } from '../src/conformance/driver.js'
import type { UpstreamFailure } from '../src/conformance/scenarios/token-route.js'
import type { JournalEntry } from '../src/state/journal.js'
import { companyKey, sam, acme } from './helpers/fixtures.js'

const cases = await loadCases()
const byId = (id: string) => cases.find((c) => c.id === id)!
const known: Known = {
  apiKey: companyKey.key,
  tokenRoute: {
    method: 'POST',
    path: '/t',
    signIn: { headers: {}, cookies: {} },
    userId: sam.id,
    companyId: acme.id,
    tokenField: 'token',
    request: { headers: {}, body: null },
  },
  oauth: null,
  server: null,
}

function answer(status: number, body = ''): BrowserResponse {
  return {
    method: 'POST',
    url: 'http://app/t',
    status,
    headers: {},
    setCookies: [],
    body,
    hops: [],
    elapsedMs: 3,
    timedOut: status === 0,
    error: status === 0 ? 'no answer within 5000 ms' : null,
  }
}
function mint(id: number, status: number): JournalEntry {
  return {
    id,
    time: '',
    method: 'POST',
    path: '/api/v1/access_tokens',
    query: {},
    headers: {},
    body: {},
    status,
    duration_ms: 1,
    operation_id: 'createAccessToken',
    fault: true,
    note: null,
    original_url: null,
  }
}
function call(res: BrowserResponse, mints: JournalEntry[]): TokenCall {
  return { who: 'caller', answer: res, token: null, check: null, mints, at: new Date(0) }
}
const failure = (status: number, res: BrowserResponse, mints: JournalEntry[]): UpstreamFailure => ({
  status,
  canary: 'ref c4n4ry',
  call: call(res, mints),
})

t.test('every case file is a whole case whose id is its file name, with a tagged source', async (t) => {
  // loadCases() refuses a file that is not a whole case named after its id (caseProblems); here,
  // that no file in the directory is left out of the catalog.
  const files = readdirSync(new URL('../src/conformance/cases/', import.meta.url)).map((f) => f.replace(/\.ts$/, ''))
  t.same(cases.map((c) => c.id).sort(), files.sort())
  for (const c of cases) t.match(c.source, /\[(D|T|I)[ \]:,]/, `${c.id} cites a tagged source`)
})

t.test('the token-route cases are the edge cases the issue lists, one file each', async (t) => {
  t.same(
    cases.filter((c) => c.part === 'token-route').map((c) => c.id),
    [
      'token-route-answer-hides-api-key',
      'token-route-asks-for-explicit-scoped-actions',
      'token-route-mints-server-side-with-bearer-key',
      'token-route-refuses-anonymous-caller',
      'token-route-remints-after-expiry',
      'token-route-sends-company-and-user-ids',
      'token-route-token-verifies-for-signed-in-user',
      'token-route-upstream-4xx-not-retried',
      'token-route-upstream-error-answered-promptly',
      'token-route-upstream-error-hides-api-key',
      'token-route-upstream-error-hides-upstream-body',
    ],
  )
})

t.test('a case module whose id differs from its file name, or that lacks parts, is refused by name', async (t) => {
  const good = byId('token-route-refuses-anonymous-caller')
  t.match(caseProblems({ ...good, id: 'other' }, 'token-route-refuses-anonymous-caller'), [/id "other" is not the file name/])
  t.match(caseProblems({ ...good, part: 'web', verdict: undefined }, good.id), [
    /part must be one of token-route, oauth, server/,
    /verdict is missing/,
  ])
  t.match(caseProblems(undefined, 'x'), [/no default export/])
})

t.test('upstream-error cases skip, rather than pass, when the app answered without calling Whop', async (t) => {
  const fromCache = [failure(401, answer(200, '{"token":"x"}'), [])]
  for (const id of [
    'token-route-upstream-error-answered-promptly',
    'token-route-upstream-error-hides-api-key',
    'token-route-upstream-4xx-not-retried',
  ]) {
    t.match(
      byId(id).verdict(fromCache, known),
      { status: 'skip', reason: /answered without calling Whop when Whop (failed|refused) with 401/ },
      id,
    )
  }
})

t.test('the promptness case fails a silent app and a 2xx, and passes a prompt error after bounded retries', async (t) => {
  const verdict = byId('token-route-upstream-error-answered-promptly').verdict
  t.match(verdict([failure(429, answer(0), [mint(1, 429)])], known), {
    status: 'fail',
    expected: /within 5000 ms when Whop answers 429/,
    actual: /gave no answer/,
  })
  t.match(verdict([failure(500, answer(200, '{}'), [mint(1, 500)])], known), { status: 'fail', actual: /answered 200/ })
  t.match(verdict([failure(503, answer(502, '{"error":"x"}'), [mint(1, 503), mint(2, 503), mint(3, 503)])], known), { status: 'pass' })
})

t.test("leak checks find the key or Whop's message in headers and body, and skip a silent app", async (t) => {
  const hidesKey = byId('token-route-upstream-error-hides-api-key').verdict
  const hidesBody = byId('token-route-upstream-error-hides-upstream-body').verdict
  const leaky = { ...answer(502, '{}'), headers: { 'x-debug': `key ${companyKey.key}` } }
  t.match(hidesKey([failure(401, leaky, [mint(1, 401)])], known), { status: 'fail', actual: /the header x-debug carries the full API key/ })
  t.match(hidesBody([failure(403, answer(403, '{"error":{"message":"nope (ref c4n4ry)"}}'), [mint(1, 403)])], known), {
    status: 'fail',
    actual: /body repeats Whop's error message/,
  })
  t.match(hidesBody([failure(403, answer(0), [mint(1, 403)])], known), { status: 'skip', reason: /gave no answer/ })
})

t.test('the retry case counts the requests Whop refused', async (t) => {
  const verdict = byId('token-route-upstream-4xx-not-retried').verdict
  t.match(verdict([failure(401, answer(502), [mint(1, 401)])], known), { status: 'pass' })
  t.match(verdict([failure(403, answer(502), [mint(1, 403), mint(2, 403)])], known), {
    status: 'fail',
    actual: 'the app sent 2',
    evidence: [{ id: 1 }, { id: 2 }],
  })
})
