/**
 * One self-contained HTML file: the totals, a table of every case, then each failure with what
 * was expected, what the app did (a redirect's Location, a page's visible text), the cookies
 * the case turned on and the journal entries, and each unjudged or skipped case with its reason.
 * No script, no external asset; every text from the run is escaped.
 */
import { packageVersion } from '../../paths.js'
import type { JournalEntry } from '../../state/journal.js'
import type { CaseResult, RunResult } from '../result.js'
import { COOKIES_LABEL, NO_COOKIES } from '../describe.js'
import { describeTarget, seconds } from './evidence.js'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe in an element's content and in a quoted attribute; characters HTML forbids are dropped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

const LABEL = { pass: 'pass', fail: 'FAIL', skip: 'skip', 'not-judged': 'NOT JUDGED' } as const

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.pass{color:#176b2c}.fail,.not-judged{color:#a40e0e;font-weight:bold}.skip{color:#6b5d00}
section{border-left:4px solid #a40e0e;padding:.2em 1em;margin:1em 0}
section.skip{border-color:#b59f00}
dt{font-weight:bold}dd{margin:0 0 .5em 1em;white-space:pre-wrap;word-break:break-word}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0}
`

const cell = (text: string) => `<td>${escapeHtml(text)}</td>`
const anchor = (r: CaseResult) => `case-${escapeHtml(r.id)}`

function summaryTable(result: RunResult): string {
  const rows = result.results.map(
    (r) =>
      `<tr>${cell(r.part)}<td><a href="#${anchor(r)}">${escapeHtml(r.id)}</a></td>${cell(r.description)}<td class="${r.status}">${LABEL[r.status]}</td>${cell(`${r.durationMs} ms`)}</tr>`,
  )
  return `<table id="cases"><thead><tr><th>Part</th><th>Case</th><th>What a conforming app does</th><th>Verdict</th><th>Time</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** A failure's `actual` says what the app did, then (for sign-in cases) the cookies its story turned on. */
function splitActual(actual: string): { happened: string; cookies: string | null } {
  const at = actual.indexOf(COOKIES_LABEL)
  if (at >= 0) return { happened: actual.slice(0, at), cookies: actual.slice(at + COOKIES_LABEL.length) }
  if (actual.endsWith(NO_COOKIES)) return { happened: actual.slice(0, -NO_COOKIES.length), cookies: NO_COOKIES.replace(/^; /, '') }
  return { happened: actual, cookies: null }
}

function journalTable(entries: JournalEntry[]): string {
  if (entries.length === 0) return '<p>No request reached the mock.</p>'
  const rows = entries.map((e) => {
    const body = e.body === null || e.body === undefined ? '' : JSON.stringify(e.body, null, 1)
    const query =
      Object.keys(e.query).length === 0 ? '' : `?${new URLSearchParams(Object.entries(e.query).map(([k, v]) => [k, String(v)]))}`
    return `<tr>${cell(`#${e.id}`)}<td><code>${escapeHtml(`${e.method} ${e.path}${query}`)}</code></td>${cell(`${e.status}${e.fault ? ' (fault)' : ''}`)}<td><code>${escapeHtml(e.headers.authorization ?? '')}</code></td><td><pre>${escapeHtml(body)}</pre></td></tr>`
  })
  return `<table><thead><tr><th>#</th><th>Request</th><th>Status</th><th>Authorization</th><th>Body</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

const item = (term: string, text: string) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`

function detail(r: CaseResult): string {
  const head = `<h3 id="${anchor(r)}"><span class="${r.status}">${LABEL[r.status]}</span> ${escapeHtml(r.id)}</h3>`
  const about = item('Case', r.description) + item('Source', r.source)
  if (r.status !== 'fail') return `<section class="${r.status}">${head}<dl>${about}${item('Reason', r.reason ?? '')}</dl></section>`
  const { happened, cookies } = splitActual(r.actual ?? '')
  const cookieItem = cookies === null ? '' : item('Cookies', cookies)
  return `<section class="fail">${head}<dl>${about}${item('Expected', r.expected ?? '')}${item('What the app did', happened)}${cookieItem}</dl><h4>Journal (the mock's record, secrets masked)</h4>${journalTable(r.evidence ?? [])}</section>`
}

function controls(result: RunResult): string {
  if (result.failedControls.length === 0) return ''
  const items = result.failedControls.map((f) => `<li>The positive control (${escapeHtml(f.control)}) failed: ${escapeHtml(f.reason)}</li>`)
  return `<h2>Not judged</h2><p>Refusal and leak cases that depend on a failed control were not judged:</p><ul>${items.join('')}</ul>`
}

export function htmlReport(result: RunResult): string {
  const { passed, failed, skipped, notJudged, total } = result.counts
  const title = `whop-auth-mock conformance: ${describeTarget(result)}`
  const totals = `${passed} passed, ${failed} failed, ${skipped} skipped, ${notJudged} not judged (${total} cases) in ${seconds(result.durationMs)}`
  const parts = result.parts
    .filter((p) => p.state !== 'not-configured')
    .map(
      (p) =>
        `<li>${escapeHtml(p.part)}: ${p.state === 'checked' ? `${p.cases} cases` : 'configured, but this version has no cases for it'}</li>`,
    )
  const details = result.results.filter((r) => r.status !== 'pass').map(detail)
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p id="totals">${escapeHtml(totals)}</p>`,
    `<ul>${parts.join('')}</ul>`,
    controls(result),
    '<h2>Cases</h2>',
    summaryTable(result),
    details.length === 0 ? '' : `<h2>Failures, skips and unjudged cases</h2>${details.join('\n')}`,
    `<footer><p>whop-auth-mock ${escapeHtml(packageVersion)}</p></footer>`,
    '</body></html>',
    '',
  ].join('\n')
}
