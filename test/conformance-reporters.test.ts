/**
 * Reports: a readable summary by default, and TAP, JUnit XML and JSON that their parsers
 * accept, each failure with what was expected, what the app did and the journal entries.
 */
import t from 'tap'
import { Parser, type Result } from 'tap-parser'
import { REPORTERS } from '../src/conformance/reporters/index.js'
import type { RunResult } from '../src/conformance/result.js'
import { findAll, parseXml } from './helpers/xml.js'

/** A run with one of each outcome, and text that needs escaping in every format. */
const run: RunResult = {
  mode: 'app',
  target: { app: 'http://127.0.0.1:3100', mock: 'http://127.0.0.1:4010' },
  parts: [
    { part: 'token-route', state: 'checked', cases: 3 },
    { part: 'oauth', state: 'no-cases', cases: 0 },
    { part: 'server', state: 'not-configured', cases: 0 },
  ],
  results: [
    {
      id: 'token-route-a',
      part: 'token-route',
      description: 'Does a',
      source: 'reference §6 item 17 [D S3]',
      status: 'pass',
      durationMs: 4,
    },
    {
      id: 'token-route-b',
      part: 'token-route',
      description: 'Does <b> & "c" #1',
      source: "reference §2.1 [D S3]; it's",
      status: 'fail',
      durationMs: 12,
      expected: 'scoped_actions: a non-empty list',
      actual: 'the mint sent scoped_actions (omitted) \u0001',
      evidence: [
        {
          id: 7,
          time: '2026-01-01T00:00:00.000Z',
          method: 'POST',
          path: '/api/v1/access_tokens',
          query: {},
          headers: { authorization: 'Bearer whop_SwM…' },
          body: { company_id: 'biz_1' },
          status: 200,
          duration_ms: 2,
          operation_id: 'createAccessToken',
          fault: false,
          note: null,
          original_url: null,
        },
      ],
    },
    {
      id: 'token-route-c',
      part: 'token-route',
      description: 'Does c',
      source: 'reference §6 item 13 [D S3]',
      status: 'skip',
      durationMs: 1,
      reason: 'the app answered without calling Whop # from a cache',
    },
  ],
  counts: { total: 3, passed: 1, failed: 1, skipped: 1, notJudged: 0 },
  failedControls: [],
  durationMs: 512,
}

async function parseTap(text: string): Promise<{ results: Result[]; final: Parser['results'] }> {
  const results: Result[] = []
  const parser = new Parser()
  parser.on('assert', (r: Result) => results.push(r))
  const done = new Promise<void>((resolve) => parser.on('complete', () => resolve()))
  parser.end(text)
  await done
  return { results, final: parser.results }
}

t.test('the TAP report parses as TAP: a plan, one point per case, YAML diagnostics on failures, SKIP directives', async (t) => {
  const { results, final } = await parseTap(REPORTERS.tap(run))
  t.match(final, { ok: false, count: 3, pass: 2, fail: 1, skip: 1, plan: { start: 1, end: 3 } })
  t.same(
    results.map((r) => [r.id, r.ok]),
    [
      [1, true],
      [2, false],
      [3, true],
    ],
  )
  t.match(results[1]!, {
    name: 'token-route-b: Does <b> & "c" #1',
    diag: {
      part: 'token-route',
      source: "reference §2.1 [D S3]; it's",
      expected: 'scoped_actions: a non-empty list',
      journal: [/#7 POST \/api\/v1\/access_tokens → 200 authorization: Bearer whop_SwM… body: \{"company_id":"biz_1"\}/],
    },
  })
  t.match(results[2]!, { skip: 'the app answered without calling Whop # from a cache' })
})

t.test('the JUnit report is well-formed XML: a testsuite per checked part with counts, failure details and skips', async (t) => {
  const root = parseXml(REPORTERS.junit(run))
  t.match(root, { name: 'testsuites', attributes: { tests: '3', failures: '1', skipped: '1', errors: '0', time: '0.512' } })
  const suites = findAll(root, 'testsuite')
  t.same(
    suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.skipped]),
    [['token-route', '3', '1', '1']],
  )
  const testcases = findAll(root, 'testcase')
  t.same(
    testcases.map((c) => c.attributes.name),
    ['token-route-a', 'token-route-b', 'token-route-c'],
  )
  const failure = findAll(testcases[1]!, 'failure')[0]!
  t.match(failure.attributes.message, /expected scoped_actions: a non-empty list; the mint sent scoped_actions \(omitted\)/)
  t.match(failure.text, /Does <b> & "c" #1[\s\S]*journal:\n {2}#7 POST \/api\/v1\/access_tokens → 200/)
  t.match(
    findAll(testcases[1]!, 'property').map((p) => p.attributes),
    [
      { name: 'description', value: 'Does <b> & "c" #1' },
      { name: 'source', value: "reference §2.1 [D S3]; it's" },
    ],
  )
  t.equal(findAll(testcases[2]!, 'skipped')[0]!.attributes.message, 'the app answered without calling Whop # from a cache')
})

