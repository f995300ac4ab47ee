/**
 * For GitHub Actions: an `::error` annotation per failed or unjudged case, and a Markdown step
 * summary (a totals line and a table of cases). The summary is appended to the file named by
 * GITHUB_STEP_SUMMARY when it is set, else printed after the annotations.
 */
import { appendFileSync } from 'node:fs'
import type { CaseResult, RunResult } from '../result.js'
import { describeTarget, seconds } from './evidence.js'

/** A workflow command's message: %, CR and LF are percent-encoded so one annotation stays one line. */
export const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/** A workflow command's property value: the message's escapes, plus : and , which end a property. */
export const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

function annotation(r: CaseResult): string {
  const message =
    r.status === 'fail'
      ? `${r.description}\nexpected: ${r.expected ?? ''}\nactual: ${r.actual ?? ''}`
      : `${r.description}\n${r.reason ?? ''}`
  return `::error title=${escapeProperty(`conformance ${r.id}`)}::${escapeData(message)}`
}

/** One `::error` line per case that failed or was not judged. */
export function githubAnnotations(result: RunResult): string[] {
  return result.results.filter((r) => r.status === 'fail' || r.status === 'not-judged').map(annotation)
}

const MD_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** Text inside a Markdown table cell: HTML specials as entities, Markdown punctuation escaped, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[&<>]/g, (c) => MD_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]|~#!()]/g, '\\$&')
    .replace(/\s*[\r\n]+\s*/g, ' ')
}

const MARK = { pass: '✅ pass', fail: '❌ fail', skip: '⚪ skip', 'not-judged': '❌ not judged' } as const

/** The step summary in GitHub-flavoured Markdown. */
export function githubStepSummary(result: RunResult): string {
  const { passed, failed, skipped, notJudged, total } = result.counts
  const row = (r: CaseResult) => {
    const why = r.status === 'fail' ? `expected ${r.expected ?? ''}; ${r.actual ?? ''}` : (r.reason ?? '')
    return `| ${escapeMarkdown(r.id)} | ${MARK[r.status]} | ${escapeMarkdown(why)} |`
  }
  return [
    `### ${escapeMarkdown(`whop-auth-mock conformance: ${describeTarget(result)}`)}`,
    '',
    `${passed} passed, ${failed} failed, ${skipped} skipped, ${notJudged} not judged (${total} cases) in ${seconds(result.durationMs)}`,
    '',
    ...result.failedControls.map(
      (f) => `**Not judged:** the positive control (${escapeMarkdown(f.control)}) failed: ${escapeMarkdown(f.reason)}`,
    ),
    ...(result.failedControls.length > 0 ? [''] : []),
    '| Case | Verdict | Details |',
    '| --- | --- | --- |',
    ...result.results.map(row),
    '',
  ].join('\n')
}

/** The annotations, and the step summary: into GITHUB_STEP_SUMMARY's file when `env` names one, else after them. */
export function githubReport(result: RunResult, env: NodeJS.ProcessEnv = process.env): string {
  const annotations = githubAnnotations(result)
  const summary = githubStepSummary(result)
  const file = env.GITHUB_STEP_SUMMARY
  if (file !== undefined && file !== '') {
    appendFileSync(file, summary)
    return annotations.map((a) => `${a}\n`).join('')
  }
  return [...annotations, ...(annotations.length > 0 ? [''] : []), summary].join('\n')
}
