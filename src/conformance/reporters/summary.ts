/** The default report: one line per case, the details of each failure and skip, the totals. */
import type { RunResult } from '../result.js'
import { describeEntry, describeTarget, seconds } from './evidence.js'

const MARK = { pass: 'pass', fail: 'FAIL', skip: 'skip', 'not-judged': 'NOT JUDGED' } as const

/** Each failed positive control, first thing in the report: it is why cases went unjudged. */
export function controlLines(result: RunResult): string[] {
  if (result.failedControls.length === 0) return []
  return [
    ...result.failedControls.map(
      (f) =>
        `NOT JUDGED: ${result.results.filter((r) => r.reason?.includes(`(${f.control})`) === true).length} cases, because the positive control (${f.control}) failed: ${f.reason}`,
    ),
    '',
  ]
}

export function summaryReport(result: RunResult): string {
  const lines = [`whop-auth-mock conformance: ${describeTarget(result)}`, '', ...controlLines(result)]
  for (const part of result.parts) {
    if (part.state === 'not-configured') continue
    if (part.state === 'no-cases') {
      lines.push(`${part.part}: configured, but this version has no ${part.part} cases yet; nothing was checked`, '')
      continue
    }
    lines.push(`${part.part}: ${part.cases} cases`)
    for (const r of result.results.filter((x) => x.part === part.part)) {
      lines.push(`  ${MARK[r.status]}  ${r.id}`)
      if (r.status === 'pass' && r.warning !== undefined) lines.push(`        warning:  ${r.warning}`)
      if (r.status === 'pass') continue
      lines.push(`        ${r.description}`, `        source:   ${r.source}`)
      if (r.status === 'skip') lines.push(`        skipped:  ${r.reason}`)
      else if (r.status === 'not-judged') lines.push(`        ${r.reason}`)
      else {
        lines.push(`        expected: ${r.expected}`, `        actual:   ${r.actual}`)
        const evidence = r.evidence ?? []
        lines.push(...evidence.map((e, i) => `        ${i === 0 ? 'journal: ' : '         '} ${describeEntry(e)}`))
        if (evidence.length === 0) lines.push('        journal:  (no request reached the mock)')
      }
    }
    lines.push('')
  }
  const { passed, failed, skipped, notJudged, total } = result.counts
  const unjudged = notJudged > 0 ? `, ${notJudged} not judged` : ''
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped${unjudged} (${total} cases) in ${seconds(result.durationMs)}`, '')
  return lines.join('\n')
}