t.test('the JSON report is the run itself, named and versioned', async (t) => {
  const parsed = JSON.parse(REPORTERS.json(run))
  t.match(parsed, { tool: 'whop-auth-mock conformance', version: /^\d+\.\d+\.\d+/, ...run })
})

t.test('the summary shows each failure with source, expected, actual and journal, each skip with its reason, and the totals', async (t) => {
  const text = REPORTERS.summary(run)
  t.match(text, /^whop-auth-mock conformance: app http:\/\/127\.0\.0\.1:3100 against mock http:\/\/127\.0\.0\.1:4010\n/)
  t.match(
    text,
    /\n {2}FAIL {2}token-route-b\n {8}Does <b> & "c" #1\n {8}source: {3}reference §2\.1 \[D S3\]; it's\n {8}expected: scoped_actions: a non-empty list\n {8}actual: {3}the mint sent scoped_actions \(omitted\)/,
  )
  t.match(text, /journal: {2}#7 POST \/api\/v1\/access_tokens → 200/)
  t.match(text, /skip {2}token-route-c\n[\s\S]*skipped: {2}the app answered without calling Whop # from a cache/)
  t.match(text, /oauth: configured, but this version has no oauth cases yet; nothing was checked/)
  t.match(text, /1 passed, 1 failed, 1 skipped \(3 cases\) in 0\.51 s\n$/)
})

/** The same run with one case not judged because its positive control failed. */
const unjudged: RunResult = {
  ...run,
  results: [
    ...run.results,
    {
      id: 'token-route-d',
      part: 'token-route',
      description: 'Refuses d',
      source: 'reference §2.1 [D S0]',
      status: 'not-judged',
      durationMs: 0,
      reason: 'not judged: the positive control (a normal mint) failed in this run: the token route answered 401',
    },
  ],
  counts: { total: 4, passed: 1, failed: 1, skipped: 1, notJudged: 1 },
  failedControls: [{ control: 'a normal mint', reason: 'the token route answered 401' }],
}

t.test('a case not judged is no pass in any report: the failed control comes first, TAP says not ok, JUnit an error', async (t) => {
  t.match(
    REPORTERS.summary(unjudged),
    /^whop-auth-mock conformance: [^\n]+\n\nNOT JUDGED: 1 cases, because the positive control \(a normal mint\) failed: the token route answered 401\n/,
  )
  t.match(REPORTERS.summary(unjudged), /NOT JUDGED {2}token-route-d\n[\s\S]*1 passed, 1 failed, 1 skipped, 1 not judged \(4 cases\)/)
  const { results, final } = await parseTap(REPORTERS.tap(unjudged))
  t.match(final, { ok: false, count: 4, fail: 2 })
  t.match(results[3]!, { ok: false, diag: { not_judged: /^not judged: the positive control \(a normal mint\)/ } })
  const root = parseXml(REPORTERS.junit(unjudged))
  t.match(root, { attributes: { tests: '4', failures: '1', errors: '1' } })
  t.match(findAll(findAll(root, 'testcase')[3]!, 'error')[0]!.attributes, { type: 'not-judged', message: /a normal mint/ })
})
