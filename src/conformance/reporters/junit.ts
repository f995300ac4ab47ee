/**
 * JUnit XML, as CI servers read it: one <testsuite> per part, one <testcase> per case named by
 * its stable id (so a case's history survives description edits), a <failure> with what was
 * expected, what happened and the journal, <skipped> for cases that could not judge, and <error> for
 * cases not judged because their positive control failed.
 */
import type { CaseResult, RunResult } from '../result.js'
import { describeEntry, describeTarget } from './evidence.js'

/** Characters XML 1.0 cannot carry are dropped; the five specials are escaped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const time = (ms: number) => (ms / 1000).toFixed(3)

function testcase(r: CaseResult): string[] {
  const open = `    <testcase classname="whop-auth-mock.conformance.${xml(r.part)}" name="${xml(r.id)}" time="${time(r.durationMs)}">`
  const properties = [
    '      <properties>',
    `        <property name="description" value="${xml(r.description)}"/>`,
    `        <property name="source" value="${xml(r.source)}"/>`,
    '      </properties>',
  ]
  if (r.status === 'skip') return [open, ...properties, `      <skipped message="${xml(r.reason ?? '')}"/>`, '    </testcase>']
  if (r.status === 'pass') return [open, ...properties, '    </testcase>']
  if (r.status === 'not-judged')
    return [
      open,
      ...properties,
      `      <error message="${xml(r.reason ?? '')}" type="not-judged">${xml(r.reason ?? '')}</error>`,
      '    </testcase>',
    ]
  const detail = [
    `${r.description}`,
    `source:   ${r.source}`,
    `expected: ${r.expected}`,
    `actual:   ${r.actual}`,
    'journal:',
    ...(r.evidence ?? []).map((e) => `  ${describeEntry(e)}`),
  ].join('\n')
  return [
    open,
    ...properties,
    `      <failure message="${xml(`expected ${r.expected}; ${r.actual}`)}" type="conformance">${xml(detail)}</failure>`,
    '    </testcase>',
  ]
}

export function junitReport(result: RunResult): string {
  const { total, failed, skipped, notJudged } = result.counts
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`whop-auth-mock conformance: ${describeTarget(result)}`)}" tests="${total}" failures="${failed}" errors="${notJudged}" skipped="${skipped}" time="${time(result.durationMs)}">`,
  ]
  for (const part of result.parts.filter((p) => p.state === 'checked')) {
    const cases = result.results.filter((r) => r.part === part.part)
    const count = (status: CaseResult['status']) => cases.filter((r) => r.status === status).length
    const spent = cases.reduce((sum, r) => sum + r.durationMs, 0)
    lines.push(
      `  <testsuite name="${xml(part.part)}" tests="${cases.length}" failures="${count('fail')}" errors="${count('not-judged')}" skipped="${count('skip')}" time="${time(spent)}">`,
      ...cases.flatMap(testcase),
      '  </testsuite>',
    )
  }
  lines.push('</testsuites>', '')
  return lines.join('\n')
}
