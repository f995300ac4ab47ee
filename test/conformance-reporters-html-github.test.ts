/**
 * The HTML report parses as HTML with no error, needs nothing outside itself, shows every case
 * and each failure's evidence, and carries hostile text as text; the GitHub reporter's
 * annotations survive GitHub's workflow-command rules and its step summary goes where GitHub
 * reads it.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parse, type DefaultTreeAdapterTypes } from 'parse5'
import { REPORTERS } from '../src/conformance/reporters/index.js'
import { githubAnnotations, githubReport, githubStepSummary } from '../src/conformance/reporters/github.js'
import type { RunResult } from '../src/conformance/result.js'

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document
type Element = DefaultTreeAdapterTypes.Element

const HOSTILE = `</td></table><script>alert("x")</script><img src=x onerror=alert(1)> & 'q' %0A::warning::`
const LOCATION = 'https://evil.example/next?a=<b>&c="d"'

const run: RunResult = {
  mode: 'app',
  target: { app: 'http://127.0.0.1:3100', mock: 'http://127.0.0.1:4010' },
  parts: [
    { part: 'oauth', state: 'checked', cases: 4 },
    { part: 'token-route', state: 'not-configured', cases: 0 },
    { part: 'server', state: 'not-configured', cases: 0 },
  ],
  results: [
    { id: 'oauth-a', part: 'oauth', description: 'Does a', source: 'reference §2.2 [D D-OAUTH]', status: 'pass', durationMs: 3 },
    {
      id: 'oauth-b',
      part: 'oauth',
      description: HOSTILE,
      source: 'reference §6 item 3, [D]\nsecond line',
      status: 'fail',
      durationMs: 40,
      expected: 'a 4xx, nobody signed in',
      actual: `the callback answered 302 after 4 ms, sending the browser to ${LOCATION}; cookies: set sid (HttpOnly, Secure); sent none; set but never sent back: sid`,
      evidence: [
        {
          id: 9,
          time: '2026-01-01T00:00:00.000Z',
          method: 'POST',
          path: '/oauth/token',
          query: { x: '<y>' },
          headers: { authorization: 'Basic YXBw…' },
          body: { grant_type: 'authorization_code', code: '<script>…' },
          status: 400,
          duration_ms: 2,
          operation_id: 'exchangeToken',
          fault: true,
          note: null,
        },
      ],
    },
    {
      id: 'oauth-c',
      part: 'oauth',
      description: 'Does c',
      source: 's',
      status: 'skip',
      durationMs: 1,
      reason: `not applicable: ${HOSTILE}`,
    },
    {
      id: 'oauth-d',
      part: 'oauth',
      description: 'Refuses d',
      source: 's',
      status: 'not-judged',
      durationMs: 0,
      reason: 'not judged: the positive control (a normal sign-in) failed in this run: the profile answered 401',
    },
  ],
  counts: { total: 4, passed: 1, failed: 1, skipped: 1, notJudged: 1 },
  failedControls: [{ control: 'a normal sign-in', reason: 'the profile answered 401' }],
  durationMs: 1234,
}

function* walk(node: Node): Generator<Element> {
  if ('tagName' in node) yield node
  if ('childNodes' in node) for (const child of node.childNodes) yield* walk(child)
  if ('content' in node && node.content !== undefined) for (const child of node.content.childNodes) yield* walk(child)
}
const textOf = (node: Node): string =>
  node.nodeName === '#text' && 'value' in node ? node.value : 'childNodes' in node ? node.childNodes.map(textOf).join('') : ''
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value

t.test('the HTML report is valid HTML that needs nothing outside itself and runs nothing', async (t) => {
  const errors: string[] = []
  const document = parse(REPORTERS.html(run), { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) })
  t.same(errors, [], 'no parse error')
  const elements = [...walk(document)]
  t.same(
    elements
      .filter((e) => ['script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form'].includes(e.tagName))
      .map((e) => e.tagName),
    [],
    'no script, image, frame, stylesheet link or form',
  )
  t.same(
    elements.flatMap((e) => e.attrs.filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    [],
    'no event handler',
  )
  for (const e of elements.filter((x) => attr(x, 'href') !== undefined || attr(x, 'src') !== undefined))
    t.match(attr(e, 'href') ?? attr(e, 'src'), /^#/, 'links stay inside the page')
  const csp = elements.find((e) => attr(e, 'http-equiv') === 'Content-Security-Policy')
  t.match(attr(csp!, 'content'), /default-src 'none'/)
})

t.test('the HTML report has a row per case, and each failure with its Location, cookies and journal', async (t) => {
  const document = parse(REPORTERS.html(run))
  const elements = [...walk(document)]
  const table = elements.find((e) => attr(e, 'id') === 'cases')!
  const summaryRows = [...walk(table)]
    .filter((e) => e.tagName === 'tr' && e.parentNode?.nodeName === 'tbody')
    .map((r) => r.childNodes.map(textOf))
  t.same(
    summaryRows.map((cells) => [cells[1], cells[3]]),
    [
      ['oauth-a', 'pass'],
      ['oauth-b', 'FAIL'],
      ['oauth-c', 'skip'],
      ['oauth-d', 'NOT JUDGED'],
    ],
  )
  t.equal(summaryRows[1]![2], HOSTILE, 'the hostile description comes back as the same text')
  t.equal(textOf(elements.find((e) => attr(e, 'id') === 'totals')!), '1 passed, 1 failed, 1 skipped, 1 not judged (4 cases) in 1.23 s')
  const failure = elements.find((e) => e.tagName === 'section' && attr(e, 'class') === 'fail')!
  const terms = [...walk(failure)].filter((e) => e.tagName === 'dt').map(textOf)
  const values = [...walk(failure)].filter((e) => e.tagName === 'dd').map(textOf)
  const details = Object.fromEntries(terms.map((term, i) => [term, values[i]]))
  t.match(details, {
    Case: HOSTILE,
    Source: 'reference §6 item 3, [D]\nsecond line',
    Expected: 'a 4xx, nobody signed in',
    'What the app did': `the callback answered 302 after 4 ms, sending the browser to ${LOCATION}`,
    Cookies: 'set sid (HttpOnly, Secure); sent none; set but never sent back: sid',
  })
  const journal = [...walk(failure)]
    .filter((e) => e.tagName === 'tr' && e.parentNode?.nodeName === 'tbody')
    .map((r) => r.childNodes.map(textOf))
  t.same(journal.length, 1)
  t.same(journal[0]!.slice(0, 4), ['#9', 'POST /oauth/token?x=%3Cy%3E', '400 (fault)', 'Basic YXBw…'])
  t.match(journal[0]![4], /"code": "<script>…"/)
  const sections = elements.filter((e) => e.tagName === 'section').map(textOf)
  t.match(
    sections.find((s) => s.includes('oauth-c')),
    `not applicable: ${HOSTILE}`,
    'a skip shows its reason',
  )
  t.match(
    sections.find((s) => s.includes('oauth-d')),
    'the positive control (a normal sign-in) failed',
  )
  t.match(elements.filter((e) => e.tagName === 'li').map(textOf), [
    'oauth: 4 cases',
    'The positive control (a normal sign-in) failed: the profile answered 401',
  ])
})

/** Undo GitHub's escapes: what the runner shows. */
const unescape = (text: string) =>
  text.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

