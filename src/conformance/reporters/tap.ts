/** TAP version 14: one test point per case; failures carry a YAML block, skips a # SKIP directive. */
import type { RunResult } from '../result.js'
import { describeEntry, describeTarget } from './evidence.js'

/** A TAP description may not contain an unescaped # (it starts a directive). */
const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/#/g, '\\#')
/** JSON strings are valid YAML double-quoted scalars. */
const yaml = (value: string) => JSON.stringify(value)

export function tapReport(result: RunResult): string {
  const lines = [
    'TAP version 14',
    `# whop-auth-mock conformance: ${escape(describeTarget(result))}`,
    ...result.failedControls.map((f) => `# NOT JUDGED: the positive control (${escape(f.control)}) failed: ${escape(f.reason)}`),
    `1..${result.results.length}`,
  ]
  result.results.forEach((r, i) => {
    const name = `${i + 1} - ${escape(`${r.id}: ${r.description}`)}`
    if (r.status === 'pass') lines.push(`ok ${name}`, ...(r.warning === undefined ? [] : [`# warning: ${escape(r.warning)}`]))
    else if (r.status === 'skip') lines.push(`ok ${name} # SKIP ${escape(r.reason ?? '')}`)
    else if (r.status === 'not-judged')
      lines.push(`not ok ${name}`, '  ---', `  part: ${r.part}`, `  not_judged: ${yaml(r.reason ?? '')}`, '  ...')
    else {
      lines.push(
        `not ok ${name}`,
        '  ---',
        `  part: ${r.part}`,
        `  source: ${yaml(r.source)}`,
        `  expected: ${yaml(r.expected ?? '')}`,
        `  actual: ${yaml(r.actual ?? '')}`,
      )
      const evidence = r.evidence ?? []
      lines.push(evidence.length === 0 ? '  journal: []' : '  journal:', ...evidence.map((e) => `    - ${yaml(describeEntry(e))}`), '  ...')
    }
  })
  const { passed, failed, skipped, notJudged } = result.counts
  lines.push(`# ${passed} passed, ${failed} failed, ${skipped} skipped${notJudged > 0 ? `, ${notJudged} not judged` : ''}`, '')
  return lines.join('\n')
}