t.test('GitHub annotations: one ::error line per failed or unjudged case, escaped so GitHub reads back the same text', async (t) => {
  const lines = githubAnnotations(run)
  t.equal(lines.length, 2)
  for (const line of lines) t.notOk(/[\r\n]/.test(line), 'one line each')
  const parsed = lines.map((line) => /^::error title=([^:,]*)::(.*)$/.exec(line))
  t.ok(
    parsed.every((m) => m !== null),
    'the title property holds no raw : or ,',
  )
  t.equal(unescape(parsed[0]![1]!), 'conformance oauth-b')
  t.equal(unescape(parsed[0]![2]!), `${HOSTILE}\nexpected: a 4xx, nobody signed in\nactual: ${run.results[1]!.actual}`)
  t.notMatch(parsed[0]![2]!, /%0A::warning/, "the case's own %0A stays text, not a new line")
  t.equal(unescape(parsed[1]![1]!), 'conformance oauth-d')
})

t.test('the step summary is a Markdown table whose cells hold hostile text as text', async (t) => {
  const summary = githubStepSummary(run)
  const rows = summary.split('\n').filter((l) => l.startsWith('| oauth-'))
  t.equal(rows.length, 4)
  for (const row of rows) t.equal(row.split(/(?<!\\)\|/).length, 5, `three cells: ${row}`)
  t.notMatch(summary, /<script|<img|<\/td>/, 'no raw HTML')
  t.match(summary, /Not judged:\*\* the positive control \(a normal sign-in\) failed/)
  t.match(summary, /1 passed, 1 failed, 1 skipped, 1 not judged \(4 cases\)/)
})

t.test('with GITHUB_STEP_SUMMARY set the summary is appended to that file, and the output holds only the annotations', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'gh-summary-')), 'summary.md')
  const output = githubReport(run, { GITHUB_STEP_SUMMARY: file })
  t.same(output.trimEnd().split('\n'), githubAnnotations(run))
  t.equal(readFileSync(file, 'utf8'), githubStepSummary(run))
  githubReport(run, { GITHUB_STEP_SUMMARY: file })
  t.equal(readFileSync(file, 'utf8'), githubStepSummary(run).repeat(2), 'appended, as other steps append too')
  const unset = githubReport(run, {})
  t.ok(unset.startsWith(githubAnnotations(run).join('\n')) && unset.endsWith(githubStepSummary(run)), 'without it, both go to the output')
})
